"""Read side for the pages: every query is filtered by the actor's scope in SQL, never after."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from db.models import (
    Avis,
    Bilan,
    Campagne,
    Decision,
    Departement,
    Document,
    DocumentSupprime,
    Dossier,
    Engagement,
    Etablissement,
    Groupe,
    Intervenant,
    Utilisateur,
)
from forms.base import annee_precedente
from forms.vocabulaire import FINANCES, Etat, Role, TypeStructure
from infra.settings import aujourdhui
from workflow.noyau import paie
from workflow.noyau.moteur import charger_dossier, dossiers_de_l_intervenant, numero_dossier
from workflow.noyau.permissions import ADMINISTRATEURS, LECTURE_ACADEMIQUE, AccesRefuse, Acteur
from workflow.noyau.profil import academie_de
from workflow.noyau.taux import taux_a_la_date


@dataclass(frozen=True)
class DossierLigne:
    id: int
    numero: str
    uai: str
    etablissement: str
    commune: str
    departement: str
    etat: Etat
    heures_total: Decimal
    montant_demande: Decimal
    avis: str | None
    decision: str | None
    campagne_id: int | None = None
    annee_scolaire: str = ""

    @property
    def etat_libelle(self) -> str:
        return Etat(self.etat).libelle


def filtre_perimetre(acteur: Acteur):
    """SQL condition on Dossier/Etablissement rows matching workflow.noyau.permissions.dans_perimetre."""
    match acteur.role:
        case Role.PORTEUR:
            return Dossier.uai == acteur.uai
        case Role.DSDEN:
            return Etablissement.departement_code == acteur.departement
        case Role.GESTIONNAIRE:
            if acteur.uai:
                return Dossier.uai == acteur.uai
            return Etablissement.departement_code == acteur.departement
        case Role.INTERVENANT:
            return Dossier.id.in_(dossiers_de_l_intervenant(acteur.intervenant_id))
        case _ if acteur.role in LECTURE_ACADEMIQUE:  # the académie's dossiers, never another académie's
            return Dossier.campagne_id.in_(select(Campagne.id).where(Campagne.academie_code == academie_de(acteur)))
        case _:
            return False


def academie_du_deploiement(acteur: Acteur | None = None) -> str:
    """The académie whose data the actor sees (workflow.noyau.profil.academie_de): its account's, or the deployment's
    (OEPRE_ACADEMIE) for an account that names none — the one `ouvrir_campagne` writes on the campaign it opens.
    Without an actor, the deployment's."""
    return academie_de(acteur)


def supprimes_parmi(session: Session, document_ids: Iterable[int]) -> set[int]:
    """Those of these documents whose file the retention purge deleted (one query)."""
    ids = list(document_ids)
    if not ids:
        return set()
    return set(session.exec(select(DocumentSupprime.document_id).where(DocumentSupprime.document_id.in_(ids))))


def campagne_courante(session: Session, acteur: Acteur | None = None) -> Campagne | None:
    """The campaign being filed: the actor's académie's newest call for projects (what one applies to, gives an avis
    and decides on) — never another académie's. For the work still running on earlier years, see `campagnes_en_cours`."""
    return session.exec(select(Campagne).where(Campagne.academie_code == academie_du_deploiement(acteur))
                        .order_by(Campagne.annee_scolaire.desc())).first()


# States in which a dossier asks nothing more of anyone: never filed, refused, closed, abandoned.
SANS_TRAVAIL = (Etat.BROUILLON, Etat.NON_RETENU, Etat.CLOS, Etat.ABANDONNE)


def campagnes_en_cours(session: Session, acteur: Acteur | None = None) -> list[Campagne]:
    """Every campaign of the académie that still has work, newest first: the call being filed (`campagne_courante`)
    and each earlier campaign with a dossier still in progress (filed and awaiting its avis or decision, retained,
    ateliers running, or finished and awaiting their bilans). A year's ateliers run until June while the next call
    opens in spring: both years have work then. One query."""
    academie = academie_du_deploiement(acteur)
    derniere = (select(Campagne.id).where(Campagne.academie_code == academie)
                .order_by(Campagne.annee_scolaire.desc()).limit(1).scalar_subquery())
    actives = select(Dossier.campagne_id).where(Dossier.etat.not_in([e.value for e in SANS_TRAVAIL]))
    return list(session.exec(select(Campagne).where(Campagne.academie_code == academie,
                                                    or_(Campagne.id == derniere, Campagne.id.in_(actives)))
                             .order_by(Campagne.annee_scolaire.desc())))


def campagnes(session: Session, acteur: Acteur | None = None) -> list[Campagne]:
    """Every campaign of the actor's académie, newest first."""
    return list(session.exec(select(Campagne).where(Campagne.academie_code == academie_du_deploiement(acteur))
                             .order_by(Campagne.annee_scolaire.desc())))


