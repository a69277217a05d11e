"""Public page (no sign-in): the legal notice of the service."""

import streamlit as st

from conformite.editeur import editeur
from infra.settings import get_settings
from pages._commun.tour import routeur, session

routeur()
st.title("Mentions légales")
with session() as s:
    publie_par = editeur(s)
st.header("Éditeur")
st.markdown(f"{publie_par.rectorat}, {publie_par.ville_rectorat}.")
st.markdown(f"Directeur de la publication : le recteur de l'académie de {publie_par.academie}.")
if publie_par.contact:
    st.markdown(f"Contact : {publie_par.contact}.")
st.header("Hébergement")
st.markdown(f"Le service est hébergé par le {publie_par.rectorat} ou le prestataire qu'il désigne, à l'adresse "
            f"{get_settings().adresse_publique}.")
st.header("Cookies")
st.markdown("Le service ne dépose aucun cookie de mesure d'audience ni de publicité. Il utilise seulement les cookies "
            "nécessaires à son fonctionnement : la protection des formulaires contre la falsification de requête et, "
            "si la connexion passe par le fournisseur d'identité de l'État, le cookie de cette connexion.")
st.header("Accessibilité et données personnelles")
st.page_link("pages/accessibilite.py", label="Déclaration d'accessibilité")
st.page_link("pages/donnees_personnelles.py", label="Données personnelles")
