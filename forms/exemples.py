"""Sample input for any model, derived from its fields (type, bounds, a few names whose format is checked): the tests
fill every form with it, and an académie's uploaded template is previewed with it (workflow.modeles), so the
placeholder catalogue shows the very examples the preview prints."""

import copy
import types
import typing
from datetime import date, time
from decimal import Decimal
from enum import Enum

from pydantic import BaseModel

from forms.base import lettre_cle_uai, normaliser_uai
from forms.campagne import CALENDRIER
from forms.contexte import ImageDocument

VALEURS = {"annee_scolaire": "2025-2026", "responsable_email": "ce.0310001h@ac-toulouse.fr", "coordonnateur_email": None,
           "responsable_telephone": "05 61 00 00 00", "telephone": "+33 6 12 34 56 78", "email": "", "courriel": "", "iban": None, "nir": None,
           "heure_fin": "16:00", "fin": "16:00", **{nom: date(2025, 9, 1 + k) for k, (nom, _) in enumerate(CALENDRIER)},
           "date_limite_bilan_financier": date(2025, 9, 20), "date_fin": date(2026, 6, 19),
           "jours": ["mar. 13/01"] * 10}  # the monthly grid has ten séance columns (forms.atelier.COLONNES_EMARGEMENT)


def deballer(annotation):
    """(inner type, metadata) of X, X | None, Annotated[X, …]."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0], list(annotation.__metadata__)
    return annotation, []


def _texte(titre: str, metadata: list) -> str:
    """A readable sample text: the field's own example, else its French label, within its bounds."""
    longueur_max = next((m.max_length for m in metadata if getattr(m, "max_length", None) is not None), None)
    return (titre or "Abcd")[:longueur_max]


def exemple_valeur(nom: str, annotation, info_metadata, *, lisible: bool = False, titre: str = "", exemples=None):
    if nom in VALEURS:
        return copy.deepcopy(VALEURS[nom])  # a caller writes into its example: never into the shared list
    inner, metadata = deballer(annotation)
    metadata = metadata + list(info_metadata)
    origine = typing.get_origin(inner)
    if lisible and exemples:
        return copy.deepcopy(exemples[0])
    if origine is list:
        return [exemple_valeur("", typing.get_args(inner)[0], [], lisible=lisible, titre=titre)]
    if origine is typing.Literal:
        return typing.get_args(inner)[0]
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return exemple(inner, lisible=lisible)
    if isinstance(inner, type) and issubclass(inner, Enum):
        return next(iter(inner)).value
    if any(getattr(m, "func", None) is normaliser_uai for m in metadata):
        return "0310001" + lettre_cle_uai("0310001")
    if inner is str and lisible:
        return _texte(titre, metadata)
    simples = {bool: False, Decimal: "1", float: 1.0, date: date(2025, 11, 17), time: "14:00", str: "Abcd"}
    if inner is int:
        return max(1, next((m.ge for m in metadata if getattr(m, "ge", None) is not None), 1))
    if inner is ImageDocument:  # a signatory's image: none in a sample (the block keeps its room to sign by hand)
        return None
    return simples[inner]


def exemple(modele: type[BaseModel], *, lisible: bool = False) -> dict:
    """A valid input for any form: each field from its type and bounds (a few names need a valid format). `lisible`:
    a text field holds its declared example, else its French label (« Nom du parent »), so a preview reads."""
    return {nom: exemple_valeur(nom, info.annotation, info.metadata, lisible=lisible, titre=info.title or "",
                                exemples=info.examples)
            for nom, info in modele.model_fields.items()}
