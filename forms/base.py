"""Base of every form model: strict input, French labels, French error messages naming the field."""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.functional_validators import AfterValidator, BeforeValidator

CENT = Decimal("0.01")
UAI_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ"  # 23 letters: no I, O, Q (spec §5)


def arrondi_cent(x: Decimal) -> Decimal:
    """Rounding half up to the cent, as the texts publish rates (29,5367 → 29,54)."""
    return Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)


def lettre_cle_uai(sept_chiffres: str) -> str:
    return UAI_ALPHABET[int(sept_chiffres) % 23]


def normaliser_uai(valeur: str) -> str:
    """Strip and upper-case, then check the format and the mod-23 check letter."""
    u = (valeur or "").strip().upper()
    if not re.fullmatch(r"[0-9]{7}[A-Z]", u):
        raise ValueError("le code UAI doit comporter 7 chiffres suivis d'une lettre (ex. 0310001A)")
    attendue = lettre_cle_uai(u[:7])
    if u[7] != attendue:
        raise ValueError(f"la lettre clé du code UAI {u} est fausse (attendue : {attendue})")
    return u


# --- Text: one rule wherever text enters (form fields, page-level free text, imports) ---------------
#
# 1. NFC normalisation (an « é » typed as e + combining accent is stored as one character), applied last.
# 2. Line breaks: CRLF, CR, VT, FF, NEL, U+2028 and U+2029 become LF (VT is Word's manual line break when pasted).
#    A multi-line field (TexteLong) keeps LF and tab; a one-line field (Texte) turns each into a space.
# 3. Refused, with « Champ » : contient un caractère de contrôle interdit (U+0007): the other C0 controls
#    (U+0000–U+0008, U+000E–U+001F), DEL, the C1 controls but NEL (U+0080–U+009F), lone surrogates and the
#    non-characters U+FFFE, U+FFFF. None of them prints; NUL is refused by PostgreSQL text, every C0 control by XML
#    (Word, openpyxl), and docxtpl turns BEL into a new paragraph and FF into a page break.
# 4. Removed: the bidirectional embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069. They are
#    invisible and an unclosed one reverses the fixed text printed after the value (« atteste que » → « euq etsetta »);
#    documents isolate each value themselves (documents/render.py). Kept: LRM, RLM and ALM (marks that order
#    neighbouring neutrals, never override), ZWJ and ZWNJ (Persian words, emoji sequences), every script and emoji.
# Refusing (3) says what is wrong; removing (4) keeps a name pasted from a right-to-left editor usable.

_SAUTS_DE_LIGNE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_BLANCS_DE_LIGNE = re.compile("[\n\t]")
_INTERDITS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
BIDI_CONTROLES = re.compile("[\u202a-\u202e\u2066-\u2069]")


class Multiligne:
    """Marker of a multi-line text field (TexteLong): drawn as a text area, keeps line breaks and tabs."""


class ChoixDuDossier:
    """Marker of a field naming one of the dossier's own records (a group, an engaged intervenant): chosen in the
    dossier's list on screen, checked against it by the service."""

    def __init__(self, liste: str) -> None:
        self.liste = liste  # "groupes" or "intervenants": a key of requetes.choix_du_dossier


def normaliser_texte(valeur: str, *, multiligne: bool = False) -> str:
    """The boundary rule above; ValueError (French, without the field's name) for a refused character."""
    if m := _INTERDITS.search(valeur):
        raise ValueError(f"contient un caractère de contrôle interdit (U+{ord(m.group()):04X})")
    texte = BIDI_CONTROLES.sub("", _SAUTS_DE_LIGNE.sub("\n", valeur))
    # NFC last: a removed control no longer separates a letter from its combining accent.
    return unicodedata.normalize("NFC", texte if multiligne else _BLANCS_DE_LIGNE.sub(" ", texte))


def _texte(v: Any) -> Any:
    return normaliser_texte(v) if isinstance(v, str) else v


def _texte_long(v: Any) -> Any:
    return normaliser_texte(v, multiligne=True) if isinstance(v, str) else v


def texte_saisi(libelle: str, valeur: str | None, *, multiligne: bool = False) -> str:
    """The same rule for text that does not go through a form (a review comment, an import's cell), stripped;
    ErreursSaisie « « Libellé » : contient un caractère de contrôle interdit (U+0000). »"""
    try:
        return normaliser_texte(valeur or "", multiligne=multiligne).strip()
    except ValueError as exc:
        raise ErreursSaisie([f"« {libelle} » : {exc}."]) from None


def texte_imprimable(valeur: str) -> str:
    """Defence in depth for text already stored (written before the rule): what the rule would refuse or remove is
    dropped, line breaks and tabs are kept. Used by the writers of documents and workbooks."""
    return BIDI_CONTROLES.sub("", _INTERDITS.sub("", _SAUTS_DE_LIGNE.sub("\n", valeur)))


def _annee_scolaire(v: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{4})", v)
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise ValueError("l'année scolaire s'écrit AAAA-AAAA avec deux années consécutives (ex. 2025-2026)")
    return v


def annee_precedente(annee: str) -> str:
    """« 2025-2026 » → « 2024-2025 »."""
    return f"{int(annee[:4]) - 1}-{annee[:4]}"


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def verifier_email(v: str | None) -> str | None:
    """An e-mail address in lower case, None when left empty."""
    if v in (None, ""):
        return None
    if not EMAIL.match(v):
        raise ValueError("adresse électronique invalide (ex. ce.0310001A@ac-toulouse.fr)")
    return v.lower()


