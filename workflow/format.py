"""French formats for screens, the same as in documents (Babel), and what people call each document."""

from documents.catalogue import libelle_document
from documents.render import date_courte, date_fr, duree, heures, montant

__all__ = ["date_courte", "date_fr", "duree", "heures", "libelle_document", "montant"]
