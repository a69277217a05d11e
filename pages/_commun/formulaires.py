"""Widgets drawn from a form model (forms/): one per user field, a grid for a list of rows, a list to choose in for a
field the dossier fills; the raw values go to forms.base.valider."""

import typing
from datetime import date, time
from decimal import Decimal
from enum import Enum
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import BaseModel
from streamlit.errors import StreamlitAPIException

from forms.base import ChoixDuDossier, FormModel, Multiligne
from forms.lignes import deballer, genre, vers_grille, vers_json
from pages._commun import apparence


def _est_systeme(info) -> bool:
    return bool(info.json_schema_extra and info.json_schema_extra.get("systeme"))


def _colonnes(modele: type[BaseModel]) -> dict[str, Any]:
    """The grid's column of each row field, of the kind forms.lignes.vers_grille types its cells for."""
    config = {}
    for nom, info in modele.model_fields.items():
        sorte, type_ = genre(info.annotation)
        titre = info.title or nom
        if sorte == "choix":
            defaut = info.default.value if isinstance(info.default, Enum) else None
            config[nom] = st.column_config.SelectboxColumn(titre, options=[e.value for e in type_], default=defaut,
                                                           format_func=lambda v, e=type_: e(v).libelle)
        elif sorte == "booleen":
            config[nom] = st.column_config.CheckboxColumn(titre, default=info.default is True)
        elif sorte == "date":
            config[nom] = st.column_config.DateColumn(titre, format="DD/MM/YYYY")
        elif sorte == "heure":
            config[nom] = st.column_config.TimeColumn(titre, format="HH:mm", step=900)
        elif sorte == "entier":
            bornes = {cle: getattr(m, attr) for m in info.metadata for cle, attr in (("min_value", "ge"), ("max_value", "le"))
                      if getattr(m, attr, None) is not None}
            config[nom] = st.column_config.NumberColumn(titre, step=1, format="%d", **bornes)
        else:  # text, a Decimal typed the French way (« 12,5 »), a nested list typed as text (time slots)
            config[nom] = st.column_config.TextColumn(titre)
    return config


def grille_de_lignes(element: type[BaseModel], cle_w: str, titre: str, stockees: Any) -> list:
    """A data_editor for a form's list field: the stored rows typed for the grid by forms.lignes (a value the grid
    cannot hold is emptied, and said in French), the edited rows returned as JSON rows for the draft."""
    typees, avis = vers_grille(element, stockees, titre)
    st.markdown(f"**{titre}**")
    for message in avis:
        st.warning(message, icon=":material/edit_note:")
    colonnes = list(element.model_fields)  # named even when there is no row yet
    tableau = pd.DataFrame(typees, columns=colonnes, dtype=object)  # object: ints stay ints beside empty cells
    libelles = {e.value: e.libelle for info in element.model_fields.values()
                for sorte, type_ in [genre(info.annotation)] if sorte == "choix" for e in type_}
    apparence.libelles_de_la_grille(cle_w, libelles)
    try:
        edite = st.data_editor(tableau, key=cle_w, num_rows="dynamic", width="stretch", hide_index=True,
                               column_config=_colonnes(element), column_order=colonnes)
    except StreamlitAPIException:  # never a traceback for a person: show the rows, keep them as stored
        st.error(f"Le tableau « {titre} » ne peut pas être modifié ici pour l'instant : ses lignes enregistrées sont "
                 "conservées telles quelles. Signalez-le à l'assistance de la DAEPS.", icon=":material/error:")
        st.dataframe(tableau.astype(str), hide_index=True)
        return stockees if isinstance(stockees, list) else []
    return vers_json(element, edite.to_dict("records"))


def _obligatoire(info) -> bool:
    """A field the person must fill: no default, or a text or a list that may not be empty (a checkbox is never
    « required »: unticked is an answer)."""
    inner, optionnel = deballer(info.annotation)
    if inner is bool or optionnel:
        return False
    longueur_min = next((m.min_length for m in info.metadata if getattr(m, "min_length", None)), 0)
    return info.is_required() or longueur_min > 0


def _valeur_defaut(valeurs: dict, nom: str, info) -> Any:
    if nom in valeurs:
        return valeurs[nom]
    if info.default_factory is not None:
        return info.default_factory()
    return None if info.is_required() else info.default


