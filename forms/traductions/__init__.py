"""Translations of the bilingual documents, one TOML file per language, French (fr.toml) being the reference.

The fiche d'inscription is printed in French plus one language the parent reads; the texts live in these data
files so that a translator can correct them without touching code. Files marked `relu = false` have not been
checked by a native speaker yet: the page says so when such a language is chosen."""

import tomllib
from functools import cache
from pathlib import Path

from forms.vocabulaire import Vocabulaire

DOSSIER = Path(__file__).parent


class LangueFiche(Vocabulaire):
    """The languages of the fiche d'inscription. Each is labelled by its own file (« Arabe — العربية »), read when the
    label is asked for, so that a translator corrects a name there without touching code."""

    FRANCAIS = "fr"  # French only
    ARABE = "ar"
    ANGLAIS = "en"
    ESPAGNOL = "es"
    TURC = "tr"
    RUSSE = "ru"
    DARI_PERSAN = "fa"
    TAMAZIGHT = "zgh"

    def __new__(cls, code: str):  # a code only: the label is the file's
        return str.__new__(cls, code)

    @property
    def libelle(self) -> str:
        t = traduction(self)
        return "aucune (français seul)" if self == LangueFiche.FRANCAIS else f"{t['langue']} — {t['nom_natif']}"


@cache
def traduction(code: str) -> dict:
    with (DOSSIER / f"{code}.toml").open("rb") as f:
        return tomllib.load(f)
