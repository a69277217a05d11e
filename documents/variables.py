"""The placeholders a document type may use, derived from pydantic models (a step's form, the shared context): each
with its French description (the field's title), its type and an example (the sample data of the preview). Nothing
here is written twice: a new form field is a new placeholder."""

import typing
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from documents.render import FILTRES
from forms.exemples import deballer
from forms.vocabulaire import Axe, Fonction


@dataclass(frozen=True)
class Variable:
    nom: str  # « libelle »
    chemin: str  # « groupes[].libelle »: how it is written in a template, a list's item written « [] »
    description: str
    type: str  # in French: texte, date, montant…
    exemple: str
    liste: bool = False  # a list: its items are written in a loop, {% for g in groupes %} … {{ g.libelle }}
    enfants: dict[str, "Variable"] = field(default_factory=dict)  # the fields of an item or of a nested record


_TYPES = {str: "texte", int: "nombre entier", Decimal: "nombre décimal", float: "nombre", bool: "oui / non",
          date: "date", time: "heure"}


def _type(annotation) -> tuple[str, type[BaseModel] | None, bool]:
    """(French type, nested model, is a list) of a field's annotation."""
    inner, _ = deballer(annotation)
    if typing.get_origin(inner) is list:
        element, _ = deballer(typing.get_args(inner)[0])
        if isinstance(element, type) and issubclass(element, BaseModel):
            return "liste d'éléments", element, True
        return f"liste ({_TYPES.get(element, 'valeurs')})", None, True
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return "fiche", inner, False
    if isinstance(inner, type) and issubclass(inner, Enum):
        return "valeur d'une liste fixe (filtre libelle)", None, False
    if typing.get_origin(inner) is typing.Literal:
        return "valeur d'une liste fixe", None, False
    if inner is Decimal and "montant" in str(annotation).lower():
        return "montant", None, False
    return _TYPES.get(inner, "valeur"), None, False


def _montrer(valeur: Any) -> str:
    if valeur is None:
        return "(vide)"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, Decimal):
        return format(valeur, "f").replace(".", ",")
    if isinstance(valeur, Enum):
        return str(valeur.value)
    if isinstance(valeur, list):
        return "; ".join(_montrer(v) for v in valeur[:3]) if valeur and not isinstance(valeur[0], dict) else f"{len(valeur)} élément(s)"
    if isinstance(valeur, dict):
        return "(fiche)"
    return str(valeur)


def variables(modele: type[BaseModel], exemple: dict, *, imprimes: set[str] | None = None, prefixe: str = "") -> dict[str, Variable]:
    """The fields of `modele` (only `imprimes` at the top level when given) and its computed fields, nested records and
    lists' items included, with `exemple` (a dump of the model) for their examples."""
    sortie: dict[str, Variable] = {}
    champs = [(n, i.annotation, i.title or i.description or n.replace("_", " ")) for n, i in modele.model_fields.items()]
    champs += [(n, i.return_type, i.title or i.description or n.replace("_", " ")) for n, i in modele.model_computed_fields.items()]
    for nom, annotation, description in champs:
        if imprimes is not None and nom not in imprimes:
            continue
        type_, enfant, liste = _type(annotation)
        valeur = exemple.get(nom) if isinstance(exemple, dict) else None
        chemin = f"{prefixe}{nom}"
        enfants = {}
        if enfant is not None:
            element = (valeur[0] if valeur else {}) if liste else (valeur or {})
            enfants = variables(enfant, element if isinstance(element, dict) else {}, prefixe=f"{chemin}[]." if liste else f"{chemin}.")
        enum, _ = deballer(annotation)
        if isinstance(enum, type) and issubclass(enum, Enum) and valeur is not None:  # what « |libelle » prints
            valeur = getattr(enum(valeur), "libelle", valeur)
        sortie[nom] = Variable(nom, chemin, description[:1].upper() + description[1:], type_, _montrer(valeur), liste, enfants)
    return sortie


def a_plat(catalogue: dict[str, Variable]) -> list[Variable]:
    """Every variable, nested ones after their parent, in the order of the models."""
    return [x for v in catalogue.values() for x in (v, *a_plat(v.enfants))]


@dataclass(frozen=True)
class Filtre:
    nom: str
    description: str
    ecriture: str  # how a template writes it: « {{ date_debut|date_fr }} »
    exemple: str  # what it prints, computed by the filter itself


# What each French filter prints, and the value it is shown on; the example is the filter's own output.
_FILTRES = {
    "date_fr": ("Une date en toutes lettres", "{{ date_debut|date_fr }}", (date(2026, 3, 1),)),
    "date_courte": ("Une date en chiffres", "{{ date_debut|date_courte }}", (date(2026, 3, 17),)),
    "mois_fr": ("Le mois et l'année", "{{ mois|mois_fr }}", (date(2026, 5, 1),)),
    "montant": ("Un montant en euros", "{{ taux_horaire|montant }}", (Decimal("1772.4"),)),
    "heures": ("Un nombre d'heures (décimales utiles seulement)", "{{ heures_prevues|heures }}", (Decimal("60.50"),)),
    "nb_heures": ("Un nombre d'heures suivi du mot « heure(s) », accordé", "{{ heures_prevues|nb_heures }}", (Decimal("1.5"),)),
    "duree": ("Une durée exacte à partir de minutes", "{{ minutes_presentes|duree }}", (80,)),
    "heure": ("Une heure de la journée", "{{ heure_debut|heure }}", (time(14, 0),)),
    "periode": ("Une période entre deux dates", "{{ date_debut|periode(date_fin) }}", (date(2025, 11, 17), date(2026, 6, 19))),
    "telephone": ("Un numéro de téléphone par paires de chiffres", "{{ responsable_telephone|telephone }}", ("0561000000",)),
    "qualite": ("Une fonction suivie de l'établissement, dans une phrase", "{{ fonction_signataire|qualite(etablissement.nom) }}",
                ("Principal(e)", "Collège Jean-Jaurès")),
    "titre_signataire": ("La ligne au-dessus de la signature d'un chef d'établissement", "{{ responsable_fonction|titre_signataire }}",
                         (Fonction.PRINCIPAL,)),
    "oui_non": ("« oui » ou « non »", "{{ renouvellement|oui_non }}", (True,)),
    "liste": ("Des valeurs séparées par des virgules, « — » si aucune", "{{ mutualisation|liste }}", (["0310001H", "0310002J"],)),
    "libelle": ("Le libellé français d'une valeur d'une liste fixe", "{{ responsable_fonction|libelle }}", (Fonction.PRINCIPAL,)),
    "libelles": ("Les libellés français de plusieurs valeurs", "{{ axes|libelles }}", ([Axe.LANGUE, Axe.ECOLE],)),
    "creneaux": ("Les jours et horaires, un par ligne", "{{ g.creneaux|creneaux }}",
                 ([{"jour": "mardi", "debut": "14:00", "fin": "16:00"}],)),
}


def filtres() -> list[Filtre]:
    """The French filters a template may use (documents.render.FILTRES), each with what it prints on an example."""
    sortie = []
    for nom, fonction in FILTRES.items():
        description, ecriture, arguments = _FILTRES[nom]
        sortie.append(Filtre(nom, description, ecriture, str(fonction(*arguments))))
    return sortie