VIDE_DU_DOSSIER = {"groupes": "ce dossier n'a encore aucun groupe (section « Groupes » du dossier de candidature).",
                   "intervenants": "aucun intervenant n'est encore engagé sur cet atelier."}


def champs_formulaire(modele: type[FormModel], cle: str, valeurs: dict | None = None,
                      exclure: tuple[str, ...] = (), inclure: tuple[str, ...] | None = None,
                      choix: dict[str, list[str]] | None = None) -> dict:
    """Widgets for the user fields of `modele` (all, or those of `inclure`); returns raw values for forms.base.valider.
    A field marked ChoixDuDossier is a list to choose in when `choix` (requetes.choix_du_dossier) gives its options."""
    valeurs, choix = valeurs or {}, choix or {}
    donnees: dict[str, Any] = {}
    montres = [(nom, info) for nom, info in modele.model_fields.items()
               if not (_est_systeme(info) or nom in exclure or (inclure is not None and nom not in inclure))]
    apparence.marquer_obligatoires([info.title or nom for nom, info in montres if _obligatoire(info)])
    for nom, info in montres:
        inner, optionnel = deballer(info.annotation)
        titre = info.title or nom
        cle_w = f"{cle}_{nom}"
        defaut = _valeur_defaut(valeurs, nom, info)
        origine = typing.get_origin(inner)
        liste = next((m.liste for m in info.metadata if isinstance(m, ChoixDuDossier)), None)
        if liste is not None and liste in choix:
            options = choix[liste]
            if not options:
                st.warning(f"« {titre} » : {VIDE_DU_DOSSIER[liste]}")
            donnees[nom] = st.selectbox(titre, options, index=options.index(defaut) if defaut in options else None,
                                        key=cle_w, placeholder="Choisir…")
        elif origine is list:
            (element,) = typing.get_args(inner)
            element, _ = deballer(element)
            if isinstance(element, type) and issubclass(element, BaseModel):
                donnees[nom] = grille_de_lignes(element, cle_w, titre, defaut)
            elif isinstance(element, type) and issubclass(element, Enum):
                donnees[nom] = st.multiselect(titre, [e.value for e in element], default=defaut or [],
                                              format_func=lambda v, e=element: e(v).libelle, key=cle_w,
                                              placeholder="Choisir…")
            else:
                texte = st.text_area(f"{titre} (un par ligne)", value="\n".join(map(str, defaut or [])), key=cle_w)
                donnees[nom] = [ligne.strip() for ligne in texte.splitlines() if ligne.strip()]
        elif isinstance(inner, type) and issubclass(inner, Enum):
            options = [e.value for e in inner]
            index = options.index(str(defaut.value if isinstance(defaut, Enum) else defaut)) if defaut else None
            donnees[nom] = st.selectbox(titre, options, index=index, format_func=lambda v, e=inner: e(v).libelle,
                                        key=cle_w, placeholder="Choisir…")
        elif inner is bool:
            donnees[nom] = st.checkbox(titre, value=bool(defaut), key=cle_w)
        elif inner is date:
            valeur = date.fromisoformat(defaut) if isinstance(defaut, str) else defaut
            donnees[nom] = st.date_input(titre, value=valeur, format="DD/MM/YYYY", key=cle_w)
        elif inner is time:
            valeur = time.fromisoformat(defaut) if isinstance(defaut, str) else defaut
            donnees[nom] = st.time_input(titre, value=valeur, key=cle_w, step=900)
        elif inner is int:
            donnees[nom] = st.number_input(titre, value=defaut, step=1, key=cle_w,
                                           placeholder="facultatif" if optionnel else None)
        elif inner is Decimal:
            texte = st.text_input(titre, value="" if defaut is None else str(defaut).replace(".", ","), key=cle_w,
                                  placeholder="0,00")
            donnees[nom] = texte or None
        else:
            widget = st.text_area if any(isinstance(m, Multiligne) for m in info.metadata) else st.text_input
            donnees[nom] = widget(titre, value=defaut or "", key=cle_w)
    return {k: v for k, v in donnees.items() if v is not None and v != ""}