def dossiers_visibles(session: Session, acteur: Acteur, campagne_id: int | None = None, *, departement: str | None = None,
                      limite: int | None = None, decalage: int = 0,
                      campagne_ids: Iterable[int] | None = None) -> list[DossierLigne]:
    """The dossiers of one campaign (`campagne_id`), of several (`campagne_ids`) or of all, in the actor's scope."""
    requete = (select(Dossier, Etablissement, Campagne, Avis.avis, Decision.decision)
               .join(Etablissement, Etablissement.uai == Dossier.uai)
               .join(Campagne, Campagne.id == Dossier.campagne_id)
               .outerjoin(Avis, Avis.dossier_id == Dossier.id)
               .outerjoin(Decision, Decision.dossier_id == Dossier.id)
               .where(filtre_perimetre(acteur)).order_by(Etablissement.departement_code, Etablissement.nom, Dossier.id))
    if campagne_id is not None:
        requete = requete.where(Dossier.campagne_id == campagne_id)
    if campagne_ids is not None:
        requete = requete.where(Dossier.campagne_id.in_(list(campagne_ids)))
    if departement:
        requete = requete.where(Etablissement.departement_code == departement)
    if limite is not None:
        requete = requete.limit(limite).offset(decalage)
    return [DossierLigne(id=d.id, numero=numero_dossier(c, d), uai=d.uai, etablissement=e.nom, commune=e.commune,
                         departement=e.departement_code, etat=Etat(d.etat), heures_total=d.heures_total,
                         montant_demande=d.montant_demande, avis=a, decision=dec, campagne_id=c.id,
                         annee_scolaire=c.annee_scolaire)
            for d, e, c, a, dec in session.exec(requete)]


def compteurs_par_etat(session: Session, acteur: Acteur, campagne_id: int) -> dict[tuple[str, str], int]:
    """Number of dossiers per (département, state) in the actor's scope: one grouped query.
    These are counts of dossiers, not of people: the Intérieur sees them for the whole académie."""
    perimetre = True if acteur.role == Role.INTERIEUR else filtre_perimetre(acteur)
    lignes = session.exec(select(Etablissement.departement_code, Dossier.etat, func.count(Dossier.id))
                          .join(Etablissement, Etablissement.uai == Dossier.uai)
                          .where(Dossier.campagne_id == campagne_id, perimetre)
                          .group_by(Etablissement.departement_code, Dossier.etat))
    return {(dep, etat): n for dep, etat, n in lignes}


def montants_engages(session: Session, campagne_id: int) -> tuple[Decimal, Decimal]:
    """Amounts already granted on the P104 and EN lines of a campaign (aggregates: any staff role)."""
    p104, en = session.exec(select(func.coalesce(func.sum(Decision.montant_p104), 0), func.coalesce(func.sum(Decision.montant_en), 0))
                            .join(Dossier, Dossier.id == Decision.dossier_id).where(Dossier.campagne_id == campagne_id)).one()
    return Decimal(p104), Decimal(en)


@dataclass(frozen=True)
class LigneOrdreDuJour:
    """What the committee needs to decide on one dossier (spec §6 step 3, the five criteria)."""

    id: int
    numero: str
    version: int
    etablissement: str
    uai: str
    departement: str
    etat: Etat
    avis: str | None
    rang: int | None
    nb_parents: int
    part_primo_pct: int
    part_reinscrits_pct: int
    nb_groupes: int
    effectif_min: int | None
    heures_total: Decimal
    montant_demande: Decimal
    nb_intervenants: int
    nb_intervenants_fle: int
    renouvellement: bool
    bilans_n_1: str  # « sans objet », « complets », « manquants »


