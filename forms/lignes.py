"""Rows of a form's list field (groups, intervenants, children, presences…), one conversion each way:
`vers_grille` turns the stored JSON draft into the typed cells the editing grid needs (dates as dates, ints as
ints…), `vers_json` turns the grid's (or any caller's) rows back into the JSON the draft stores. Both are driven
by the row model's field types, so a draft round-trips through the grid whatever wrote it (the grid, a filing's
`model_dump(mode="json")`, last year's dossier taken over for a renewal)."""

import re
import types
import typing
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from forms.base import nombre_francais

# How a row field is edited in the grid (and so which Python type its cells hold there).
Genre = Literal["texte", "entier", "decimal", "date", "heure", "booleen", "choix", "lignes"]


def deballer(annotation: Any) -> tuple[Any, bool]:
    """(inner type, optional?) of `X | None` / `Optional[X]` / `Annotated[X, …]`."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner, _ = deballer(args[0])
        return inner, True
    return annotation, False


def modele_de_lignes(annotation: Any) -> type[BaseModel] | None:
    """The row model of a `list[Model]` field, else None."""
    inner, _ = deballer(annotation)
    if typing.get_origin(inner) is not list:
        return None
    (element,) = typing.get_args(inner)
    element, _ = deballer(element)
    return element if isinstance(element, type) and issubclass(element, BaseModel) else None


def genre(annotation: Any) -> tuple[Genre, Any]:
    """The kind of grid cell of a field, with its inner type (the Enum class of a « choix »…)."""
    inner, _ = deballer(annotation)
    if isinstance(inner, type) and issubclass(inner, Enum):
        return "choix", inner
    if typing.get_origin(inner) is list:
        return "lignes", modele_de_lignes(annotation)
    return {bool: "booleen", int: "entier", Decimal: "decimal", date: "date", time: "heure"}.get(inner, "texte"), inner


class Illisible(ValueError):
    """A stored value that the field's cell cannot hold."""


def _vide(v: Any) -> bool:
    """None, blank text, or the NaN / NaT / NA pandas fills missing cells with."""
    if v is None or isinstance(v, str):
        return v is None or not v.strip()
    if isinstance(v, (list, dict, tuple, BaseModel)):
        return False
    try:
        return bool(v != v)
    except TypeError:  # pandas.NA
        return True


def _date(v: Any) -> date:
    if hasattr(v, "to_pydatetime"):  # pandas Timestamp
        v = v.to_pydatetime()
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        texte = v.strip()
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", texte)
        try:
            return date(int(m[3]), int(m[2]), int(m[1])) if m else date.fromisoformat(texte[:10])
        except ValueError:
            pass
    raise Illisible(v)


def _heure(v: Any) -> time:
    if hasattr(v, "to_pydatetime"):
        v = v.to_pydatetime()
    if isinstance(v, datetime):
        return v.time()
    if isinstance(v, time):
        return v
    if isinstance(v, str):
        try:
            return time.fromisoformat(v.strip().replace("h", ":"))
        except ValueError:
            pass
    raise Illisible(v)


def nombre(v: Any) -> Decimal | None:
    """A Decimal from a number or from text typed the French way (« 1 234,5 »); None when it is not one."""
    if isinstance(v, bool) or _vide(v):
        return None
    if isinstance(v, (int, float, Decimal)):
        return Decimal(str(v))
    if isinstance(v, str):
        try:
            d = Decimal(nombre_francais(v.strip()))
        except InvalidOperation:
            return None
        return d if d.is_finite() else None
    return None


def _entier(v: Any) -> int:
    d = nombre(v)
    if d is None or d != d.to_integral_value():
        raise Illisible(v)
    return int(d)


def _francais(d: Decimal) -> str:
    return format(d, "f").replace(".", ",")


def _booleen(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, int) and v in (0, 1):
        return bool(v)
    if isinstance(v, str) and v.strip().lower() in ("true", "false", "oui", "non", "1", "0"):
        return v.strip().lower() in ("true", "oui", "1")
    raise Illisible(v)


def _texte_de_lignes(modele: type[BaseModel] | None, v: Any) -> str:
    """A nested list (a group's time slots) as the text its cell shows, in the form the field reads back."""
    if isinstance(v, str):
        return v
    if not isinstance(v, list):
        raise Illisible(v)
    morceaux = []
    for x in v:
        if isinstance(x, str):
            morceaux.append(x)
        elif isinstance(x, dict) and hasattr(modele, "en_cellule"):
            try:
                morceaux.append(modele.en_cellule(x))
            except (KeyError, TypeError, ValueError) as exc:
                raise Illisible(v) from exc
        elif isinstance(x, dict):
            morceaux.append(" ".join(str(y) for y in x.values()))
        else:
            raise Illisible(v)
    return "; ".join(morceaux)


