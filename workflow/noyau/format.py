"""French formats for screens, the same as in documents (Babel), and what people call each document."""

from documents.catalogue import libelle_document
from documents.render import date_courte, date_fr, duree, heures, montant
from forms.campagne import CampagneForm
from forms.vocabulaire import Role

__all__ = ["date_courte", "date_fr", "duree", "heures", "libelle_document", "libelle_du_document", "libelle_echeance",
           "libelle_role", "montant"]


def libelle_du_document(document) -> str:
    """« Fiche d'inscription auditeur — Amina Haddad »: a stored document named by its type and, for one about a person
    (a group's month…), by whom it concerns; a scan signed outside the tool says so. Only shown where the document
    itself may be read (peut_lire_document)."""
    libelle = libelle_document(document.type_document)
    libelle = f"{libelle} — {document.concerne}" if getattr(document, "concerne", "") else libelle
    return f"{libelle} (scan « signé hors application »)" if getattr(document, "signe_de_id", None) else libelle


def libelle_role(role) -> str:
    """« Porteur » for the porteur role: its label without the explanation in brackets, for lists and diagrams."""

    return Role(role).libelle.split(" (")[0]


def libelle_echeance(nom: str) -> str:
    """« Date limite de dépôt » for « date_limite_depot »: a step's deadline as the campaign form names it."""

    return CampagneForm.model_fields[nom].title
