"""Translations of the bilingual documents, one TOML file per language, French (fr.toml) being the reference.

The fiche d'inscription is printed in French plus one language the parent reads; the texts live in these data
files so that a translator can correct them without touching code. Files marked `relu = false` have not been
checked by a native speaker yet: the page says so when such a language is chosen."""

import tomllib
from enum import StrEnum
from functools import cache
from pathlib import Path

DOSSIER = Path(__file__).parent


class LangueFiche(StrEnum):
    FRANCAIS = "fr"  # French only
    ARABE = "ar"
    ANGLAIS = "en"
    ESPAGNOL = "es"
    TURC = "tr"
    RUSSE = "ru"
    DARI_PERSAN = "fa"
    TAMAZIGHT = "zgh"


@cache
def traduction(code: str) -> dict:
    with (DOSSIER / f"{code}.toml").open("rb") as f:
        return tomllib.load(f)


def libelle_langue(code: str) -> str:
    t = traduction(code)
    return "aucune (français seul)" if code == LangueFiche.FRANCAIS else f"{t['langue']} — {t['nom_natif']}"
