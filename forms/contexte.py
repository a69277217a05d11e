"""The context every document receives besides its own form (header, école, campaign, rate). Each field's title is
its description in the placeholder catalogue (workflow.modeles), its example what the preview of a template prints."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field, PrivateAttr

from forms.vocabulaire import NatureImage, Signataire


def _champ(titre: str, exemple, **kwargs):
    return Field(title=titre, examples=[exemple], **kwargs)


class EtablissementContexte(BaseModel):
    uai: str = _champ("Code UAI de l'école ou de l'établissement", "0310001H")
    nom: str = _champ("Nom de l'école ou de l'établissement", "École élémentaire des Tilleuls")
    type_libelle: str = _champ("Type de structure", "École élémentaire")
    commune: str = _champ("Commune", "Toulouse")
    departement: str = _champ("Département (nom et numéro)", "Haute-Garonne (31)")
    circonscription_ien: str | None = _champ("Circonscription de l'IEN", "Toulouse Nord", default=None)
    education_prioritaire: str = _champ("Éducation prioritaire (REP, REP+, aucune)", "REP+", default="aucune")
    qpv: bool = _champ("En quartier prioritaire de la ville (QPV)", True, default=False)


class DossierResume(BaseModel):
    numero: str = _champ("Numéro du dossier", "2025-031-0002")
    nb_groupes: int = _champ("Nombre de groupes", 2)
    heures_total: Decimal = _champ("Heures demandées (tous groupes)", Decimal("120"))
    montant_demande: Decimal = _champ("Montant demandé", Decimal("3544.80"))
    nb_parents_prevus: int = _champ("Parents prévus", 24)


class ContactContexte(BaseModel):
    """A line of the académie's contacts directory, as documents print it (workflow.noyau.profil)."""

    rubrique: str = _champ("Rubrique du contact", "Pilotage académique")
    departement: str = _champ("Département du contact", "31", default="")
    nom: str = _champ("Nom ou service", "Paul Durand")
    fonction: str = _champ("Fonction", "Conseiller technique EVS", default="")
    courriel: str = _champ("Courriel", "ce.evs@ac-toulouse.fr", default="")
    telephone: str = _champ("Téléphone", "0561000000", default="")


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
    academie: str = _champ("Nom de l'académie", "Toulouse")
    ville_rectorat: str = _champ("Ville du rectorat", "Toulouse")
    annee_scolaire: str = _champ("Année scolaire", "2025-2026")
    date_document: date = _champ("Date du document", date(2026, 3, 17))
    reference: str = _champ("Référence du document", "OEPRE/2025-2026/2025-031-0002/attestation")
    references_reglementaires: list[str] = _champ("Textes de référence cités", ["Circulaire MENE2525824C du 4 septembre 2025"])
    taux_horaire: Decimal = _champ("Taux horaire de la vacation en vigueur", Decimal("29.54"))
    etablissement: EtablissementContexte | None = Field(title="École ou établissement du dossier", default=None)
    dossier: DossierResume | None = Field(title="Résumé du dossier", default=None)
    # the académie's profile's, those of the dossier's département for a dossier
    contacts: list[ContactContexte] = Field(title="Contacts de l'académie", default=[])
    # The parents' notice on the fiche d'inscription (RGPD art. 13): the configured retention and whom to write to.
    conservation_mois: int = _champ("Mois de conservation des données des parents après le 31 août de l'année du bilan",
                                    12, default=12)
    contact_donnees: str = _champ("Contact du délégué à la protection des données", "dpd@ac-toulouse.fr", default="")
    # The signatories' current images, each printed only by a document its holder signs (documents.catalogue);
    # None in the dump: moteur.contexte_du_document puts the image in for the blocks that declare its holder.
    signature_porteur: ImageDocument | None = Field(None, title=_IMAGES["signature_porteur"])
    cachet_porteur: ImageDocument | None = Field(None, title=_IMAGES["cachet_porteur"])
    signature_dasen: ImageDocument | None = Field(None, title=_IMAGES["signature_dasen"])
    cachet_dasen: ImageDocument | None = Field(None, title=_IMAGES["cachet_dasen"])
    signature_pilote: ImageDocument | None = Field(None, title=_IMAGES["signature_pilote"])
    cachet_pilote: ImageDocument | None = Field(None, title=_IMAGES["cachet_pilote"])
    signature_daeps: ImageDocument | None = Field(None, title=_IMAGES["signature_daeps"])
    cachet_daeps: ImageDocument | None = Field(None, title=_IMAGES["cachet_daeps"])
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
