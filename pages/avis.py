import streamlit as st

from forms.selection import AvisForm, MotifForm
from forms.vocabulaire import Etat
from pages._commun.actions import executer_etape
from pages._commun.formulaires import champs_formulaire
from pages._commun.tour import page, session
from workflow import consultation
from workflow.noyau import requetes
from workflow.noyau.format import heures, montant

moi = page()
st.title("Avis du DASEN")
with session() as s:
    campagne = requetes.campagne_courante(s, moi)
    lignes = requetes.dossiers_visibles(s, moi, campagne.id) if campagne else []
a_traiter = [d for d in lignes if d.etat == Etat.DEPOSE]
st.caption(f"Département {moi.departement} — date limite des avis : {campagne.date_limite_avis_dasen:%d/%m/%Y}" if campagne else "")
if not a_traiter:
    st.info("Aucun dossier déposé n'attend votre avis.")
    st.stop()

st.dataframe([{"N°": d.numero, "Établissement": d.etablissement, "Commune": d.commune, "Heures": heures(d.heures_total),
               "Montant demandé": montant(d.montant_demande)} for d in a_traiter], hide_index=True, width="stretch")
choix = st.selectbox("Dossier", a_traiter, format_func=lambda d: f"{d.numero} — {d.etablissement}", key="avis_dossier")
with session() as s:
    vue = consultation.dossier_detail(s, moi, choix.id)
f = vue.dossier.formulaire
cols = st.columns(4)
cols[0].metric("Groupes", len(f.get("groupes", [])))
cols[1].metric("Parents prévus", f.get("nb_parents_prevus", 0))
cols[2].metric("Dont primo-arrivants", f.get("nb_primo_arrivants_prevus", 0))
cols[3].metric("Heures demandées", f"{vue.dossier.heures_total:.0f}")
with st.expander("Programme sur les trois axes"):
    for cle, titre in (("programme_axe_langue", "Langue"), ("programme_axe_ecole", "École"), ("programme_axe_valeurs", "Valeurs")):
        st.markdown(f"**{titre}** — {f.get(cle, '')}")

with st.form(f"avis_{choix.id}"):
    donnees = champs_formulaire(AvisForm, f"avis_{choix.id}", {"signataire": moi.nom})
    if st.form_submit_button("Enregistrer l'avis", type="primary"):
        if executer_etape("emettre_avis", donnees, dossier_id=choix.id, version=vue.dossier.version):
            st.rerun()

with st.expander("Renvoyer le dossier au porteur pour correction"):
    with st.form(f"renvoi_{choix.id}"):
        motif = champs_formulaire(MotifForm, f"renvoi_{choix.id}")
        if st.form_submit_button("Renvoyer pour correction"):
            if executer_etape("renvoyer_pour_correction", motif, dossier_id=choix.id, version=vue.dossier.version):
                st.rerun()
