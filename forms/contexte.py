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


REFERENCES_REGLEMENTAIRES = [
    "Circulaire MENE2525824C du 4 septembre 2025 relative au dispositif « Ouvrir l'École aux parents pour la réussite des enfants »",
    "Décret n° 2005-909 du 2 août 2005 et arrêté du 2 août 2005 (indemnité de vacation)",
]
