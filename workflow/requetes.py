"""Read side for the pages: every query is filtered by the actor's scope in SQL, never after."""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import (
    Avis,
    Campagne,
    Decision,
    Departement,
    Document,
    Dossier,
    Engagement,
    Etablissement,
    Transition,
    Utilisateur,
)
from documents import stockage
from forms.vocabulaire import ETAT_LIBELLES, Etat, Role
from workflow.etapes import Etape, etapes_possibles
from workflow.permissions import LECTURE_ACADEMIQUE, AccesRefuse, Acteur
from workflow.services import charger_dossier, journaliser, numero_dossier
from workflow.settings import get_settings

MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}


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

    @property
    def etat_libelle(self) -> str:
        return ETAT_LIBELLES[self.etat]


@dataclass
class DossierVue:
    dossier: Dossier
    etablissement: Etablissement
    campagne: Campagne
    avis: Avis | None
    decision: Decision | None
    documents: list[Document]
    historique: list[tuple[Transition, str]]  # (row, actor's name)
    etapes: list[Etape] = field(default_factory=list)

    @property
    def numero(self) -> str:
        return numero_dossier(self.campagne, self.dossier)


@dataclass(frozen=True)
class Fichier:
    nom: str
    contenu: bytes
    mime: str


def filtre_perimetre(acteur: Acteur):
    """SQL condition on Dossier/Etablissement rows matching workflow.permissions.dans_perimetre."""
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
            return Dossier.id.in_(select(Engagement.dossier_id).where(Engagement.intervenant_id == acteur.intervenant_id))
        case _ if acteur.role in LECTURE_ACADEMIQUE:
            return True
        case _:
            return False


def campagne_courante(session: Session) -> Campagne | None:
    return session.exec(select(Campagne).order_by(Campagne.annee_scolaire.desc())).first()


def campagnes(session: Session) -> list[Campagne]:
    return list(session.exec(select(Campagne).order_by(Campagne.annee_scolaire.desc())))


def dossiers_visibles(session: Session, acteur: Acteur, campagne_id: int | None = None) -> list[DossierLigne]:
    requete = (select(Dossier, Etablissement, Campagne, Avis.avis, Decision.decision)
               .join(Etablissement, Etablissement.uai == Dossier.uai)
               .join(Campagne, Campagne.id == Dossier.campagne_id)
               .outerjoin(Avis, Avis.dossier_id == Dossier.id)
               .outerjoin(Decision, Decision.dossier_id == Dossier.id)
               .where(filtre_perimetre(acteur)).order_by(Etablissement.departement_code, Etablissement.nom))
    if campagne_id is not None:
        requete = requete.where(Dossier.campagne_id == campagne_id)
    return [DossierLigne(id=d.id, numero=numero_dossier(c, d), uai=d.uai, etablissement=e.nom, commune=e.commune,
                         departement=e.departement_code, etat=Etat(d.etat), heures_total=d.heures_total,
                         montant_demande=d.montant_demande, avis=a, decision=dec)
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


def dossier_detail(session: Session, acteur: Acteur, dossier_id: int) -> DossierVue:
    dossier, etab = charger_dossier(session, acteur, dossier_id)
    historique = session.exec(select(Transition, Utilisateur.nom_affiche)
                              .outerjoin(Utilisateur, Utilisateur.id == Transition.acteur_id)
                              .where(Transition.dossier_id == dossier_id).order_by(Transition.id))
    return DossierVue(
        dossier=dossier, etablissement=etab, campagne=session.get(Campagne, dossier.campagne_id),
        avis=session.exec(select(Avis).where(Avis.dossier_id == dossier_id)).first(),
        decision=session.exec(select(Decision).where(Decision.dossier_id == dossier_id)).first(),
        documents=documents_du_dossier(session, acteur, dossier_id, verifie=True),
        historique=[(t, nom or "système") for t, nom in historique],
        etapes=etapes_possibles(acteur.role, Etat(dossier.etat)),
    )


def documents_du_dossier(session: Session, acteur: Acteur, dossier_id: int, verifie: bool = False) -> list[Document]:
    if not verifie:
        charger_dossier(session, acteur, dossier_id)
    return list(session.exec(select(Document).where(Document.dossier_id == dossier_id)
                             .order_by(Document.type_document, Document.version.desc(), Document.format)))


def documents_campagne(session: Session, campagne_id: int) -> list[Document]:
    return list(session.exec(select(Document).where(Document.campagne_id == campagne_id, Document.dossier_id.is_(None))
                             .order_by(Document.type_document, Document.version.desc())))


def lire_document(session: Session, acteur: Acteur, document_id: int) -> Fichier:
    doc = session.get(Document, document_id)
    if doc is None:
        raise AccesRefuse("Document introuvable.")
    if doc.dossier_id is not None:
        charger_dossier(session, acteur, doc.dossier_id)
    contenu = stockage.lire(get_settings().documents_dir, doc.chemin, doc.sha256)
    journaliser(session, acteur, "telechargement", f"document:{doc.id}")
    session.commit()
    return Fichier(nom=doc.nom_fichier, contenu=contenu, mime=MIME[doc.format])


def departements(session: Session, academie: str) -> list[Departement]:
    return list(session.exec(select(Departement).where(Departement.academie_code == academie).order_by(Departement.code)))


def etablissement(session: Session, uai: str) -> Etablissement | None:
    return session.get(Etablissement, uai)


def utilisateurs(session: Session, acteur: Acteur) -> list[Utilisateur]:
    if acteur.role != Role.ADMIN:
        raise AccesRefuse("La liste des comptes est réservée à l'administrateur.")
    return list(session.exec(select(Utilisateur).order_by(Utilisateur.role, Utilisateur.identifiant)))

