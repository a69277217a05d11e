import streamlit as st

from forms.base import ErreursSaisie
from forms.campagne import TauxForm
from infra.settings import aujourdhui
from pages._commun.actions import action
from pages._commun.formulaires import champs_formulaire
from pages._commun.tour import flash, page, session
from workflow.noyau import taux
from workflow.noyau.format import date_fr, montant
from workflow.noyau.permissions import ADMINISTRATEURS, AccesRefuse

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
        try:
            with action("Ajouter le taux", journal_action="ajouter_taux") as issue, session() as s:
                ligne = taux.ajouter_taux(s, moi, donnees)
                flash("success", f"Taux de {montant(ligne.taux)} de l'heure à compter du {date_fr(ligne.date_effet)}.")
            if not issue.echec:
                st.rerun()
        except ErreursSaisie as exc:
            st.error("Le formulaire contient des erreurs ; rien n'a été perdu :\n\n" + "\n".join(f"- {m}" for m in exc.messages))
        except AccesRefuse as exc:
            st.error(str(exc), icon=":material/lock:")
