"""The template a document is rendered with: the académie's version in force for its type (the last one published,
workflow.modeles), else the built-in template of templates_docx/. The engine asks here at each rendering, so that a
version published or restored applies to the next document, and records on the document the version it used."""

from dataclasses import dataclass

from sqlmodel import Session, select

from db.models import ModeleDocument
from documents import stockage
from forms.vocabulaire import EtatModele


@dataclass(frozen=True)
class ModeleEnVigueur:
    """What rendering needs: `modele_id` for Document.modele_id (None: built-in), `contenu` for render.rendre's
    `gabarit` (None: the built-in template)."""

    modele_id: int | None = None
    contenu: bytes | None = None


INTEGRE = ModeleEnVigueur()


def version_en_vigueur(session: Session, academie_code: str, type_document: str) -> ModeleDocument | None:
    """The académie's last published version of that type (a row without file: the built-in put back), or None."""
    return session.exec(select(ModeleDocument).where(
        ModeleDocument.academie_code == academie_code, ModeleDocument.type_document == type_document,
        ModeleDocument.etat == EtatModele.PUBLIE.value).order_by(ModeleDocument.publie_at.desc(), ModeleDocument.id.desc())).first()


def contenu_du_modele(modele: ModeleDocument) -> bytes:
    """The stored file of a version, checked against its SHA-256."""
    return stockage.depot().lire(modele.chemin, modele.sha256)


def modele_en_vigueur(session: Session, academie_code: str, type_document: str) -> ModeleEnVigueur:
    """The template to render `type_document` with for that académie, now."""
    modele = version_en_vigueur(session, academie_code, type_document)
    if modele is None or modele.chemin is None:
        return INTEGRE
    return ModeleEnVigueur(modele.id, contenu_du_modele(modele))