def ordre_du_jour(session: Session, acteur: Acteur, campagne: Campagne) -> list[LigneOrdreDuJour]:
    """The committee agenda in one query whatever the number of dossiers (aggregates as subqueries)."""
    from sqlalchemy import case


    groupes = (select(Groupe.dossier_id, func.count(Groupe.id).label("n"), func.min(Groupe.effectif_prevu).label("mini"))
               .group_by(Groupe.dossier_id).subquery())
    intervenants = (select(Engagement.dossier_id, func.count(Engagement.id).label("n"),
                           func.sum(case((Intervenant.qualification_fle_fls, 1), else_=0)).label("fle"))
                    .join(Intervenant, Intervenant.id == Engagement.intervenant_id).group_by(Engagement.dossier_id).subquery())
    precedente = session.exec(select(Campagne.id).where(Campagne.academie_code == campagne.academie_code,
                                                        Campagne.annee_scolaire == annee_precedente(campagne.annee_scolaire))).first()
    anciens = (select(Dossier.uai, func.count(func.distinct(Bilan.type_bilan)).label("bilans"))
               .outerjoin(Bilan, and_(Bilan.dossier_id == Dossier.id, Bilan.transmis_le.is_not(None)))
               .where(Dossier.campagne_id == (precedente or -1), Dossier.etat.in_([e.value for e in FINANCES]))
               .group_by(Dossier.uai).subquery())
    requete = (select(Dossier, Etablissement.nom, Etablissement.departement_code, Avis.avis, Avis.priorite_departementale,
                      groupes.c.n, groupes.c.mini, intervenants.c.n, intervenants.c.fle, anciens.c.bilans, anciens.c.uai)
               .join(Etablissement, Etablissement.uai == Dossier.uai)
               .outerjoin(Avis, Avis.dossier_id == Dossier.id)
               .outerjoin(groupes, groupes.c.dossier_id == Dossier.id)
               .outerjoin(intervenants, intervenants.c.dossier_id == Dossier.id)
               .outerjoin(anciens, anciens.c.uai == Dossier.uai)
               .where(Dossier.campagne_id == campagne.id, Dossier.etat.in_([Etat.AVIS_DONNE.value, Etat.LISTE_ATTENTE.value]),
                      filtre_perimetre(acteur))
               .order_by(Etablissement.departement_code, Avis.priorite_departementale.is_(None), Avis.priorite_departementale,
                         Etablissement.nom))
    lignes = []
    for d, nom, dep, avis, rang, n_grp, mini, n_int, n_fle, bilans, ancien in session.exec(requete):
        parents = max(d.nb_parents_prevus, 1)
        lignes.append(LigneOrdreDuJour(
            id=d.id, numero=numero_dossier(campagne, d), version=d.version, etablissement=nom, uai=d.uai, departement=dep,
            etat=Etat(d.etat), avis=avis, rang=rang, nb_parents=d.nb_parents_prevus,
            part_primo_pct=round(100 * d.nb_primo_arrivants_prevus / parents),
            part_reinscrits_pct=round(100 * d.nb_reinscrits_prevus / parents), nb_groupes=n_grp or 0, effectif_min=mini,
            heures_total=d.heures_total, montant_demande=d.montant_demande, nb_intervenants=n_int or 0,
            nb_intervenants_fle=int(n_fle or 0), renouvellement=d.renouvellement,
            bilans_n_1="sans objet" if ancien is None else ("complets" if (bilans or 0) >= 2 else "manquants")))
    return lignes


def version_du_dossier(session: Session, dossier_id: int) -> int:
    """The dossier's optimistic-lock version as stored now (each write raises it)."""
    return session.exec(select(Dossier.version).where(Dossier.id == dossier_id)).one()


def a_son_pdf(session: Session, document_id: int) -> bool:
    """Whether the DOCX has been converted (a PDF row whose source it is)."""
    return session.exec(select(Document.id).where(Document.source_id == document_id, Document.format == "pdf")).first() is not None


def valeurs_proposees(session: Session, acteur: Acteur, cle: str, dossier_id: int) -> dict:
    """What a step's form starts with on the dossier page, from what the service already knows: the credits
    notification takes the committee's amounts and the paying structure (the EPLE itself, the DSDEN for a school)."""
    if cle != "notifier_credits":
        return {}
    dossier, etab = charger_dossier(session, acteur, dossier_id)
    decision = session.exec(select(Decision).where(Decision.dossier_id == dossier.id)).first()
    if decision is None:
        return {}
    if TypeStructure(etab.type_structure).degre == 1:
        dep = session.get(Departement, etab.departement_code)
        payeur = f"DSDEN {dep.nom} ({dep.code})"
    else:
        payeur = f"{etab.nom} ({etab.uai})"
    return {"montant_p104": decision.montant_p104, "montant_en": decision.montant_en, "structure_payeuse": payeur}


def choix_du_dossier(session: Session, acteur: Acteur, dossier_id: int) -> dict[str, list[str]]:
    """The dossier's own lists that form fields marked ChoixDuDossier choose in: its groups' labels and its engaged
    intervenants (« Prénom NOM », as the séances and the pay documents name them)."""
    dossier, _ = charger_dossier(session, acteur, dossier_id)
    groupes = session.exec(select(Groupe.libelle).where(Groupe.dossier_id == dossier.id).order_by(Groupe.id))
    return {"groupes": list(groupes), "intervenants": paie.noms_engages(session, dossier.id)}


def departements(session: Session, academie: str) -> list[Departement]:
    return list(session.exec(select(Departement).where(Departement.academie_code == academie).order_by(Departement.code)))


def etablissement(session: Session, uai: str) -> Etablissement | None:
    return session.get(Etablissement, uai)


def utilisateurs(session: Session, acteur: Acteur) -> list[Utilisateur]:
    if acteur.role not in ADMINISTRATEURS:
        raise AccesRefuse("La liste des comptes est réservée à l'administrateur.")
    return list(session.exec(select(Utilisateur).order_by(Utilisateur.role, Utilisateur.identifiant)))


def taux_en_vigueur(session: Session) -> Decimal:
    """The vacation rate of today (public: it is in the appel à projets)."""

    return taux_a_la_date(session, aujourdhui())
