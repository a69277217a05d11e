"""Dossiers of the actor's scope. Longer than most pages: its four tabs (documents, history, the steps open now with
their forms, e-mails) are the one place where every step of a dossier can be run."""

import streamlit as st

from forms.vocabulaire import AvisDasen, DecisionComite, Etat, StatutNotification
from pages._commun.actions import executer_etape
from pages._commun.documents import boutons_documents, produire_pdf_manquants
from pages._commun.formulaires import champs_formulaire
from pages._commun.tour import cle_de_formulaire, formulaire_suivant, lecture, page, session
from workflow import consultation, revue
from workflow.automatismes import notifications
from workflow.etapes import libelle_etape
from workflow.noyau import requetes
from workflow.noyau.format import heures, libelle_document, montant

moi = page()
st.title("Dossiers")
with session() as s:
    en_cours = [c.id for c in requetes.campagnes_en_cours(s, moi)]  # this year's running dossiers stay after next call opens
    lignes = requetes.dossiers_visibles(s, moi, campagne_ids=en_cours) if en_cours else []
if not lignes:
    st.info("Aucun dossier dans votre périmètre.")
    st.stop()

demande = st.query_params.get("id")
index = next((i for i, d in enumerate(lignes) if str(d.id) == demande), None)
if index is None:
    if demande:  # a link to another school's dossier, or to one that no longer exists: said, not silently replaced
        st.warning("Le dossier demandé n'existe pas ou n'est pas dans votre périmètre : voici le premier de vos dossiers.",
                   icon=":material/lock:")
    index = 0
choix = st.selectbox("Dossier", lignes, index=index, key="dossier_choix",
                     format_func=lambda d: f"{d.numero} — {d.etablissement} ({d.etat_libelle})")
st.query_params["id"] = str(choix.id)
with lecture() as s:
    vue = consultation.dossier_detail(s, moi, choix.id)
    revues = revue.revues_du_dossier(s, moi, choix.id)
    proposees = {e.cle: requetes.valeurs_proposees(s, moi, e.cle, choix.id) for e in vue.etapes}
    choix_dossier = requetes.choix_du_dossier(s, moi, choix.id)

d, etab = vue.dossier, vue.etablissement
st.header(f"{etab.nom} — {etab.commune}")
cols = st.columns(4)
cols[0].metric("État", Etat(d.etat).libelle)
cols[1].metric("Heures demandées", heures(d.heures_total))
cols[2].metric("Montant demandé", montant(d.montant_demande))
cols[3].metric("Parents prévus", d.nb_parents_prevus)
if vue.avis:
    st.markdown(f"**Avis du DASEN** : {AvisDasen(vue.avis.avis).libelle} — {vue.avis.motivation or 'sans motivation'}")
if vue.decision:
    st.markdown(f"**Décision du comité** : {DecisionComite(vue.decision.decision).libelle} — "
                f"{heures(vue.decision.heures_financees)} h, {montant(vue.decision.montant_p104 + vue.decision.montant_en)}")

onglets = st.tabs(["Documents", "Historique", "Étapes possibles", "Courriels"])
with onglets[0]:
    boutons_documents(vue.documents, f"dossier_{d.id}", revues)
    produire_pdf_manquants(vue.documents, f"dossier_{d.id}")
with onglets[1]:
    st.dataframe([{"Date": f"{t.at:%d/%m/%Y %H:%M}", "Étape": libelle_etape(t.etape),
                   "De": Etat(t.de).libelle if t.de else "", "Vers": Etat(t.vers).libelle if t.vers else "",
                   "Par": nom, "Motif": t.motif or ""} for t, nom in vue.historique], hide_index=True, width="stretch")
with onglets[2]:
    if not vue.etapes:
        st.caption("Aucune étape ne vous revient à cet état du dossier.")
    for etape in vue.etapes:
        with st.expander(f"{etape.numero}. {etape.libelle}"):
            if etape.gabarits:
                st.caption("Documents produits : " + ", ".join(libelle_document(g) for g in etape.gabarits))
            formulaire = cle_de_formulaire(f"etape_{etape.cle}_{d.id}")
            with st.form(formulaire):
                donnees = champs_formulaire(etape.form, formulaire, proposees[etape.cle], choix=choix_dossier)
                if st.form_submit_button("Valider l'étape", type="primary"):
                    if executer_etape(etape.cle, donnees, dossier_id=d.id, version=d.version):
                        formulaire_suivant(f"etape_{etape.cle}_{d.id}")
                        st.rerun()
with onglets[3]:
    if moi.role not in notifications.LECTEURS_BOITE:
        st.caption("Les courriels du dossier se consultent dans la boîte d'envoi de l'établissement et de l'académie.")
    else:
        with session() as s:
            courriels = notifications.boite_d_envoi(s, moi, dossier_id=d.id)
        if not courriels:
            st.caption("Aucun courriel pour ce dossier.")
        st.dataframe([{"Créé le": f"{n.cree_at:%d/%m/%Y %H:%M}", "Destinataire": n.destinataire, "Objet": n.sujet,
                       "Statut": StatutNotification(n.statut).libelle, "Erreur": n.derniere_erreur}
                      for n in courriels], hide_index=True, width="stretch")
