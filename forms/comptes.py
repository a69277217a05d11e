"""Forms of the accounts: an account's identity, role and scope; a password chosen from a link."""

import re

from pydantic import ConfigDict, field_validator, model_validator

from forms.base import Courriel, FormModel, Texte, Uai, champ
from forms.vocabulaire import Role

# What each role's scope is made of (spec §3.3): a school, a département, or the académie as a whole.
PERIMETRE_ECOLE = frozenset({Role.PORTEUR})
PERIMETRE_DEPARTEMENT = frozenset({Role.DSDEN})
PERIMETRE_ECOLE_OU_DEPARTEMENT = frozenset({Role.GESTIONNAIRE})  # an EPLE's bursar, or a DSDEN's paying service
PERIMETRE_ACADEMIE = frozenset(Role) - PERIMETRE_ECOLE - PERIMETRE_DEPARTEMENT - PERIMETRE_ECOLE_OU_DEPARTEMENT


def perimetre_attendu(role: Role) -> str:
    """The scope a role needs, in French (shown next to the form)."""
    if role in PERIMETRE_ECOLE:
        return "une école ou un établissement (UAI)"
    if role in PERIMETRE_DEPARTEMENT:
        return "un département"
    if role in PERIMETRE_ECOLE_OU_DEPARTEMENT:
        return "un établissement (UAI) ou un département"
    return "l'académie (ni UAI ni département)"


class CompteForm(FormModel):
    identifiant: Courriel = champ("Adresse électronique", min_length=1, max_length=120)
    nom_affiche: Texte = champ("Nom", min_length=1, max_length=120)
    role: Role = champ("Rôle")
    uai: Uai | None = champ("UAI", default=None)
    departement: str | None = champ("Département", default=None, max_length=3)
    prepare_seulement: bool = champ("Prépare sans déposer (délégation)", default=False)

    @field_validator("uai", "departement", mode="before")
    @classmethod
    def _vide(cls, v):
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("identifiant")
    @classmethod
    def _obligatoire(cls, v: str) -> str:
        if not v:
            raise ValueError("est obligatoire")
        return v

    @model_validator(mode="after")
    def _perimetre(self) -> "CompteForm":
        role = self.role
        if role in PERIMETRE_ECOLE and (not self.uai or self.departement):
            raise ValueError(f"le rôle {role.value} demande une école (UAI) et pas de département")
        if role in PERIMETRE_DEPARTEMENT and (not self.departement or self.uai):
            raise ValueError(f"le rôle {role.value} demande un département et pas d'UAI")
        if role in PERIMETRE_ECOLE_OU_DEPARTEMENT and (bool(self.uai) == bool(self.departement)):
            raise ValueError(f"le rôle {role.value} demande soit un UAI, soit un département")
        if role in PERIMETRE_ACADEMIE and (self.uai or self.departement):
            raise ValueError(f"le rôle {role.value} couvre l'académie : ni UAI ni département")
        if self.prepare_seulement and role != Role.PORTEUR:
            raise ValueError("seul un compte porteur peut préparer sans déposer (délégation)")
        return self


LONGUEUR_MIN = 12


def refus_du_mot_de_passe(mot_de_passe: str, *, identifiant: str = "", nom: str = "") -> list[str]:
    """Why a password is too weak, one French sentence per reason (empty: accepted)."""
    raisons = []
    if len(mot_de_passe) < LONGUEUR_MIN:
        raisons.append(f"« Mot de passe » : doit comporter au moins {LONGUEUR_MIN} caractères.")
    familles = sum(bool(re.search(motif, mot_de_passe)) for motif in (r"[a-zà-ÿ]", r"[A-ZÀ-Ý]", r"[0-9]", r"[^\w\s]|_|\s"))
    if familles < 3:
        raisons.append("« Mot de passe » : doit mêler au moins trois sortes de caractères parmi minuscules, majuscules, "
                       "chiffres et autres signes (espace comprise).")
    bas = mot_de_passe.lower()
    local = identifiant.partition("@")[0].lower()
    if (len(local) >= 4 and local in bas) or any(len(m) >= 4 and m.lower() in bas for m in re.split(r"[\s.\-']+", nom)):
        raisons.append("« Mot de passe » : ne doit contenir ni votre identifiant ni votre nom.")
    if len(set(mot_de_passe)) < 5:
        raisons.append("« Mot de passe » : trop répétitif (au moins 5 caractères différents).")
    return raisons


class MotDePasseForm(FormModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)  # a password is kept as typed

    mot_de_passe: str = champ("Mot de passe", max_length=200)
    confirmation: str = champ("Confirmation", max_length=200)

    @model_validator(mode="after")
    def _identiques(self) -> "MotDePasseForm":
        if self.mot_de_passe != self.confirmation:
            raise ValueError("les deux saisies du mot de passe diffèrent")
        return self
