"""Named operations: what a person asks the service to write that is not a step of the year — a dossier created,
a draft saved, a signed sheet joined, a batch of attestations, a review, a rate added, a download written to the
audit log…

They go through the engine like the steps do (workflow.noyau.moteur, workflow.noyau.transaction): the actor's role
is checked against the operation's `acteurs` before anything is read; the body runs in one transaction with the
files it writes (all or nothing, `transaction_et_fichiers`); its trace goes to the audit log in that transaction,
under the operation's key. OPERATIONS lists them as the step table lists the steps; tests/test_ecritures.py checks
that the domain writes nowhere else.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from sqlmodel import Session

from forms.vocabulaire import Role
from workflow.noyau import transaction
from workflow.noyau.permissions import Acteur, exiger_role


@dataclass(frozen=True)
class Operation:
    cle: str  # the key its audit-log rows carry: joindre_feuille_signee, attestations_lot…
    libelle: str
    acteurs: tuple[Role, ...]
    fonction: Callable | None = None  # what callers call: fonction(session, acteur, …)


@dataclass
class Ecriture:
    """What an operation's body receives, inside its one transaction."""

    session: Session
    acteur: Acteur
    operation: Operation
    ecrits: list[str] = field(default_factory=list)  # for moteur.enregistrer_fichier: the stored documents' keys

    def journaliser(self, objet: str, *, action: str | None = None, **details) -> None:
        """The audit-log row of this operation (`action` names a variant: revue_approuve, revue_a_corriger)."""
        transaction.journaliser(self.session, self.acteur, action or self.operation.cle, objet, **details)


OPERATIONS: dict[str, Operation] = {}

P = ParamSpec("P")
R = TypeVar("R")


def operation(cle: str, libelle: str, acteurs: Iterable[Role]
              ) -> Callable[[Callable[Concatenate[Ecriture, P], R]], Callable[Concatenate[Session, Acteur, P], R]]:
    """Make `corps(ecriture, …)` the operation `cle`, called as `fonction(session, acteur, …)`."""
    if cle in OPERATIONS:
        raise ValueError(f"Deux opérations portent la clé {cle}.")
    op = OPERATIONS[cle] = Operation(cle, libelle, tuple(acteurs))

    def decorer(corps: Callable[Concatenate[Ecriture, P], R]) -> Callable[Concatenate[Session, Acteur, P], R]:
        @wraps(corps)
        def operer(session: Session, acteur: Acteur, /, *args: P.args, **kwargs: P.kwargs) -> R:
            exiger_role(acteur, op.acteurs, op.libelle)
            with transaction.transaction_et_fichiers(session) as ecrits:
                return corps(Ecriture(session, acteur, op, ecrits), *args, **kwargs)

        OPERATIONS[cle] = replace(op, fonction=operer)
        return operer

    return decorer


TOUS = tuple(Role)  # an operation open to every role, whose body applies the finer rule (reading a document…)
