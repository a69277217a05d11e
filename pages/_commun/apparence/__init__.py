"""The look and the served page's language and title, drawn by app.py on every run before the page: the stylesheet
(DSFR colours, contrasts, visible focus) and the small script for what Streamlit cannot set (RGAA: `<html lang="fr">`,
one title per page, French labels of its own controls)."""

import html
import json
from pathlib import Path

import streamlit as st

from infra.settings import RACINE, get_settings

ICI = Path(__file__).parent
STATIQUE = RACINE / "static" / "dsfr"
NOM_DU_SERVICE = "OEPRE — Ouvrir l'École aux parents"


def titre_du_document(titre_de_la_page: str) -> str:
    return f"{titre_de_la_page} — {NOM_DU_SERVICE}"


def appliquer(titre_de_la_page: str) -> None:
    st.html(ICI / "oepre.css")
    script = (ICI / "oepre.js").read_text(encoding="utf-8").replace('"__TITRE__"',
                                                                    json.dumps(titre_du_document(titre_de_la_page)))
    st.html(f'<span class="oepre-script"></span><script>{script}</script>', unsafe_allow_javascript=True)


def _donnees_pour_le_script(**listes) -> None:
    """Facts about the page's fields for oepre.js (a hidden element): which are required, which were refused."""
    attributs = " ".join(f"data-{nom}='{html.escape(json.dumps(valeurs, ensure_ascii=False), quote=True)}'"
                         for nom, valeurs in listes.items())
    st.html(f'<span class="oepre-script oepre-champs" {attributs}></span>')


def marquer_obligatoires(libelles: list[str]) -> None:
    """RGAA 11.10: the required fields said before the form, each marked (« * » seen, aria-required read)."""
    if libelles:
        st.caption("Les champs marqués d'un astérisque (\\*) sont obligatoires.")
        _donnees_pour_le_script(obligatoires=libelles)


def libelles_de_la_grille(cle: str, libelles: dict[str, str]) -> None:
    """The grid's choice columns draw their labels, but the table Streamlit gives screen readers holds the stored
    codes (« ct_evs »): oepre.js writes the labels there too."""
    if libelles:
        _donnees_pour_le_script(grille=f"st-key-{cle}", libelles=libelles)


def signaler_champs_en_erreur(libelles: list[str]) -> None:
    """The fields a refusal is about: aria-invalid, described by the message, the first one given the focus."""
    if libelles:
        _donnees_pour_le_script(invalides=libelles)


# The charts' numbers and months as French prints them (Vega's locale: « 1 234,5 », « nov. 2025 »), not « 1,234.5 ».
LOCALE_DES_GRAPHIQUES = {
    "number": {"decimal": ",", "thousands": "\u202f", "grouping": [3], "currency": ["", "\u00a0€"]},
    "time": {"dateTime": "%A %e %B %Y à %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["", ""],
             "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
             "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
             "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                        "octobre", "novembre", "décembre"],
             "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                             "nov.", "déc."]},
}


def graphique(chart) -> None:
    """An Altair chart drawn with French numbers and months."""
    st.altair_chart(chart.configure(locale=LOCALE_DES_GRAPHIQUES))


def chiffres_du_graphique(tableau, titre: str) -> None:
    """A chart's text alternative (RGAA 1.3): the figures it draws, in a table, just under it."""
    with st.expander(f"{titre} : les chiffres du graphique"):
        st.table(tableau)


def cadre():
    """The header band, the page's place, then the footer, drawn before the page runs: a page that stops (st.stop)
    keeps both. Returns the page's container."""
    from conformite.editeur import editeur_du_pied_de_page
    from pages._commun.tour import session

    publie_par = editeur_du_pied_de_page(session)
    _en_tete(publie_par, get_settings().marque_etat)
    corps = st.container()
    _pied_de_page(publie_par)
    return corps


def _en_tete(publie_par, marque_etat: bool) -> None:
    """The service's name and its académie; for a State service's deployment, the bloc-marque and Marianne (DSFR)."""
    bloc_marque = ""
    if marque_etat:
        st.html(f"<style>{_police_marianne()}{(STATIQUE / 'logo.min.css').read_text(encoding='utf-8')}</style>")
        bloc_marque = '<p class="fr-logo">République<br>française</p>'
    st.html(f'<div class="oepre-entete">{bloc_marque}<div class="oepre-entete-service">'
            f'<p class="oepre-entete-nom">OEPRE</p>'
            f'<p class="oepre-entete-devise">Ouvrir l\'École aux parents pour la réussite des enfants — '
            f'{html.escape(publie_par.rectorat)}</p></div></div>')


def _police_marianne() -> str:
    """DSFR's type, served from static/dsfr (relative addresses: the service may sit under a proxy's path); every
    text in it but the icons' ligatures and code."""
    faces = "".join(
        f'@font-face{{font-family:"Marianne";src:url("app/static/dsfr/Marianne-{fichier}.woff2") format("woff2");'
        f"font-weight:{graisse};font-style:{style};font-display:swap}}"
        for fichier, graisse, style in (("Regular", 400, "normal"), ("Medium", 500, "normal"), ("Bold", 700, "normal"),
                                        ("Regular_Italic", 400, "italic")))
    return (faces + '.stApp, .stApp :not([data-testid="stIconMaterial"]):not(code, pre, code *, pre *)'
            '{font-family:"Marianne", arial, sans-serif !important}')


def _pied_de_page(publie_par) -> None:
    """The service's name, its publisher and the links every page of a public service carries."""
    from workflow.navigation import PAGES_D_INFORMATION

    st.divider()
    with st.container(horizontal=True, gap="medium"):
        st.caption(f"{NOM_DU_SERVICE} — {publie_par.rectorat}")
        for p in PAGES_D_INFORMATION:
            st.page_link(p.fichier, label=p.titre)
        if publie_par.contact:
            st.caption(f"Contact : {publie_par.contact}")


def menu(pages) -> None:
    """The role's pages by section: each section's name a heading, then its links (Streamlit marks the current one)."""
    sections: dict[str, list] = {}
    for p in pages:
        sections.setdefault(p.section, []).append(p)
    for section, siennes in sections.items():
        st.html(f'<h2 class="oepre-menu-section">{section}</h2>')
        for p in siennes:
            st.page_link(p.fichier, label=p.titre, icon=p.icone)
