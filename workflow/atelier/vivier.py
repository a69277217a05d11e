"""The CASNAV's pool of candidate intervenants, and the profile requests of schools without staff of their own:
the CASNAV records candidates (qualifications, départements, availability); a school asks for a profile for one of
its groups; the CASNAV proposes a candidate able to work in that département; the school accepts — which engages
the person through the ordinary engagement step (lettre d'engagement, cumul) — or declines, and the request is
open again. The pool is the CASNAV's: a school sees only the person proposed to it."""

from dataclasses import dataclass

from sqlmodel import Session, select

from db.models import DemandeProfil, Dossier, Etablissement, Groupe, Intervenant, maintenant
from forms.base import ErreursSaisie, texte_saisi, valider
from forms.vivier import AcceptationForm, CandidatForm, DemandeProfilForm
from forms.vocabulaire import EN_ACTIVITE, Etat, QualificationVivier, Role, StatutDemandeProfil, StatutIntervenant
from workflow.atelier.etapes import PAR_CLE
from workflow.noyau import moteur
from workflow.noyau.moteur import charger_dossier
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import AccesRefuse, Acteur, exiger_role


@dataclass(frozen=True)
class Candidat:
    id: int
    nom: str
    statut: str
    qualifications: list[str]
    departements: list[str]
    disponibilites: str


@dataclass(frozen=True)
class DemandeVue:
    id: int
    dossier_id: int
    etablissement: str
    departement: str
    groupe: str
    qualification: str
    disponibilites: str
    message: str
    statut: str
    propose: Candidat | None
    reponse: str


TENEURS_DU_VIVIER = (Role.CASNAV,)  # keeps the pool and proposes its candidates
DEMANDEURS = (Role.PORTEUR,)  # a school asks for a profile and answers the proposal


def _candidat(i: Intervenant) -> Candidat:
    return Candidat(i.id, f"{i.prenom} {i.nom}", StatutIntervenant(i.statut).libelle,
                    [QualificationVivier(q).libelle for q in i.vivier_qualifications], list(i.vivier_departements),
                    i.vivier_disponibilites)


@operation("vivier_candidat", "Inscrire un candidat au vivier", TENEURS_DU_VIVIER)
def ajouter_candidat(ecriture: Ecriture, donnees: dict) -> int:
    session = ecriture.session
    f = valider(CandidatForm, donnees)
    personne = session.exec(select(Intervenant).where(Intervenant.nom == f.nom.upper(), Intervenant.prenom == f.prenom)).first()
    if personne is None:
        personne = Intervenant(nom=f.nom.upper(), prenom=f.prenom, statut=f.statut.value,
                               employeur_principal=f.employeur_principal.value)
    personne.email = f.email or personne.email
    personne.vivier_casnav, personne.vivier_qualifications = True, [q.value for q in f.qualifications]
    personne.vivier_departements, personne.vivier_disponibilites = sorted(set(f.departements)), f.disponibilites
    personne.qualification_fle_fls = bool({QualificationVivier.FLE, QualificationVivier.FLS} & set(f.qualifications))
    session.add(personne)
    session.flush()
    ecriture.journaliser(f"intervenant:{personne.id}")
    return personne.id


def candidats(session: Session, acteur: Acteur, *, departement: str | None = None,
              qualification: str | None = None) -> list[Candidat]:
    exiger_role(acteur, TENEURS_DU_VIVIER, "Consulter le vivier")
    tous = session.exec(select(Intervenant).where(Intervenant.vivier_casnav.is_(True)).order_by(Intervenant.nom)).all()
    return [_candidat(i) for i in tous if (departement is None or departement in i.vivier_departements)
            and (qualification is None or qualification in i.vivier_qualifications)]


@operation("demande_profil", "Demander un profil au CASNAV", DEMANDEURS)
def demander_profil(ecriture: Ecriture, *, dossier_id: int, donnees: dict) -> int:
    session, acteur = ecriture.session, ecriture.acteur
    dossier, _ = charger_dossier(session, acteur, dossier_id)
    if Etat(dossier.etat) not in EN_ACTIVITE:
        raise ErreursSaisie(["Un profil se demande pour un atelier retenu ou en cours."])
    f = valider(DemandeProfilForm, donnees)
    if session.exec(select(Groupe).where(Groupe.dossier_id == dossier_id, Groupe.libelle == f.groupe)).first() is None:
        raise ErreursSaisie([f"« Groupe » : le groupe « {f.groupe} » n'existe pas dans ce dossier."])
    demande = DemandeProfil(dossier_id=dossier_id, groupe=f.groupe, qualification=f.qualification.value,
                            disponibilites=f.disponibilites, message=f.message, creee_par_id=acteur.id)
    session.add(demande)
    session.flush()
    ecriture.journaliser(f"dossier:{dossier_id}", demande=demande.id)
    return demande.id


