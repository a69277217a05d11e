"""The one render function: docxtpl with autoescape, StrictUndefined and French filters (Babel)."""

import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from docx import Document as DocxDocument
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from documents.gabarits import chemin_gabarit, declarer_francais
from forms.base import texte_imprimable
from forms.contexte import ImageDocument
from forms.vocabulaire import libelle

LOCALE = "fr_FR"


class ErreurRendu(RuntimeError):
    """A template could not be filled (missing variable, syntax): a programming error, in French."""


def date_fr(d: date | None) -> str:
    if d is None:
        return "—"
    texte = format_date(d, format="d MMMM y", locale=LOCALE)
    return "1er" + texte[1:] if d.day == 1 else texte


def date_courte(d: date | None) -> str:
    return "—" if d is None else format_date(d, format="dd/MM/y", locale=LOCALE)


def mois_fr(d: date) -> str:
    return format_date(d, format="LLLL y", locale=LOCALE)


def montant(x: Decimal | int | None) -> str:
    return format_currency(Decimal(x or 0), "EUR", locale=LOCALE)


def heures(x: Decimal | int | None) -> str:
    return format_decimal(Decimal(x or 0), format="#,##0.##", locale=LOCALE)


def nb_heures(x: Decimal | int | None) -> str:
    """« 0 heure », « 1,5 heure », « 2 heures »: French takes the singular below two."""
    valeur = Decimal(x or 0)
    return f"{heures(valeur)} {'heure' if abs(valeur) < 2 else 'heures'}"


def periode(debut: date | None, fin: date | None) -> str:
    """« du 17 novembre 2025 au 19 juin 2026 », or « le 17 mars 2026 » when both ends are the same day."""
    if debut is not None and debut == fin:
        return f"le {date_fr(debut)}"
    return f"du {date_fr(debut)} au {date_fr(fin)}"


def telephone(numero: str | None) -> str:
    """« 05 61 00 00 00 » for « 0561000000 », « +33 5 61 00 00 00 » for « +33561000000 »; other numbers as typed."""
    if not numero:
        return "—"
    chiffres = re.sub(r"[\s.\-()]", "", str(numero))
    if chiffres.startswith("0033"):
        chiffres = "+33" + chiffres[4:]
    if re.fullmatch(r"\+33[1-9]\d{8}", chiffres):
        reste = chiffres[3:]
        return "+33 " + reste[0] + " " + " ".join(reste[i:i + 2] for i in range(1, 9, 2))
    if re.fullmatch(r"0[1-9]\d{8}", chiffres):
        return " ".join(chiffres[i:i + 2] for i in range(0, 10, 2))
    return str(numero)


# A head's function as the application names it, then the same in a sentence (« X, principal(e) du collège … »).
_FONCTIONS_EN_PHRASE = {"Directeur / directrice d'école": "directeur ou directrice", "responsable de l'établissement": "responsable"}
_ARTICLES = (("école", "de l'"), ("établissement", "de l'"), ("ensemble", "de l'"), ("institut", "de l'"), ("erea", "de l'"),
             ("collège", "du "), ("lycée", "du "), ("groupe", "du "), ("centre", "du "), ("cité", "de la "))


def de_l_etablissement(nom: str) -> str:
    """« de l'École élémentaire des Tilleuls », « du collège Jean-Jaurès », « de Saint-Exupéry »: the name after « de »,
    with the article French requires (« École » keeps its capital, as the ministry writes it; collège, lycée do not)."""
    premier = nom.split(" ", 1)[0].lower()
    for mot, article in _ARTICLES:
        if premier == mot:
            garde = mot in ("école", "erea") or nom[:1] == nom[:1].lower()
            return article + (nom if garde else nom[:1].lower() + nom[1:])
    return f"de {nom}"


def qualite(fonction: str, etablissement: str) -> str:
    """A signatory's function in a sentence, then the school: « principal(e) du collège Jean-Jaurès », « directeur ou
    directrice de l'École élémentaire des Tilleuls » (never « Directeur / directrice d'école de École … »)."""
    texte = _FONCTIONS_EN_PHRASE.get(fonction.strip(), fonction.strip())
    texte = re.sub(r"\s+(d'école|d'établissement|de l'école|de l'établissement)$", "", texte, flags=re.IGNORECASE)
    texte = texte.replace(" / ", " ou ")
    if len(texte) > 1 and texte[1:2].islower():  # « Principal(e) » → « principal(e) », an acronym stays
        texte = texte[:1].lower() + texte[1:]
    return f"{texte} {de_l_etablissement(etablissement)}"


_TITRES = {"directeur_ecole": "Le directeur ou la directrice d'école", "principal": "Le principal ou la principale",
           "proviseur": "Le proviseur ou la proviseure", "adjoint": "L'adjoint ou l'adjointe du chef d'établissement"}


def titre_signataire(fonction: Any) -> str:
    """The line above a head's signature, from the function chosen in the application."""
    return _TITRES.get(str(getattr(fonction, "value", fonction)), "Le directeur ou la directrice, ou le chef d'établissement")


def duree(minutes: int | None) -> str:
    """An exact duration from whole minutes: « 1 h 20 », « 45 min », « 2 h », « 1 234 h 05 » (never 1,33 h)."""
    h, m = divmod(int(minutes or 0), 60)
    if not h:
        return f"{m} min" if m else "0 h"
    texte = f"{format_decimal(h, format='#,##0', locale=LOCALE)} h"
    return f"{texte} {m:02d}" if m else texte


def heure(t: time | str) -> str:
    if isinstance(t, str):
        t = time.fromisoformat(t)
    return f"{t.hour} h {t.minute:02d}"


def oui_non(v: Any) -> str:
    return "oui" if v else "non"


