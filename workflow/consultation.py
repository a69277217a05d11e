"""Reading a dossier and its documents by the one access rule (workflow.noyau.permissions.peut_lire_document),
whatever the path: list, download, PDF, preview, ZIP. Above the phases: it asks the table which documents name
parents and which steps a role may take."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from db.models import (
    Avis,
    Campagne,
    Decision,
    Document,
    Dossier,
    Etablissement,
    Transition,
    Utilisateur,
)
from documents import stockage
from forms.vocabulaire import Etat, Role
from workflow.etapes import documents_nominatifs, etapes_possibles
from workflow.noyau.etape import Etape
from workflow.noyau.moteur import charger_dossier, dossiers_de_l_intervenant, numero_dossier
from workflow.noyau.operations import TOUS, Ecriture, operation
from workflow.noyau.permissions import AccesRefuse, Acteur, DocumentSitue, peut_lire_document, refus_de_lecture
from workflow.noyau.requetes import supprimes_parmi
from workflow.noyau.transaction import refuser

MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf",
        "png": "image/png", "jpg": "image/jpeg", "zip": "application/zip"}


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

def _dossiers_engages(session: Session, acteur: Acteur) -> set[int]:
    if acteur.role != Role.INTERVENANT or acteur.intervenant_id is None:
        return set()
    return set(session.exec(dossiers_de_l_intervenant(acteur.intervenant_id)))

def _situes(session: Session, acteur: Acteur, docs: list[Document]) -> list[DocumentSitue]:
    """Each document with what the read rule needs (its school, département, the actor's engagement), in two queries."""
    dossier_ids = {d.dossier_id for d in docs if d.dossier_id is not None}
    lieux = dict(((i, (uai, dep)) for i, uai, dep in session.exec(
        select(Dossier.id, Dossier.uai, Etablissement.departement_code).join(Etablissement, Etablissement.uai == Dossier.uai)
        .where(Dossier.id.in_(dossier_ids))))) if dossier_ids else {}
    engages = _dossiers_engages(session, acteur) if dossier_ids else set()
    nominatifs = documents_nominatifs()
    dossier_absent = ("", "")  # a dossier id that no longer exists: nobody's scope

    def situe(doc: Document) -> DocumentSitue:
        if doc.dossier_id is None:
            return DocumentSitue(doc.type_document, doc.sujet, nominatif=doc.type_document in nominatifs)
        uai, dep = lieux.get(doc.dossier_id, dossier_absent)
        return DocumentSitue(doc.type_document, doc.sujet, uai=uai, departement=dep, intervenant_engage=doc.dossier_id in engages,
                             nominatif=doc.type_document in nominatifs)

    return [situe(d) for d in docs]

def documents_lisibles(session: Session, acteur: Acteur, docs: Iterable[Document], *, conserves: bool = True) -> list[Document]:
    """The documents the actor may read, by the one rule (workflow.noyau.permissions.peut_lire_document); with
    `conserves`, only those still stored (files naming parents are deleted at the end of their retention)."""
    docs = list(docs)
    supprimes = supprimes_parmi(session, [d.id for d in docs]) if conserves else set()
    return [d for d, lieu in zip(docs, _situes(session, acteur, docs))
            if peut_lire_document(acteur, lieu) and d.id not in supprimes]

def exiger_lecture(session: Session, acteur: Acteur, doc: Document) -> None:
    """AccesRefuse, written to the audit log, unless the actor may read this document (whatever the path to it)."""
    (lieu,) = _situes(session, acteur, [doc])
    if (refus := refus_de_lecture(acteur, lieu)) is None:
        if supprimes_parmi(session, [doc.id]):
            raise AccesRefuse("Ce document n'est plus conservé : sa durée de conservation est écoulée.")
        return
    refuser(session, acteur, f"document:{doc.id}", refus, type_document=doc.type_document)

def document(session: Session, document_id: int) -> Document:
    doc = session.get(Document, document_id)
    if doc is None:
        raise AccesRefuse("Document introuvable.")
    return doc

def documents_du_dossier(session: Session, acteur: Acteur, dossier_id: int, verifie: bool = False) -> list[Document]:
    if not verifie:
        charger_dossier(session, acteur, dossier_id)
    return documents_lisibles(session, acteur, session.exec(
        select(Document).where(Document.dossier_id == dossier_id)
        .order_by(Document.type_document, Document.version.desc(), Document.format)))

def documents_campagne(session: Session, acteur: Acteur, campagne_id: int) -> list[Document]:
    return documents_lisibles(session, acteur, session.exec(
        select(Document).where(Document.campagne_id == campagne_id, Document.dossier_id.is_(None))
        .order_by(Document.type_document, Document.version.desc())))

@operation("telechargement", "Télécharger un document", TOUS)
def lire_document(ecriture: Ecriture, document_id: int) -> Fichier:
    doc = document(ecriture.session, document_id)
    exiger_lecture(ecriture.session, ecriture.acteur, doc)
    contenu = stockage.depot().lire(doc.chemin, doc.sha256)
    ecriture.journaliser(f"document:{doc.id}")
    return Fichier(nom=doc.nom_fichier, contenu=contenu, mime=MIME[doc.format])
