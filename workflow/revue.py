"""DAEPS review of generated documents: one list with filters, approval or send-back with a comment
the author sees, single or ZIP download. Reviews are append-only: the latest one is the status."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from db.models import Campagne, Document, Dossier, Etablissement, RevueDocument
from documents import archive, stockage
from documents.apercu import premiere_page_png
from documents.catalogue import libelle_document
from forms.base import ErreursSaisie, texte_imprimable, texte_saisi
from forms.vocabulaire import Role, StatutRevue
from workflow.consultation import document, documents_lisibles, exiger_lecture, lire_document
from workflow.noyau.moteur import charger_dossier, numero_dossier
from workflow.noyau.operations import TOUS, Ecriture, operation
from workflow.noyau.permissions import AccesRefuse, Acteur
from workflow.noyau.requetes import filtre_perimetre

RELECTEURS = (Role.DAEPS, Role.PILOTE)


@dataclass(frozen=True)
class DocumentARevoir:
    document: Document
    etablissement: str | None
    uai: str | None
    departement: str | None
    statut: str
    commentaire: str
    revu_at: datetime | None
    version_signee: int | None = None  # a scan signed outside the tool: the version of the generated document it signs


def _derniere_revue():
    """Subquery of each document's latest review."""
    derniere = select(func.max(RevueDocument.id).label("id")).group_by(RevueDocument.document_id).subquery()
    return select(RevueDocument).join(derniere, derniere.c.id == RevueDocument.id).subquery()


def documents(session: Session, acteur: Acteur, *, etape: str | None = None, departement: str | None = None,
              uai: str | None = None, statut: str | None = None, campagne_id: int | None = None,
              campagne_ids: Iterable[int] | None = None) -> list[DocumentARevoir]:
    """Documents in the actor's scope with their review status, filtered (one campaign, or several: those with work in
    progress); one query."""
    revue = _derniere_revue()
    signe = aliased(Document)
    requete = (select(Document, Etablissement.nom, Etablissement.uai, Etablissement.departement_code, revue.c.statut,
                      revue.c.commentaire, revue.c.at, signe.version)
               .outerjoin(Dossier, Dossier.id == Document.dossier_id)
               .outerjoin(signe, signe.id == Document.signe_de_id)
               .outerjoin(Etablissement, Etablissement.uai == Dossier.uai)
               .outerjoin(revue, revue.c.document_id == Document.id)
               .order_by(Document.genere_at.desc(), Document.id.desc()))
    if acteur.role not in RELECTEURS:  # narrows the query; the read rule below decides
        requete = requete.where(or_(Document.dossier_id.is_(None), filtre_perimetre(acteur)))
    # A filter typed on the page never reaches the database with a character it cannot hold (NUL on PostgreSQL).
    etape, departement, uai = (texte_imprimable(v) if v else v for v in (etape, departement, uai))
    for colonne, valeur in ((Document.etape, etape), (Etablissement.departement_code, departement), (Etablissement.uai, uai),
                            (Document.campagne_id, campagne_id)):
        if valeur:
            requete = requete.where(colonne == valeur)
    if campagne_ids is not None:
        requete = requete.where(Document.campagne_id.in_(list(campagne_ids)))
    if statut == StatutRevue.A_REVOIR:
        requete = requete.where(revue.c.statut.is_(None))
    elif statut:
        requete = requete.where(revue.c.statut == statut)
    lignes = list(session.exec(requete))
    lisibles = {d.id for d in documents_lisibles(session, acteur, (ligne[0] for ligne in lignes), conserves=False)}
    return [DocumentARevoir(doc, nom, code, dep, st or StatutRevue.A_REVOIR.value, com or "", at, signee)
            for doc, nom, code, dep, st, com, at, signee in lignes if doc.id in lisibles]


