"""French formats for screens, the same as in documents (Babel)."""

from documents.render import date_courte, date_fr, heures, montant

__all__ = ["date_courte", "date_fr", "heures", "montant"]
