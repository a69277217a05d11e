"""Running a step by its key: the engine (workflow.noyau.moteur) applies the step's row of the table."""

from sqlmodel import Session

from db.models import Document
from workflow.etapes import ETAPES_PAR_CLE
from workflow.noyau import moteur
from workflow.noyau.moteur import Resultat
from workflow.noyau.permissions import Acteur


def executer(session: Session, acteur: Acteur, cle: str, *, donnees: dict, dossier_id: int | None = None,
             campagne_id: int | None = None, version: int | None = None, pdf_apres: bool = True) -> Resultat:
    """Run the step `cle` (deposer, decider…) on a dossier (its id and the version read) or on a campaign."""
    return moteur.appliquer(session, acteur, ETAPES_PAR_CLE[cle], donnees=donnees, dossier_id=dossier_id,
                            campagne_id=campagne_id, version=version, pdf_apres=pdf_apres)


def produire_pdf(session: Session, document_id: int, acteur: Acteur) -> Document:
    """The PDF of a stored DOCX (e.g. one whose conversion failed at the step), as its step's row says."""
    source = session.get(Document, document_id)
    etape = ETAPES_PAR_CLE.get(source.etape) if source is not None else None
    return moteur.produire_pdf(session, document_id, acteur, joint_a=etape.joint_a if etape else None)
