"""The shape of a row of the step table (workflow/etapes.py) and of what its behaviour receives.

A row says who acts, on what, with which form, which documents it produces, which states it leaves from and goes
to, which guards must pass, which campaign date is its deadline — and what it does: its action (what it writes
besides its history row and documents), its completers (what the engine fills in the form from the database before
guards and documents) and its loader (what the guards need to see). The engine (workflow.noyau.moteur) reads
nothing else.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlmodel import Session

from db.models import Campagne, Dossier, Etablissement
from forms.base import FormModel
from forms.vocabulaire import Etat, Role
from workflow.noyau.permissions import Acteur
from workflow.noyau.regles import Blocage, Situation


@dataclass
class Execution:
    """What a step's action receives, inside the step's one transaction."""

    session: Session
    acteur: Acteur
    form: FormModel
    aujourdhui: date
    campagne: Campagne
    dossier: Dossier | None = None
    etape: str = ""  # the step's key, for the documents its action produces
    auditeur_id: int | None = None  # the parent a step created, kept in the history (an id, no personal data)
    # What a correction changed (before → after, ids and figures, never a parent's name), added to its history row.
    historique: dict = field(default_factory=dict)
    # Other documents the action produced again as new versions (workflow.noyau.moteur.produire_document).
    documents: list = field(default_factory=list)


Garde = Callable[[Situation], list[Blocage]]
Action = Callable[[Execution], None]
Completer = Callable[[Session, Campagne, Dossier | None, FormModel], FormModel]
Chargeur = Callable[[Session, Situation, Etablissement], None]  # fills what the step's guards look at


@dataclass(frozen=True)
class Etape:
    cle: str  # the event, an infinitive: deposer, emettre_avis, decider…
    numero: int  # step number of spec §6
    libelle: str
    sujet: Literal["campagne", "dossier"]
    acteurs: tuple[Role, ...]
    form: type[FormModel]
    gabarits: tuple[str, ...] = ()
    depuis: tuple[Etat, ...] = ()
    vers: tuple[Etat, ...] = ()  # empty: the state does not change; several: chosen by `cible`
    gardes: tuple[Garde, ...] = ()
    echeance: str | None = None  # name of the Campagne date that is this step's deadline
    # True when the form holds parents' personal data: it is then not copied into the history, and the step's
    # documents name parents (the one access rule, workflow.noyau.permissions, keeps them from the other roles).
    donnees_personnelles: bool = False
    # Type of an earlier document of the dossier whose PDF gets this step's PDF appended, as a new version.
    joint_a: str | None = None
    cible: Callable[[FormModel], Etat] | None = field(default=None, compare=False)
    # Only the head of school themself, not a delegate who prepares the dossier (filing it).
    titulaire_seul: bool = False
    # What the step does (see the module's docstring); a step without an action keeps its form in its history row only.
    action: Action | None = field(default=None, compare=False)
    completer: tuple[Completer, ...] = field(default=(), compare=False)
    charger: Chargeur | None = field(default=None, compare=False)

    def ouverte(self, role: Role, etat: Etat | str) -> bool:
        """Whether this role may run the step on a dossier in this state (its guards are checked when it runs)."""
        return role in self.acteurs and Etat(etat) in self.depuis

    def etat_cible(self, form: FormModel, etat_actuel: Etat) -> Etat:
        if not self.vers:
            return etat_actuel
        if len(self.vers) == 1:
            return self.vers[0]
        return self.cible(form)
