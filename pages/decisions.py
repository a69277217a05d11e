import streamlit as st

from forms.selection import DecisionForm
from forms.vocabulaire import Etat, Role
from pages._commun import champs_formulaire, executer_etape, montant, page, session
from workflow import requetes

moi = page()
st.title("Comité de pilotage")
with session() as s:
    campagne = requetes.campagne_courante(s)
    lignes = requetes.dossiers_visibles(s, moi, campagne.id) if campagne else []
    engage_p104, engage_en = requetes.montants_engages(s, campagne.id) if campagne else (0, 0)
if campagne is None:
    st.stop()
retenus = [d for d in lignes if d.etat in (Etat.RETENU, Etat.RETENU_SOUS_CONDITIONS, Etat.EN_COURS)]
ordre_du_jour = [d for d in lignes if d.etat in (Etat.AVIS_DONNE, Etat.LISTE_ATTENTE)]
cols = st.columns(3)
cols[0].metric("Reste sur l'enveloppe P104", montant(campagne.budget_p104 - engage_p104), f"sur {montant(campagne.budget_p104)}",
               delta_color="off")
cols[1].metric("Reste sur l'enveloppe EN", montant(campagne.budget_en - engage_en), f"sur {montant(campagne.budget_en)}",
               delta_color="off")
cols[2].metric("Dossiers retenus", len(retenus))

st.subheader(f"Ordre du jour — comité du {campagne.date_copil:%d/%m/%Y}")
if not ordre_du_jour:
    st.info("Aucun dossier n'attend de décision.")
    st.stop()
st.dataframe([{"N°": d.numero, "Établissement": d.etablissement, "Dép.": d.departement, "Avis DASEN": d.avis or "",
               "Heures demandées": float(d.heures_total), "Montant demandé (€)": float(d.montant_demande)} for d in ordre_du_jour],
             hide_index=True, width="stretch")
if moi.role == Role.COMITE:
    st.caption("Consultation : les décisions sont saisies par le pilote académique.")
    st.stop()

choix = st.selectbox("Dossier", ordre_du_jour, format_func=lambda d: f"{d.numero} — {d.etablissement}", key="decision_dossier")
with session() as s:
    vue = requetes.dossier_detail(s, moi, choix.id)
if vue.avis:
    st.markdown(f"**Avis du DASEN** : {vue.avis.avis} — {vue.avis.motivation or 'sans motivation'}"
                f" (rang {vue.avis.priorite_departementale or '—'})")
with st.form(f"decision_{choix.id}"):
    donnees = champs_formulaire(DecisionForm, f"decision_{choix.id}", {"heures_financees": vue.dossier.heures_total})
    if st.form_submit_button("Enregistrer la décision", type="primary"):
        if executer_etape("decider", donnees, dossier_id=choix.id, version=vue.dossier.version):
            st.rerun()
