"""After a technical failure (a lost database connection, LibreOffice, the disk), say in French whether the action went
through: a person who cannot tell does it twice, or not at all.

The page notes a `Repere` (the last ids of the history and of the audit log) before acting; after a failure it
re-reads, in a fresh session, whether the actor's step or logged action appeared since. Refusals the service
explains itself (ErreursSaisie, EtapeRefusee, AccesRefuse…) are not incidents.
"""

import logging
import subprocess
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel import Session, select

from db.models import JournalAudit, Transition
from documents import pdf
from workflow.noyau.permissions import Acteur

journal = logging.getLogger("oepre.incidents")


def consigner(quoi: str) -> None:
    """The traceback of the exception being handled, for the admin (the person reads `message` or `cause`)."""
    journal.exception("Incident : %s", quoi)


@dataclass(frozen=True)
class Repere:
    transition: int
    journal: int


def repere(session: Session) -> Repere:
    return Repere(session.exec(select(func.max(Transition.id))).one() or 0,
                  session.exec(select(func.max(JournalAudit.id))).one() or 0)


def enregistree_depuis(session: Session, depuis: Repere, acteur: Acteur, *, etape: str | None = None,
                       journal: str | None = None) -> bool:
    """Whether the actor's step `etape` (a history row) or logged action `journal` was recorded after `depuis`."""
    if etape is not None and session.exec(select(Transition.id).where(
            Transition.id > depuis.transition, Transition.etape == etape, Transition.acteur_id == acteur.id)).first():
        return True
    return journal is not None and session.exec(select(JournalAudit.id).where(
        JournalAudit.id > depuis.journal, JournalAudit.action == journal,
        JournalAudit.utilisateur_id == acteur.id)).first() is not None


def cause(exc: BaseException) -> str:
    """What failed, in words a school head can pass on to the help desk."""
    if isinstance(exc, IntegrityError):
        return "une autre personne a enregistré la même chose au même moment"
    if isinstance(exc, (OperationalError, DBAPIError)):
        return "la connexion à la base de données a été interrompue"
    if isinstance(exc, (pdf.ConversionEchouee, pdf.LibreOfficeAbsent)):  # already a French sentence, more precise
        return str(exc).rstrip(". ")
    if isinstance(exc, subprocess.TimeoutExpired):
        return "la conversion en PDF par LibreOffice n'a pas abouti à temps"
    if isinstance(exc, OSError):
        return "l'enregistrement des fichiers sur le serveur a échoué"
    return "une erreur technique est survenue"


def message(action: str, enregistree: bool | None, exc: BaseException) -> str:
    """`enregistree`: True, False, or None when the state could not be re-read either."""
    pourquoi = cause(exc)
    if enregistree:
        return (f"L'action « {action} » a bien été enregistrée, mais {pourquoi} ensuite. Inutile de la refaire : "
                "rechargez la page pour voir le résultat (un PDF manquant peut être produit depuis la liste des documents).")
    if enregistree is None:
        return (f"Incident : {pourquoi}. Impossible de vérifier pour l'instant si l'action « {action} » a été enregistrée : "
                "rechargez la page dans un instant et regardez l'historique avant de la refaire.")
    return (f"L'action « {action} » n'a pas été enregistrée : {pourquoi}. Rien n'a changé ; ce que vous avez saisi est "
            "conservé à l'écran, vous pouvez recommencer.")
