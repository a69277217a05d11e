"""One transaction for a step or an operation, and the audit log: what the engine (workflow.noyau.moteur) and the
named operations (workflow.noyau.operations) share."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from sqlmodel import Session

from db.models import JournalAudit
from documents import stockage
from workflow.noyau.permissions import AccesRefuse, Acteur


class ConflitEdition(Exception):
    """Two people edited the same record (a dossier, the académie's profile): the second write is refused."""

    def __init__(self, quoi: str = "Ce dossier") -> None:
        super().__init__(f"{quoi} a été modifié par une autre personne depuis que vous l'avez ouvert. "
                         "Rechargez-le : vos saisies sont conservées à l'écran, recopiez ce qui doit l'être.")


def journaliser(session: Session, acteur: Acteur | None, action: str, objet: str = "", **details) -> None:
    session.add(JournalAudit(utilisateur_id=acteur.id if acteur else None, action=action, objet=objet, details=details))


def refuser(session: Session, acteur: Acteur, objet: str, message: str, **details) -> NoReturn:
    """AccesRefuse(message), written to the audit log in its own transaction: the trace survives the rollback of
    the step or operation that was refused."""
    with Session(session.get_bind()) as journal:
        journaliser(journal, acteur, "acces_refuse", objet, **details)
        journal.commit()
    raise AccesRefuse(message)


_ECRITS = "oepre_fichiers_ecrits"  # key of the open transaction's written files in Session.info


@contextmanager
def transaction_et_fichiers(session: Session) -> Iterator[list[str]]:
    """Commit once at the end; on any failure roll back and delete the files written meanwhile,
    so that no document exists without its row and no row without its document. Nested (a step run by an
    operation, a PDF produced inside a step), it joins the enclosing transaction."""
    englobante = session.info.get(_ECRITS)
    if englobante is not None:  # already inside a step or an operation: its one transaction commits, or not, for all
        yield englobante
        return
    ecrits: list[str] = []  # the stored documents' keys (documents.stockage)
    session.info[_ECRITS] = ecrits
    try:
        yield ecrits
        session.commit()
    except BaseException:
        session.rollback()
        depot = stockage.depot()
        for relatif in ecrits:
            depot.supprimer(relatif)
        raise
    finally:
        del session.info[_ECRITS]