def demandes(session: Session, acteur: Acteur) -> list[DemandeVue]:
    """The CASNAV sees every request of the académie; a school its own."""
    exiger_role(acteur, (*TENEURS_DU_VIVIER, *DEMANDEURS), "Consulter les demandes de profil")
    requete = (select(DemandeProfil, Etablissement).join(Dossier, Dossier.id == DemandeProfil.dossier_id)
               .join(Etablissement, Etablissement.uai == Dossier.uai).order_by(DemandeProfil.creee_at.desc()))
    if acteur.role in DEMANDEURS:
        requete = requete.where(Dossier.uai == acteur.uai)
    vues = []
    for d, etab in session.exec(requete):
        propose = _candidat(session.get(Intervenant, d.intervenant_id)) if d.intervenant_id else None
        vues.append(DemandeVue(d.id, d.dossier_id, f"{etab.nom} ({etab.commune})", etab.departement_code, d.groupe,
                               QualificationVivier(d.qualification).libelle, d.disponibilites, d.message, d.statut,
                               propose, d.reponse))
    return vues


def _demande(session: Session, demande_id: int) -> tuple[DemandeProfil, Etablissement]:
    trouvee = session.exec(select(DemandeProfil, Etablissement).join(Dossier, Dossier.id == DemandeProfil.dossier_id)
                           .join(Etablissement, Etablissement.uai == Dossier.uai).where(DemandeProfil.id == demande_id)).first()
    if trouvee is None:
        raise AccesRefuse("Demande introuvable.")
    return trouvee


@operation("profil_propose", "Proposer un intervenant", TENEURS_DU_VIVIER)
def proposer(ecriture: Ecriture, *, demande_id: int, intervenant_id: int) -> None:
    session, acteur = ecriture.session, ecriture.acteur
    demande, etab = _demande(session, demande_id)
    if demande.statut == StatutDemandeProfil.ACCEPTEE:
        raise ErreursSaisie(["Cette demande est déjà satisfaite : l'intervenant proposé a été engagé."])
    personne = session.get(Intervenant, intervenant_id)
    if personne is None or not personne.vivier_casnav:
        raise ErreursSaisie(["Cette personne n'est pas inscrite au vivier du CASNAV."])
    if etab.departement_code not in personne.vivier_departements:
        raise ErreursSaisie([f"{personne.prenom} {personne.nom} n'intervient pas dans le département {etab.departement_code}."])
    demande.intervenant_id, demande.statut = intervenant_id, StatutDemandeProfil.PROPOSEE.value
    demande.proposee_par_id, demande.proposee_at, demande.reponse = acteur.id, maintenant(), ""
    session.add(demande)
    ecriture.journaliser(f"dossier:{demande.dossier_id}", demande=demande_id, intervenant=intervenant_id)


def _demande_du_porteur(session: Session, acteur: Acteur, demande_id: int) -> DemandeProfil:
    demande, _ = _demande(session, demande_id)
    charger_dossier(session, acteur, demande.dossier_id)
    if demande.statut != StatutDemandeProfil.PROPOSEE:
        raise ErreursSaisie(["Aucun profil n'est proposé sur cette demande pour l'instant."])
    return demande


@operation("profil_accepte", "Répondre à une proposition du CASNAV", DEMANDEURS)
def accepter(ecriture: Ecriture, *, demande_id: int, donnees: dict) -> moteur.Resultat:
    """Engage the proposed person through the engagement step itself, in this operation's transaction: same checks,
    same documents."""
    session, acteur = ecriture.session, ecriture.acteur
    demande = _demande_du_porteur(session, acteur, demande_id)
    f = valider(AcceptationForm, donnees)
    personne = session.get(Intervenant, demande.intervenant_id)
    dossier = session.get(Dossier, demande.dossier_id)
    resultat = moteur.appliquer(session, acteur, PAR_CLE["engager_intervenant"], dossier_id=dossier.id, version=dossier.version,
                                 pdf_apres=False, donnees={
                                     "nom": personne.nom, "prenom": personne.prenom, "statut": personne.statut,
                                     "employeur_principal": personne.employeur_principal, "groupe": demande.groupe,
                                     **f.model_dump(mode="json")})
    demande.statut = StatutDemandeProfil.ACCEPTEE.value
    session.add(demande)
    ecriture.journaliser(f"dossier:{demande.dossier_id}", demande=demande_id)
    return resultat


@operation("profil_decline", "Répondre à une proposition du CASNAV", DEMANDEURS)
def decliner(ecriture: Ecriture, *, demande_id: int, motif: str) -> None:
    session = ecriture.session
    demande = _demande_du_porteur(session, ecriture.acteur, demande_id)
    motif = texte_saisi("Motif", motif)
    if len(motif) < 3:
        raise ErreursSaisie(["« Motif » : dites au CASNAV pourquoi ce profil ne convient pas."])
    demande.statut, demande.intervenant_id, demande.reponse = StatutDemandeProfil.OUVERTE.value, None, motif
    session.add(demande)
    ecriture.journaliser(f"dossier:{demande.dossier_id}", demande=demande_id)
