"""The académie's profile (issue 16 item 4): its own rules for a group, its CASNAV antennas and the booklet's contacts
directory, and the regulatory references its documents cite — edited by the admin or the pilote."""

from pydantic import BaseModel, ConfigDict, model_validator

from forms.base import Courriel, FormModel, Heures, Texte, champ
from forms.vocabulaire import RubriqueContact


class _Ligne(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ContactProfil(_Ligne):
    rubrique: RubriqueContact = champ("Rubrique")
    departement: Texte = champ("Département (code, vide pour l'académie)", default="", max_length=3,
                               pattern=r"^(|\d[0-9AB]\d?)$")
    nom: Texte = champ("Nom ou service", min_length=2, max_length=120)
    fonction: Texte = champ("Fonction", default="", max_length=120)
    courriel: Courriel = champ("Courriel", default="")
    telephone: Texte = champ("Téléphone", default="", max_length=20)


class AntenneCasnav(_Ligne):
    departement: Texte = champ("Département (code)", min_length=2, max_length=3, pattern=r"^\d[0-9AB]\d?$")
    antenne: Texte = champ("Antenne du CASNAV", min_length=2, max_length=200)


class ProfilAcademieForm(FormModel):
    heures_min_par_groupe: Heures = champ("Heures minimum par groupe", gt=0)
    heures_max_par_groupe: Heures | None = champ("Heures maximum par groupe (facultatif)", default=None, gt=0)
    taille_groupe_min: int = champ("Effectif minimum par groupe", ge=1, le=100)
    references_reglementaires: list[Texte] = champ("Références réglementaires de la campagne", min_length=1)
    antennes_casnav: list[AntenneCasnav] = champ("Antennes du CASNAV par département", default_factory=list)
    contacts: list[ContactProfil] = champ("Annuaire des contacts", default_factory=list)

    @model_validator(mode="after")
    def _coherence(self) -> "ProfilAcademieForm":
        erreurs = []
        if self.heures_max_par_groupe is not None and self.heures_max_par_groupe < self.heures_min_par_groupe:
            erreurs.append(f"« Heures maximum par groupe » ({self.heures_max_par_groupe} h) doit être supérieur ou égal "
                           f"au minimum ({self.heures_min_par_groupe} h)")
        vides = [n for n, r in enumerate(self.references_reglementaires, 1) if len(r) < 5]
        if vides:
            erreurs.append("« Références réglementaires de la campagne » : la ligne n° "
                           f"{vides[0]} est trop courte pour citer un texte")
        deps = [a.departement for a in self.antennes_casnav]
        doubles = sorted({d for d in deps if deps.count(d) > 1})
        if doubles:
            erreurs.append(f"« Antennes du CASNAV par département » : le département {doubles[0]} a deux antennes")
        if erreurs:
            raise ValueError(" ; ".join(erreurs))
        return self
