"""French formats for screens, the same as in documents (Babel), and what people call each document."""

from documents.catalogue import libelle_document
from documents.render import date_courte, date_fr, duree, heures, montant

__all__ = ["date_courte", "date_fr", "duree", "heures", "libelle_document", "libelle_etape", "montant"]

# Transitions written outside the step table.
AUTRES_ETAPES = {"creer_dossier": "Création du dossier (brouillon)"}


def libelle_etape(cle: str) -> str:
    """« Déposer le dossier de candidature » for « deposer »: what people call a step in a dossier's history."""
    from workflow.etapes import ETAPES_PAR_CLE

    etape = ETAPES_PAR_CLE.get(cle)
    return etape.libelle if etape else AUTRES_ETAPES.get(cle, cle.replace("_", " "))
