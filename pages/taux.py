import streamlit as st

from forms.campagne import TauxForm
from infra.settings import aujourdhui
from pages._commun.actions import ecrire
from pages._commun.formulaires import champs_formulaire
from pages._commun.tour import page, session
from workflow.noyau import taux
from workflow.noyau.format import date_fr, montant
from workflow.noyau.permissions import ADMINISTRATEURS

moi = page()
st.title("Taux de vacation")
st.caption("Taux horaire = 50/10 000 du traitement annuel brut à l'indice majoré 100, arrondi au centime "
           "(décret n° 96-80 du 30 janvier 1996). Chaque séance est payée au taux en vigueur à sa date.")
with session() as s:
    lignes = taux.table_des_taux(s)
en_vigueur = next((t for t in lignes if t.date_effet <= aujourdhui()), None)
st.dataframe([{"Date d'effet": date_fr(t.date_effet), "Traitement annuel IM100": montant(t.im100_annuel),
               "Taux horaire": montant(t.taux), "": "en vigueur" if t is en_vigueur else ""} for t in lignes],
             hide_index=True, width="stretch")

if moi.role not in ADMINISTRATEURS:
    st.stop()
with st.form("taux_nouveau"):
    st.markdown("**Ajouter une revalorisation** (les lignes existantes ne sont jamais modifiées)")
    donnees = champs_formulaire(TauxForm, "taux_nouveau")
    if st.form_submit_button("Ajouter le taux", type="primary"):
        ecrire("Ajouter le taux", lambda s: taux.ajouter_taux(s, moi, donnees), journal_action="ajouter_taux",
               succes=lambda ligne: f"Taux de {montant(ligne.taux)} de l'heure à compter du {date_fr(ligne.date_effet)}.")
