"""Public page (no sign-in) where a password e-mail's link lands: the person chooses their password."""

import streamlit as st

from forms.base import ErreursSaisie
from forms.comptes import LONGUEUR_MIN
from pages._commun.actions import action, refus_de_saisie
from pages._commun.tour import routeur, session
from workflow import comptes

routeur()
st.title("Choisir votre mot de passe")
jeton = st.query_params.get("jeton", "")
if st.session_state.get("mot_de_passe_choisi"):
    st.success(f"Mot de passe enregistré pour {st.session_state['mot_de_passe_choisi']} : vous pouvez vous connecter.")
    st.page_link("pages/connexion.py", label="Se connecter", icon=":material/login:")
    st.stop()
with session() as s:
    lien = comptes.lien(s, jeton)
if not lien.valide:
    st.error(lien.message, icon=":material/link_off:")
    st.stop()
st.markdown(f"Compte de **{lien.nom}** — identifiant `{lien.identifiant}`.")
st.caption(f"Au moins {LONGUEUR_MIN} caractères, mêlant au moins trois sortes de caractères (minuscules, majuscules, "
           "chiffres, autres signes) ; ni votre identifiant ni votre nom. Une phrase de plusieurs mots convient bien.")
with st.form("mot_de_passe"):
    mot_de_passe = st.text_input("Nouveau mot de passe", type="password", key="mdp_nouveau")
    confirmation = st.text_input("Confirmez le mot de passe", type="password", key="mdp_confirmation")
    envoye = st.form_submit_button("Enregistrer le mot de passe", type="primary")
if envoye:
    identifiant = None
    try:
        with action("Choisir son mot de passe", enregistree=lambda s: not comptes.lien(s, jeton).valide), session() as s:
            identifiant = comptes.choisir_mot_de_passe(s, jeton, {"mot_de_passe": mot_de_passe, "confirmation": confirmation})
    except ErreursSaisie as exc:
        refus_de_saisie("Le mot de passe n'est pas enregistré :", exc)
    if identifiant:
        st.session_state["mot_de_passe_choisi"] = identifiant
        st.rerun()
