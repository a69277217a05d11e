"""The campaign a page is about: today's, or one chosen among those the page can show; a page without one stops."""

import streamlit as st

from pages._commun.tour import acteur, session
from workflow.noyau import requetes


def _ou_arret(trouvees, vide: str):
    if not trouvees:
        st.info(vide)
        st.stop()
    return trouvees


def campagne_courante(vide: str):
    """The campaign open today; stops with `vide` when there is none."""
    with session() as s:
        return _ou_arret(requetes.campagne_courante(s, acteur()), vide)


def campagnes(vide: str, *, en_cours: bool = False) -> list:
    """Every campaign of the actor's académie, newest first, or (`en_cours`) those that still have work, oldest first; stops with `vide`."""
    with session() as s:
        return _ou_arret(requetes.campagnes_en_cours(s, acteur()) if en_cours else requetes.campagnes(s, acteur()), vide)


def choisir_campagne(liste: list, cle: str, *, index: int = 0):
    """The only campaign of `liste`, or the one chosen among several (`index` first)."""
    return liste[0] if len(liste) == 1 else st.selectbox("Campagne", liste, index=index, key=cle,
                                                         format_func=lambda c: c.annee_scolaire)
