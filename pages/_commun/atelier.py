"""The atelier a page of the atelier's running is about."""

import streamlit as st

from forms.vocabulaire import EN_ACTIVITE, RETENUS
from pages._commun.tour import lecture, session
from workflow.atelier import vues
from workflow.noyau import requetes
from workflow.noyau.permissions import Acteur


def choisir_atelier(moi: Acteur, cle: str) -> requetes.DossierLigne:
    """The retained or running atelier the page is about, in every campaign that still has work (this year's
    ateliers run until June after next year's call has opened); a choice only when the actor has several; stops
    otherwise."""
    with session() as s:
        ids = [c.id for c in requetes.campagnes_en_cours(s, moi)]
        lignes = [d for d in (requetes.dossiers_visibles(s, moi, campagne_ids=ids) if ids else [])
                  if d.etat in (*RETENUS, *EN_ACTIVITE)]
    if not lignes:
        st.info("Aucun atelier retenu ou en cours dans votre périmètre.")
        st.stop()
    return lignes[0] if len(lignes) == 1 else st.selectbox(
        "Atelier", lignes, key=cle, format_func=lambda d: f"{d.numero} — {d.etablissement} ({d.annee_scolaire})")


def suivre_atelier(moi: Acteur, cle: str) -> tuple[requetes.DossierLigne, vues.SuiviAtelier]:
    """The atelier chosen (choisir_atelier) and its follow-up: groups, hours, intervenants, state and version."""
    choix = choisir_atelier(moi, cle)
    with lecture() as s:
        return choix, vues.suivi(s, moi, choix.id)