def nombre_francais(v: Any) -> Any:
    """Accept « 1 234,50 » as typed by French users."""
    if isinstance(v, str):
        return v.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    return v


Uai = Annotated[str, AfterValidator(normaliser_uai)]
AnneeScolaire = Annotated[str, AfterValidator(_annee_scolaire)]
Texte = Annotated[str, BeforeValidator(_texte)]  # one line: see the boundary rule above
TexteLong = Annotated[str, BeforeValidator(_texte_long), Multiligne()]  # several lines, tabs kept
GroupeDuDossier = Annotated[str, BeforeValidator(_texte), ChoixDuDossier("groupes")]  # a group's label
Courriel = Annotated[str, BeforeValidator(_texte), AfterValidator(lambda v: verifier_email(v) or "")]  # "" if left empty
IntervenantDuDossier = Annotated[str, BeforeValidator(_texte), ChoixDuDossier("intervenants")]  # « Prénom NOM »
Montant = Annotated[Decimal, BeforeValidator(nombre_francais), Field(ge=0, max_digits=12, decimal_places=2)]
Heures = Annotated[Decimal, BeforeValidator(nombre_francais), Field(ge=0, le=10000, max_digits=7, decimal_places=2)]


def champ(titre: str, **kwargs: Any) -> Any:
    """A form field with its French label (used in forms on screen and in error messages)."""
    return Field(title=titre, **kwargs)


def designation(titre: str, **kwargs: Any) -> Any:
    """A field that chooses which record a step is about (a parent, …): chosen in a list, never printed."""
    return Field(title=titre, json_schema_extra={"designation": True}, **kwargs)


def systeme(titre: str, **kwargs: Any) -> Any:
    """A field filled by the service (rate, dates…), never typed by the user."""
    return Field(title=titre, json_schema_extra={"systeme": True}, **kwargs)


class FormModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=False)


_MESSAGES = {
    "missing": "est obligatoire",
    "string_too_short": "est obligatoire",
    "string_too_long": "est trop long ({max_length} caractères au plus)",
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "decimal_parsing": "doit être un nombre (ex. 12,50)",
    "float_parsing": "doit être un nombre",
    "decimal_max_places": "a trop de décimales ({decimal_places} au plus)",
    "decimal_max_digits": "est trop grand",
    "decimal_whole_digits": "est trop grand",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "greater_than": "doit être supérieur à {gt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "less_than": "doit être inférieur à {lt}",
    "date_parsing": "doit être une date valide (jj/mm/aaaa)",
    "date_from_datetime_parsing": "doit être une date valide (jj/mm/aaaa)",
    "date_type": "doit être une date valide (jj/mm/aaaa)",
    "time_parsing": "doit être une heure valide (hh:mm)",
    "bool_parsing": "doit être oui ou non",
    "enum": "n'est pas une valeur autorisée",
    "literal_error": "n'est pas une valeur autorisée",
    "extra_forbidden": "n'est pas un champ de ce formulaire",
    "string_pattern_mismatch": "n'a pas le format attendu",
    "too_short": "doit contenir au moins {min_length} élément(s)",
    "list_type": "doit être une liste",
}


def _libelle(model: type[BaseModel], loc: tuple) -> str:
    """Walk the error location through nested models to build « Groupes n° 2 › Heures prévues »."""
    parties: list[str] = []
    courant: Any = model
    for element in loc:
        if isinstance(element, int):
            parties.append(f"n° {element + 1}")
            continue
        fields = getattr(courant, "model_fields", {})
        info = fields.get(element)
        if info is None:
            parties.append(str(element))
            courant = None
            continue
        parties.append(info.title or str(element))
        courant = _modele_interne(info.annotation)
    return " › ".join(parties)


def _modele_interne(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or (annotation,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _modele_interne(arg) if getattr(arg, "__args__", None) else None
        if inner:
            return inner
    return None


def erreurs_francaises(exc: ValidationError, model: type[BaseModel]) -> list[str]:
    """One French sentence per error, naming the field: « Heures prévues » doit être un nombre."""
    messages = []
    for err in exc.errors(include_url=False):
        loc = tuple(err.get("loc", ()))
        libelle = _libelle(model, loc) if loc else ""
        if err["type"] == "value_error":
            texte = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            modele = _MESSAGES.get(err["type"])
            texte = modele.format(**err.get("ctx", {})) if modele else err["msg"]
        messages.append(f"« {libelle} » : {texte}." if libelle else f"{texte[0].upper()}{texte[1:]}.")
    return messages


class ErreursSaisie(ValueError):
    """Input rejected; carries the French messages (the input itself is kept by the caller) and the labels of the
    form's fields they are about, for the page to mark them invalid."""

    def __init__(self, messages: list[str], champs: list[str] | None = None):
        super().__init__("\n".join(messages))
        self.messages = messages
        self.champs = champs or []


def champs_en_erreur(exc: ValidationError, model: type[BaseModel]) -> list[str]:
    """The labels of the top-level fields an error is about (a row of a grid counts for its grid), each once."""
    champs: list[str] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err.get("loc", ()))
        info = model.model_fields.get(loc[0]) if loc and isinstance(loc[0], str) else None
        if info is not None and info.title and info.title not in champs:
            champs.append(info.title)
    return champs


def valider(model: type[FormModel], donnees: dict) -> FormModel:
    """Validate user input, raising ErreursSaisie with French messages."""
    try:
        return model.model_validate(donnees)
    except ValidationError as exc:
        raise ErreursSaisie(erreurs_francaises(exc, model), champs_en_erreur(exc, model)) from exc
