"""The intervenants of the ateliers in one's scope, and their pay data (NIR, IBAN, address): entered and read by
the paying service alone — the gestionnaire of a school or DSDEN where the person is engaged — stored encrypted,
every reading and change written to the audit log (spec §10 rules 7 and 9)."""

from dataclasses import dataclass

from sqlmodel import Session, select

from db.models import Dossier, Engagement, Etablissement, Intervenant, maintenant
from forms.atelier import DonneesPaieForm
from forms.base import valider
from forms.vocabulaire import Role, StatutCumul, StatutIntervenant
from infra import chiffrement
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import Acteur, dans_perimetre
from workflow.noyau.requetes import filtre_perimetre
from workflow.noyau.transaction import refuser

PAYEURS = (Role.GESTIONNAIRE,)


@dataclass(frozen=True)
class IntervenantVue:
    id: int
    nom: str
    statut: str
    ateliers: list[str]
    cumul: str
    donnees_paie_saisies: bool


def intervenants(session: Session, acteur: Acteur) -> list[IntervenantVue]:
    """Everyone engaged on a dossier of the actor's scope; says whether pay data exist, never what they are."""
    lignes = session.exec(select(Intervenant, Engagement, Etablissement.nom)
                          .join(Engagement, Engagement.intervenant_id == Intervenant.id)
                          .join(Dossier, Dossier.id == Engagement.dossier_id)
                          .join(Etablissement, Etablissement.uai == Dossier.uai)
                          .where(Engagement.engage.is_(True), filtre_perimetre(acteur))
                          .order_by(Intervenant.nom, Intervenant.prenom))
    vues: dict[int, IntervenantVue] = {}
    for personne, engagement, ecole in lignes:
        vue = vues.setdefault(personne.id, IntervenantVue(
            personne.id, f"{personne.prenom} {personne.nom}", StatutIntervenant(personne.statut).libelle, [],
            StatutCumul(engagement.statut_cumul).libelle, personne.iban is not None or personne.nir is not None))
        vue.ateliers.append(ecole)
    return list(vues.values())


def _exiger_payeur(session: Session, acteur: Acteur, intervenant_id: int) -> Intervenant:
    personne = session.get(Intervenant, intervenant_id)
    ecoles = session.exec(select(Etablissement).join(Dossier, Dossier.uai == Etablissement.uai)
                          .join(Engagement, Engagement.dossier_id == Dossier.id)
                          .where(Engagement.intervenant_id == intervenant_id)).all() if personne else []
    if not any(dans_perimetre(acteur, uai=e.uai, departement=e.departement_code) for e in ecoles):
        refuser(session, acteur, f"intervenant:{intervenant_id}:paie",
                "Accès refusé : cet intervenant n'est pas payé par votre service.")
    return personne


@operation("lecture_donnees_paie", "Données de paie d'un intervenant", PAYEURS)
def donnees_de_paie(ecriture: Ecriture, intervenant_id: int) -> DonneesPaieForm:
    personne = _exiger_payeur(ecriture.session, ecriture.acteur, intervenant_id)
    ecriture.journaliser(f"intervenant:{intervenant_id}")
    return DonneesPaieForm(iban=chiffrement.dechiffrer(personne.iban), nir=chiffrement.dechiffrer(personne.nir),
                           adresse=chiffrement.dechiffrer(personne.adresse) or "")


@operation("modification_donnees_paie", "Données de paie d'un intervenant", PAYEURS)
def enregistrer_donnees_de_paie(ecriture: Ecriture, intervenant_id: int, donnees: dict) -> None:
    """Validated (IBAN and NIR check digits) before anything is written; a refusal keeps what is stored."""
    personne = _exiger_payeur(ecriture.session, ecriture.acteur, intervenant_id)
    form = valider(DonneesPaieForm, donnees)
    personne.iban, personne.nir = chiffrement.chiffrer(form.iban), chiffrement.chiffrer(form.nir)
    personne.adresse = chiffrement.chiffrer(form.adresse)
    personne.donnees_paie_par_id, personne.donnees_paie_at = ecriture.acteur.id, maintenant()
    ecriture.session.add(personne)
    ecriture.journaliser(f"intervenant:{intervenant_id}")