def liste(valeurs: Iterable[Any]) -> str:
    valeurs = [str(v) for v in valeurs or []]
    return ", ".join(valeurs) if valeurs else "—"


def libelles(valeurs: Iterable[Any]) -> str:
    return liste(libelle(v) for v in valeurs or [])


def creneaux(valeurs: Iterable[Mapping]) -> str:
    return "\n".join(f"{libelle(c['jour'])} {heure(c['debut'])} – {heure(c['fin'])}" for c in valeurs or []) or "—"


FILTRES = {
    "date_fr": date_fr, "date_courte": date_courte, "mois_fr": mois_fr, "montant": montant, "heures": heures,
    "duree": duree, "heure": heure, "nb_heures": nb_heures, "periode": periode, "telephone": telephone, "qualite": qualite,
    "titre_signataire": titre_signataire, "oui_non": oui_non, "liste": liste, "libelle": libelle, "libelles": libelles,
    "creneaux": creneaux,
}


# Bidirectional classes of the characters that make a run right-to-left (Hebrew, Arabic letters, Arabic digits).
_DROITE_A_GAUCHE = frozenset({"R", "AL", "AN"})
FSI, PDI = "\u2068", "\u2069"  # First Strong Isolate … Pop Directional Isolate (Unicode UAX #9)


def isoler(valeur: Any) -> Any:
    """What every {{ … }} prints (Jinja finalize): text is made printable (texte_imprimable: controls and bidi
    overrides already stored are dropped, since docxtpl would turn BEL into a paragraph and FF into a page), and a
    value holding right-to-left characters is wrapped in FSI … PDI, so that it takes its own direction from its first
    strong letter and stays one neutral block for the fixed text around it: « atteste que فاطمة الزهراء a suivi 52 h »
    keeps its words and figures in place. A value without right-to-left characters cannot reorder left-to-right text
    and is printed unchanged (so are the '0'/'1' written into XML attributes)."""
    if not isinstance(valeur, str):
        return valeur
    texte = type(valeur)(texte_imprimable(valeur))  # Markup (text joined with ~) stays already escaped
    if any(unicodedata.bidirectional(c) in _DROITE_A_GAUCHE for c in texte):
        return type(valeur)(FSI) + texte + type(valeur)(PDI)
    return texte


def environnement(*, bac_a_sable: bool = False) -> Environment:
    """`bac_a_sable` for an académie's uploaded template (workflow.modeles): checked before it was accepted, and
    rendered in Jinja's sandbox all the same (no attribute of Python's internals, no mutation of a value)."""
    classe = ImmutableSandboxedEnvironment if bac_a_sable else Environment
    env = classe(undefined=StrictUndefined, autoescape=True, finalize=isoler)
    env.filters.update(FILTRES)
    return env


@lru_cache(maxsize=64)
def _octets_gabarit(cle: str) -> bytes:
    return chemin_gabarit(cle).read_bytes()


def octets_gabarit_integre(cle: str) -> bytes:
    """The built-in template of templates_docx/: the default of every académie."""
    return _octets_gabarit(cle)


def variables_gabarit(cle: str, gabarit: bytes | None = None) -> set[str]:
    """Top-level variables a template uses (loop variables excluded): the built-in one, or `gabarit`'s."""
    tpl = DocxTemplate(io.BytesIO(_octets_gabarit(cle) if gabarit is None else gabarit))
    return set(tpl.get_undeclared_template_variables(environnement()))


def avec_images(tpl: DocxTemplate, valeur: Any) -> Any:
    """The context with each ImageDocument (a signature, a stamp) made an InlineImage of the template being rendered,
    at its width (its height follows), in mappings and lists at any depth (a batch's copies)."""
    if isinstance(valeur, ImageDocument):
        return InlineImage(tpl, io.BytesIO(valeur.contenu), width=Mm(valeur.largeur_mm))
    if isinstance(valeur, Mapping):
        return {k: avec_images(tpl, v) for k, v in valeur.items()}
    if isinstance(valeur, list | tuple):
        return [avec_images(tpl, v) for v in valeur]
    return valeur


def rendre(cle: str, contexte: Mapping[str, Any], gabarit: bytes | None = None) -> bytes:
    """Fill template `cle` with `contexte` and return the DOCX bytes. Never writes a file. `gabarit`: the bytes of
    the académie's version in force (workflow.noyau.modeles.modele_en_vigueur), else the built-in template."""
    tpl = DocxTemplate(io.BytesIO(_octets_gabarit(cle) if gabarit is None else gabarit))
    try:
        tpl.render(avec_images(tpl, contexte), environnement(bac_a_sable=gabarit is not None), autoescape=True)
    except UndefinedError as exc:
        raise ErreurRendu(f"Modèle « {cle} » : variable manquante ({exc.message}).") from exc
    except TemplateError as exc:
        raise ErreurRendu(f"Modèle « {cle} » : erreur de gabarit ({exc}).") from exc
    titrer_en_francais(tpl.docx, cle)
    sortie = io.BytesIO()
    tpl.save(sortie)
    return sortie.getvalue()


@lru_cache(maxsize=64)
def titre_du_type(cle: str) -> str:
    """The document type's title (« Avis de l'IA-DASEN »), as documents.catalogue wrote it into the built-in template,
    which every type keeps as its default (read there: the catalogue imports this module)."""
    return DocxDocument(io.BytesIO(chemin_gabarit(cle).read_bytes())).core_properties.title


def titrer_en_francais(docx, cle: str) -> None:
    """Whatever template filled it (a built-in one or a model an académie uploaded), a rendered document declares French
    and bears its document type's title: LibreOffice makes them the PDF's /Lang and title."""
    declarer_francais(docx)
    docx.core_properties.language = "fr-FR"
    docx.core_properties.title = titre_du_type(cle)
