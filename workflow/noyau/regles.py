"""Guards: pure functions from a Situation to a list of Blocage (empty means allowed).

They read nothing from the database: the service loads a Situation first, so every rule of spec §12
is testable on plain objects. An « erreur » blocks the step; an « avertissement » is shown and kept.
"""

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Any, Literal

from forms.base import FormModel

Niveau = Literal["erreur", "avertissement"]


@dataclass(frozen=True)
class Blocage:
    message: str
    niveau: Niveau = "erreur"

    @property
    def bloquant(self) -> bool:
        return self.niveau == "erreur"


@dataclass(frozen=True)
class SeanceDuJour:
    """A séance already recorded on the date of the one being recorded: of the same group, or led by one of its
    intervenants (in any atelier); `intervenants` are those of the new séance who lead it too (« Prénom NOM »)."""

    groupe: str
    meme_groupe: bool
    meme_dossier: bool
    heure_debut: time
    heure_fin: time
    intervenants: frozenset[str] = frozenset()


@dataclass
class Situation:
    """Everything a guard may look at, loaded by the service before the step runs."""

    aujourdhui: date
    campagne: Any  # db.models.Campagne
    form: FormModel | None = None
    dossier: Any = None  # db.models.Dossier
    degre: int | None = None
    # Bilans transmitted last year by this school: None when it had no dossier last year.
    bilans_annee_precedente: set[str] | None = None
    # Hours already planned for each intervenant (« NOM Prénom ») in the other dossiers of the campaign.
    heures_intervenants_ailleurs: dict[str, Decimal] = field(default_factory=dict)
    # Ranks already given by the DSDEN to other dossiers of the same département.
    rangs_pris: set[int] = field(default_factory=set)
    # Amounts already granted on each funding line by other decisions of the campaign.
    engage_p104: Decimal = Decimal("0")
    engage_en: Decimal = Decimal("0")
    # Séance (step 8): (date, exact minutes) already done by each of its intervenants, in every atelier…
    vacations: dict[str, list[tuple[date, int]]] = field(default_factory=dict)
    # …their engagement periods, the group's period, the dossier's minutes realised so far and hours financed,
    # the parents of the group by « prénom nom » in lower case with their registration and exit dates, and the
    # séances of the same day that may be this one again or overlap it for one of its intervenants.
    periodes_engagement: dict[str, tuple[date | None, date | None]] = field(default_factory=dict)
    periode_groupe: tuple[date | None, date | None] = (None, None)
    minutes_dossier: tuple[int, Decimal | None] = (0, None)
    periodes_parents: dict[str, tuple[date, date | None]] = field(default_factory=dict)
    seances_du_jour: list[SeanceDuJour] = field(default_factory=list)
    # Correcting or cancelling a séance (step 8): the day its hours were liquidated (None: not paid yet), and
    # whether it is already cancelled.
    seance_liquidee_le: date | None = None
    seance_annulee: bool = False
    # Registration (step 6): parents of the campaign with the same names, year of birth and a child's school,
    # as « groupe — établissement » labels, and whether that is this very dossier.
    doublons: list[tuple[str, bool]] = field(default_factory=list)
    # Liquidation (step 9): the vacations about to be paid, and the minutes of the dossier already paid.
    a_liquider: list[Any] = field(default_factory=list)  # workflow.noyau.paie.VacationALiquider
    minutes_payees: int = 0
    # Credits (step 4): the amounts the committee decided (P104, EN), None before any decision.
    montants_decides: tuple[Decimal, Decimal] | None = None
    # Filing (step 1): the profile of the dossier's académie (db.models.ProfilAcademie) and the académie's name.
    profil: Any = None
    academie: str = ""


def limite_de_depot(campagne) -> date:
    """The filing deadline in force: the campaign's, or later when the pilote reopened filing (never earlier)."""
    return max(campagne.date_limite_depot, campagne.depot_prolonge_jusqu_au or campagne.date_limite_depot)


def erreurs(blocages: list[Blocage]) -> list[Blocage]:
    return [b for b in blocages if b.bloquant]


# --- Step 0: opening the campaign ---------------------------------------------------------------


# --- Step 1: filing the application -------------------------------------------------------------


# --- Step 2: DASEN opinion ----------------------------------------------------------------------


# --- Step 3: committee decision -----------------------------------------------------------------


# --- Closing ------------------------------------------------------------------------------------


# --- Step 8: séances ----------------------------------------------------------------------------


# --- Step 9: paying the vacations ---------------------------------------------------------------


# --- Step 6: registering parents ----------------------------------------------------------------