@operation("revue", "Relire les documents", RELECTEURS)
def reviser(ecriture: Ecriture, *, document_id: int, statut: StatutRevue | str, commentaire: str = "") -> None:
    session = ecriture.session
    if statut not in (StatutRevue.APPROUVE, StatutRevue.A_CORRIGER):
        raise ErreursSaisie(["« Statut » : n'est pas une valeur autorisée."])
    statut = StatutRevue(statut)
    commentaire = texte_saisi("Commentaire", commentaire, multiligne=True)
    if statut == StatutRevue.A_CORRIGER and len(commentaire) < 3:
        raise ErreursSaisie(["« Commentaire » : est obligatoire pour renvoyer un document à son auteur."])
    if session.get(Document, document_id) is None:
        raise AccesRefuse("Document introuvable.")
    session.add(RevueDocument(document_id=document_id, statut=statut.value, commentaire=commentaire, par_id=ecriture.acteur.id))
    ecriture.journaliser(f"document:{document_id}", action=f"revue_{statut.value}")


def revues_du_dossier(session: Session, acteur: Acteur, dossier_id: int) -> dict[int, RevueDocument]:
    """Latest review of each document of a dossier (what the author sees)."""
    charger_dossier(session, acteur, dossier_id)
    derniere = select(func.max(RevueDocument.id).label("id")).group_by(RevueDocument.document_id).subquery()
    lignes = session.exec(select(RevueDocument).join(derniere, derniere.c.id == RevueDocument.id)
                          .join(Document, Document.id == RevueDocument.document_id).where(Document.dossier_id == dossier_id))
    return {ligne.document_id: ligne for ligne in lignes}


@operation("telechargement_zip", "Télécharger des documents", TOUS)
def archive_zip(ecriture: Ecriture, document_ids: list[int]) -> bytes:
    """The chosen documents in one ZIP, each checked by the one read rule and against its SHA-256; one
    document the actor may not read refuses the whole archive (nothing is handed out in part). Each file is named
    from its dossier, and the archive's manifest (documents.archive) lists them: only documents the actor may read."""
    session, acteur = ecriture.session, ecriture.acteur
    docs = [document(session, doc_id) for doc_id in dict.fromkeys(document_ids)]
    for doc in docs:
        exiger_lecture(session, acteur, doc)
    contenu = archive.construire(_piece(session, doc) for doc in docs)
    ecriture.journaliser(f"{len(docs)} documents", documents=[d.id for d in docs])
    return contenu


def nom_de_l_archive(annees: Iterable[str], *, etape: str | None = None, departement: str | None = None,
                     uai: str | None = None) -> str:
    """« documents-oepre-2025-2026-0310001H-attester.zip »: the name a downloaded ZIP takes from what it holds (the
    campaigns' years, then the narrowest place and the step chosen), so that two downloads are not two « documents.zip »."""
    lieu = uai or (f"departement-{departement}" if departement else "academie")
    parties = [*sorted(set(annees)), lieu, *([etape] if etape else [])]
    return "-".join(["documents-oepre", *(archive.nom_lisible(p, longueur=30).replace(" ", "-") for p in parties)]) + ".zip"


def _piece(session: Session, doc: Document) -> archive.Piece:
    campagne = session.get(Campagne, doc.campagne_id)
    dossier = session.get(Dossier, doc.dossier_id) if doc.dossier_id else None
    if dossier is not None:
        etab = session.get(Etablissement, dossier.uai)
        numero, nom, uai = numero_dossier(campagne, dossier), etab.nom, etab.uai
    else:  # a campaign's document: the académie's, or one département's (« campagne:1:departement:31 »)
        departement = doc.sujet.split(":departement:", 1)[1] if ":departement:" in doc.sujet else ""
        numero, nom, uai = "", f"Département {departement}" if departement else "Académie", ""
    type_document, version = libelle_document(doc.type_document), doc.version
    if doc.signe_de_id is not None:  # the paper-signed scan: named after the version it signs, never taken for its PDF
        type_document, version = f"{type_document} signé hors application", session.get(Document, doc.signe_de_id).version
    return archive.Piece(stockage.depot().lire(doc.chemin, doc.sha256), campagne.annee_scolaire,
                         numero, nom, uai, type_document, doc.concerne, version, doc.format, doc.genere_at, doc.sha256)


def apercu(session: Session, acteur: Acteur, document_id: int) -> bytes | None:
    """PNG of the first page of a PDF document in the actor's scope (None for a DOCX or without poppler)."""

    fichier = lire_document(session, acteur, document_id)
    return premiere_page_png(fichier.contenu) if fichier.mime == "application/pdf" else None
