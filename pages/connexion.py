from datetime import UTC

import streamlit as st

from infra.base import session
from pages._commun import oidc
from pages._commun.tour import routeur
from workflow.noyau.auth import EchecConnexion, authentifier

routeur()
st.title("Ouvrir l'École aux parents pour la réussite des enfants")
st.caption("Service académique de gestion du dispositif OEPRE — connexion")
if message := st.session_state.pop("message_connexion", None):
    st.info(message)
elif st.session_state.get("page_demandee"):
    st.info("Connectez-vous pour ouvrir la page demandée.")
oidc.bouton_de_connexion()

with st.form("connexion"):
    identifiant = st.text_input("Identifiant (adresse électronique)", key="connexion_identifiant")
    mot_de_passe = st.text_input("Mot de passe", type="password", key="connexion_mot_de_passe")
    envoye = st.form_submit_button("Se connecter", type="primary")

if envoye:
    try:
        with session() as s:
            acteur = authentifier(s, identifiant, mot_de_passe)
    except EchecConnexion as exc:
        st.error(str(exc))
    else:
        from datetime import datetime

        st.session_state["acteur"] = acteur
        st.session_state["derniere_activite"] = datetime.now(UTC)
        st.rerun()
