"""What a person must never read in a table, an export or a document: the service's internal codes (enumerated values
whose French label differs, step keys, states, roles) and the placeholders of missing values."""

from forms.traductions import LangueFiche  # noqa: F401  (a vocabulary declared beside its data files)
from forms.vocabulaire import Etat, Role, Vocabulaire
from workflow.etapes import ETAPES

VIDES = {"None", "none", "nan", "NaN", "NaT", "empty", "null"}
# Codes that are also the French word a person writes in such a cell.
MOTS = {"oui", "non", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "langue", "valeurs", "sans",
        "autre", "alpha", "demande", "emploi", "report", "entourage"}


def vocabulaires() -> list[type[Vocabulaire]]:
    """Every vocabulary of the service (each is a direct subclass of Vocabulaire; LangueFiche is imported above)."""
    return Vocabulaire.__subclasses__()


def _codes() -> set[str]:
    codes = {v.value for vocabulaire in vocabulaires() for v in vocabulaire if v.value != v.libelle}
    codes |= {e.cle for e in ETAPES} | {e.value for e in Etat} | {r.value for r in Role} | {"creer_dossier"}
    return {c for c in codes if not c.isdigit() and c.upper() != c} - MOTS  # « 81 », « EN », « REP » are what people write


CODES = _codes()


def cellules_suspectes(valeurs) -> list[str]:
    """The cells (their text, stripped) that are an internal code or a missing-value placeholder."""
    return sorted({str(v).strip() for v in valeurs if v is not None and (str(v).strip() in CODES or str(v).strip() in VIDES)})
