import streamlit as st

from infra.chiffrement import CleIncorrecte
from pages._commun.actions import ecrire
from pages._commun.tour import lecture, page, session
from workflow.atelier import intervenants

moi = page()
st.title("Intervenants")
with session() as s:
    liste = intervenants.intervenants(s, moi)
if not liste:
    st.info("Aucun intervenant n'est engagé sur un atelier de votre périmètre.")
    st.stop()
st.dataframe([{"Intervenant": i.nom, "Statut": i.statut, "Ateliers": ", ".join(i.ateliers), "Cumul d'activités": i.cumul,
               "Données de paie": "saisies" if i.donnees_paie_saisies else "à saisir"} for i in liste],
             hide_index=True, width="stretch")
if moi.role not in intervenants.PAYEURS:
    st.caption("Les données de paie (IBAN, numéro de sécurité sociale, adresse) ne sont lisibles que par le service payeur.")
    st.stop()

st.header("Données de paie")
st.caption("Chiffrées dans la base ; chaque lecture et chaque modification est inscrite au journal d'audit.")
qui = st.selectbox("Intervenant", liste, format_func=lambda i: i.nom, key="intervenants_choix")
if st.session_state.get("intervenants_ouvert") != qui.id:
    if st.button("Afficher et modifier ses données de paie", icon=":material/lock_open:", key="intervenants_ouvrir"):
        st.session_state["intervenants_ouvert"] = qui.id
        st.rerun()
    st.stop()
with lecture(CleIncorrecte) as s:  # a key that cannot decrypt the stored data: said, nothing shown
    actuelles = intervenants.donnees_de_paie(s, moi, qui.id)
with st.form(f"intervenants_paie_{qui.id}"):
    iban = st.text_input("IBAN", value=actuelles.iban or "", key=f"intervenants_iban_{qui.id}")
    nir = st.text_input("Numéro de sécurité sociale (NIR)", value=actuelles.nir or "", key=f"intervenants_nir_{qui.id}")
    adresse = st.text_area("Adresse postale", value=actuelles.adresse, key=f"intervenants_adresse_{qui.id}")
    if st.form_submit_button("Enregistrer", type="primary"):
        ecrire("Enregistrer les données de paie", journal_action="modification_donnees_paie", relancer=False,
               operation=lambda s: intervenants.enregistrer_donnees_de_paie(s, moi, qui.id,
                                                                            {"iban": iban, "nir": nir, "adresse": adresse}),
               succes="Données de paie enregistrées (chiffrées).")