def _cellule(g: Genre, type_: Any, v: Any) -> Any:
    """The stored value `v` as the grid cell of kind `g` holds it; raises Illisible."""
    if g == "date":
        return _date(v)
    if g == "heure":
        return _heure(v)
    if g == "entier":
        return _entier(v)
    if g == "booleen":
        return _booleen(v)
    if g == "choix":
        try:
            return type_(v.value if isinstance(v, Enum) else v).value
        except (ValueError, TypeError) as exc:
            raise Illisible(v) from exc
    if g == "lignes":
        return _texte_de_lignes(type_, v)
    if isinstance(v, bool) or not isinstance(v, (str, int, float, Decimal)):
        raise Illisible(v)
    if g == "decimal":  # a text cell typed the French way; text that is not a number is shown as typed
        d = nombre(v)
        return _francais(d) if d is not None else str(v)
    return str(v)


def _apercu(v: Any) -> str:
    texte = str(v)
    return texte if len(texte) <= 40 else texte[:39] + "…"


def vers_grille(modele: type[BaseModel], lignes: Any, titre: str) -> tuple[list[dict], list[str]]:
    """The stored rows of a list field as typed grid rows (one key per field of `modele`), and one French
    sentence per stored value that the grid cannot hold: that cell is emptied, the person is told to type it again."""
    avis: list[str] = []
    if not isinstance(lignes, list):
        if _vide(lignes):
            return [], []
        return [], [f"« {titre} » : les lignes enregistrées (« {_apercu(lignes)} ») n'ont pas pu être reprises ; "
                    "saisissez-les à nouveau."]
    typees = []
    for n, ligne in enumerate(lignes, start=1):
        if isinstance(ligne, BaseModel):
            ligne = ligne.model_dump(mode="json")
        if not isinstance(ligne, dict):
            avis.append(f"« {titre} n° {n} » : la ligne enregistrée (« {_apercu(ligne)} ») n'a pas pu être reprise ; "
                        "saisissez-la à nouveau.")
            continue
        typee = {}
        for nom, info in modele.model_fields.items():
            g, type_ = genre(info.annotation)
            v = ligne.get(nom)
            if _vide(v):
                typee[nom] = (info.default is True) if g == "booleen" else None
                continue
            try:
                typee[nom] = _cellule(g, type_, v)
            except Illisible:
                typee[nom] = (info.default is True) if g == "booleen" else None
                avis.append(f"« {titre} n° {n} › {info.title or nom} » : la valeur enregistrée « {_apercu(v)} » n'a pas pu "
                            "être reprise ; la case est vidée, saisissez-la à nouveau.")
        typees.append(typee)
    return typees, avis


def _json(g: Genre, type_: Any, v: Any, info: FieldInfo | None = None) -> Any:
    """A grid cell (or a stored value) as the draft stores it: typed when it reads as its field's type, else kept
    as it is (JSON-safe) so that validation names the field in French."""
    try:
        if g == "date":
            return _date(v).isoformat()
        if g == "heure":
            return _heure(v).strftime("%H:%M")
        if g == "entier":
            return _entier(v)
        if g == "booleen":
            return _booleen(v)
    except Illisible:
        pass
    if g == "decimal":
        d = nombre(v)
        if d is not None:
            return format(d, "f")
    if isinstance(v, Enum):
        return v.value
    if g == "lignes" and isinstance(v, str) and info is not None:  # a nested list typed as text: read by the field
        try:
            v = TypeAdapter(Annotated[info.annotation, *info.metadata]).validate_python(v)
        except ValidationError:
            return v.strip()
    if g == "lignes" and isinstance(v, list) and type_ is not None:
        return vers_json(type_, v)
    if isinstance(v, (str, int, float, bool)) and not (isinstance(v, float) and v != v):
        return v.strip() if isinstance(v, str) else v
    if isinstance(v, (list, dict)):
        return v
    return str(v)


def vers_json(modele: type[BaseModel], lignes: list) -> list:
    """Rows from the grid (or from any caller) as JSON rows for the draft: empty cells left out, empty rows dropped;
    a value of another field type than expected is kept as it is, for validation to refuse in French."""
    sortie = []
    for ligne in lignes:
        if isinstance(ligne, BaseModel):
            ligne = ligne.model_dump(mode="json")
        if not isinstance(ligne, dict):
            sortie.append(ligne)
            continue
        propre = {}
        for nom, v in ligne.items():
            if _vide(v):
                continue
            info = modele.model_fields.get(nom)
            propre[nom] = _json(*genre(info.annotation), v, info) if info is not None else _json("texte", None, v)
        if propre:
            sortie.append(propre)
    return sortie
