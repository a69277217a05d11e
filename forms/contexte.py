"""The context every document receives besides its own form (header, école, campaign, rate)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field, PrivateAttr

from forms.vocabulaire import NatureImage, Signataire


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


@dataclass(frozen=True)
class ImageDocument:
    """An image a document prints in a signature block (documents.render turns it into docxtpl's InlineImage)."""

    contenu: bytes  # PNG
    largeur_mm: float

    def __repr__(self) -> str:  # never bytes in a log or an error message
        return f"ImageDocument({len(self.contenu)} octets, {self.largeur_mm:.0f} mm)"


def nom_image(nature: NatureImage, signataire: Signataire) -> str:
    """The template variable of a holder's image: « signature_porteur », « cachet_dasen »…"""
    return f"{nature.value}_{signataire.value}"


_IMAGES = {nom_image(n, s): f"{n.libelle} : {s.libelle}, imprimée dans les documents qu'il signe ; vide sinon."
           for s in Signataire for n in NatureImage}


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
    # The signatories' current images, each printed only by a document its holder signs (documents.catalogue);
    # None in the dump: moteur.contexte_du_document puts the image in for the blocks that declare its holder.
    signature_porteur: ImageDocument | None = Field(None, description=_IMAGES["signature_porteur"])
    cachet_porteur: ImageDocument | None = Field(None, description=_IMAGES["cachet_porteur"])
    signature_dasen: ImageDocument | None = Field(None, description=_IMAGES["signature_dasen"])
    cachet_dasen: ImageDocument | None = Field(None, description=_IMAGES["cachet_dasen"])
    signature_pilote: ImageDocument | None = Field(None, description=_IMAGES["signature_pilote"])
    cachet_pilote: ImageDocument | None = Field(None, description=_IMAGES["cachet_pilote"])
    signature_daeps: ImageDocument | None = Field(None, description=_IMAGES["signature_daeps"])
    cachet_daeps: ImageDocument | None = Field(None, description=_IMAGES["cachet_daeps"])
    # Every holder's images the scope has (its school's head, its département's DASEN, the académie's): not dumped.
    _images: dict[str, ImageDocument] = PrivateAttr(default_factory=dict)

    def images_de(self, signataires) -> dict[str, ImageDocument | None]:
        """The image variables of a document signed by `signataires`: theirs, and None for every other holder's."""
        garder = {nom_image(n, s) for s in signataires for n in NatureImage}
        return {nom: self._images.get(nom) if nom in garder else None for nom in _IMAGES}


# The national texts: what an académie's profile cites until its pilote writes its own (workflow.noyau.profil).
REFERENCES_REGLEMENTAIRES = [
    "Circulaire MENE2525824C du 4 septembre 2025 relative au dispositif « Ouvrir l'École aux parents pour la réussite des enfants »",
    "Décret n° 2005-909 du 2 août 2005 et arrêté du 2 août 2005 (indemnité de vacation)",
]
