"""Public page (no sign-in): the accessibility statement, written from the last measured audit (conformite)."""

import streamlit as st

from conformite import accessibilite, declaration
from conformite.editeur import editeur
from infra.settings import get_settings
from pages._commun.tour import routeur, session

routeur()
st.title("Déclaration d'accessibilité")
with session() as s:
    publie_par = editeur(s)
audit = accessibilite.dernier_audit()
for section in declaration.declaration(audit, publie_par, get_settings().adresse_publique):
    st.header(section.titre)
    for paragraphe in section.paragraphes:
        st.markdown(paragraphe)
if audit is not None:
    with st.expander("Détail de l'audit : règles respectées et pages concernées par chaque manquement"):
        st.markdown("**Règles respectées sur toutes les pages** : " + ", ".join(f"`{r}`" for r in audit.regles_respectees))
        for m in audit.manquements:
            st.markdown(f"**{m.aide}** (`{m.regle}`, impact {m.impact_fr}) : " + " ; ".join(m.pages))
