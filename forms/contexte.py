"""The context every document receives besides its own form (header, école, campaign, rate)."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel


class EtablissementContexte(BaseModel):
    uai: str
    nom: str
    type_libelle: str
    commune: str
    departement: str
    circonscription_ien: str | None = None
    education_prioritaire: str = "aucune"
    qpv: bool = False


class DossierResume(BaseModel):
    numero: str
    etat: str
    nb_groupes: int
    heures_total: Decimal
    montant_demande: Decimal
    nb_parents_prevus: int


class ContactContexte(BaseModel):
    """A line of the académie's contacts directory, as documents print it (workflow.noyau.profil)."""

    rubrique: str
    departement: str = ""
    nom: str
    fonction: str = ""
    courriel: str = ""
    telephone: str = ""


class ContexteCommun(BaseModel):
    academie: str
    ville_rectorat: str
    annee_scolaire: str
    date_document: date
    reference: str
    references_reglementaires: list[str]
    taux_horaire: Decimal
    etablissement: EtablissementContexte | None = None
    dossier: DossierResume | None = None
    contacts: list[ContactContexte] = []  # the académie's profile's, those of the dossier's département for a dossier


# The national texts: what an académie's profile cites until its pilote writes its own (workflow.noyau.profil).
REFERENCES_REGLEMENTAIRES = [
    "Circulaire MENE2525824C du 4 septembre 2025 relative au dispositif « Ouvrir l'École aux parents pour la réussite des enfants »",
    "Décret n° 2005-909 du 2 août 2005 et arrêté du 2 août 2005 (indemnité de vacation)",
]
