import streamlit as st

from forms.vocabulaire import Role
from pages._commun.tour import page, session
from workflow.noyau import requetes

moi = page()
st.title("Comptes")
with session() as s:
    comptes = requetes.utilisateurs(s, moi)
st.dataframe([{"Identifiant": u.identifiant, "Nom": u.nom_affiche, "Rôle": Role(u.role).libelle,
               "Périmètre": u.uai or (f"département {u.departement_code}" if u.departement_code else "académie"),
               "Actif": u.actif, "Dernière connexion": f"{u.derniere_connexion:%d/%m/%Y %H:%M}" if u.derniere_connexion else "—"}
              for u in comptes], hide_index=True, width="stretch")
