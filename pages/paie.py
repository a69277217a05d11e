import streamlit as st

from infra.settings import aujourdhui
from pages._commun.atelier import choisir_atelier
from pages._commun.documents import derniers_documents, produire_et_garder
from pages._commun.signes import documents_signes
from pages._commun.tour import lecture, page
from workflow.atelier import vues
from workflow.etapes import peut
from workflow.noyau.format import date_courte, duree, montant
from workflow.noyau.taux import TauxManquant

moi = page()
st.title("Service fait et paie")
choix = choisir_atelier(moi, "paie_dossier")
mois = st.date_input("Mois (n'importe quel jour du mois)", value=aujourdhui(), format="DD/MM/YYYY", key="paie_mois")
with lecture(TauxManquant) as s:  # a séance dated before the first rate: said, nothing to show
    vue = vues.suivi(s, moi, choix.id)
    paie_du_mois = vues.mois_de_paie(s, moi, choix.id, mois)

st.header("Service fait du mois")
if not paie_du_mois.services:
    st.caption("Aucune séance d'intervenant ce mois-ci dans cet atelier.")
for service in paie_du_mois.services:
    with st.container(border=True):
        etat = "certifié" if service.certifie else "à certifier"
        st.markdown(f"**{service.intervenant}** — {duree(service.minutes)}, {montant(service.brut)} brut — {etat}")
        st.dataframe([{"Date": date_courte(ligne.date_seance), "Groupe": ligne.groupe, "Heures": duree(ligne.minutes),
                       "Taux": montant(ligne.taux), "Montant": montant(ligne.montant)} for ligne in service.lignes],
                     hide_index=True, width="stretch")
        if peut(moi, "certifier_service_fait", vue.etat) and not service.certifie:
            with st.form(f"paie_certifier_{service.intervenant}"):
                signataire = st.text_input("Service fait certifié par", value=moi.nom.split(",")[0],
                                           key=f"paie_signataire_{service.intervenant}")
                if st.form_submit_button("Certifier le service fait", type="primary"):
                    produire_et_garder("certifier_service_fait", {"intervenant": service.intervenant, "mois": mois,
                                                                  "certifie_par": signataire}, "paie_documents",
                                       dossier_id=vue.dossier_id, version=vue.version)

st.header("État liquidatif")
if paie_du_mois.non_certifiees:
    st.warning(f"{paie_du_mois.non_certifiees} séance(s) d'intervenant attendent la certification du service fait : "
               "elles ne peuvent pas être payées.")
if not paie_du_mois.a_liquider:
    st.caption("Rien à liquider ce mois-ci (pas de séance certifiée non payée).")
else:
    st.dataframe([{"Intervenant": ligne.intervenant, "Statut": ligne.statut, "Heures": duree(ligne.minutes),
                   "Taux": montant(ligne.taux), "Montant": montant(ligne.montant)} for ligne in paie_du_mois.a_liquider],
                 hide_index=True, width="stretch")
    if peut(moi, "liquider", vue.etat):
        with st.form("paie_liquider"):
            structure = st.text_input("Structure payeuse", value=moi.nom, key="paie_structure")
            imputation = st.text_input("Imputation budgétaire", key="paie_imputation")
            if st.form_submit_button("Établir l'état liquidatif", type="primary"):
                produire_et_garder("liquider", {"structure_payeuse": structure, "mois": mois, "imputation": imputation},
                                   "paie_documents", dossier_id=vue.dossier_id, version=vue.version)
    else:
        st.caption("L'état liquidatif est établi par le service payeur.")

derniers_documents("paie_documents", vue.dossier_id, "paie_documents")

st.header("États liquidatifs établis")
st.caption("Signé sur papier, hors application, un état liquidatif se joint ici scanné (PDF, PNG ou JPEG) par le service "
           "payeur, à côté de l'état produit ; un état produit à nouveau est à signer à nouveau.")
documents_signes(vue.dossier_id, ("etat_liquidatif",), f"paie_signes_{vue.dossier_id}")
