import json

import streamlit as st

from forms.candidature import CandidatureForm
from forms.vocabulaire import ETAT_LIBELLES, Etat
from pages._commun import boutons_documents, champs_formulaire, executer_etape, flash, page, session
from workflow import requetes, revue, services
from workflow.permissions import AccesRefuse
from workflow.services import ConflitEdition, EtapeRefusee

moi = page()
st.title("Dossier de candidature")
with session() as s:
    campagne = requetes.campagne_courante(s)
    lignes = requetes.dossiers_visibles(s, moi, campagne.id) if campagne else []
    etab = requetes.etablissement(s, moi.uai) if moi.uai else None
if campagne is None or etab is None:
    st.info("Aucune campagne ouverte ou aucun établissement rattaché à votre compte.")
    st.stop()
st.caption(f"{etab.nom} — UAI {etab.uai} — campagne {campagne.annee_scolaire}")

if not lignes:
    st.write("Votre établissement n'a pas encore de dossier pour cette campagne.")
    if st.button("Créer le dossier de candidature", type="primary", key="candidature_creer"):
        try:
            with session() as s:
                services.creer_dossier(s, moi, campagne_id=campagne.id, uai=etab.uai)
        except AccesRefuse as exc:
            st.error(str(exc))
        st.rerun()
    st.stop()

with session() as s:
    vue = requetes.dossier_detail(s, moi, lignes[0].id)
    revues = revue.revues_du_dossier(s, moi, lignes[0].id)
dossier = vue.dossier
st.markdown(f"**Dossier n° {vue.numero}** — état : **{ETAT_LIBELLES[Etat(dossier.etat)]}**")
renvoi = next((t for t, _ in reversed(vue.historique) if t.etape == "renvoyer_pour_correction"), None)
if renvoi and dossier.etat == Etat.BROUILLON:
    st.warning(f"Dossier renvoyé pour correction : {renvoi.motif}")

if dossier.etat != Etat.BROUILLON:
    st.info("Le dossier est déposé : il n'est plus modifiable (un renvoi pour correction le rouvrirait).")
    boutons_documents(vue.documents, "candidature_docs", revues)
    st.stop()

if st.button("Reprendre le dossier de l'an dernier (renouvellement)", key="candidature_reprendre", icon=":material/history:"):
    try:
        with session() as s:
            nouvelle, avertissements = services.reprendre_dossier_precedent(
                s, moi, dossier_id=dossier.id, version=st.session_state.get("candidature_version", dossier.version))
        for a in avertissements:
            flash("warning", a.message)
        flash("success", "Le dossier de l'an dernier a été repris : vérifiez chaque section avant de déposer.")
        for cle in [k for k in st.session_state if str(k).startswith("candidature_")]:
            del st.session_state[cle]
        st.rerun()
    except (ConflitEdition, EtapeRefusee, AccesRefuse) as exc:
        st.error(str(exc))

# The version read when the form was first shown: a save made meanwhile by someone else is a conflict.
if st.session_state.get("candidature_dossier") != dossier.id:
    st.session_state["candidature_dossier"] = dossier.id
    st.session_state["candidature_version"] = dossier.version

with st.form("candidature"):
    donnees = champs_formulaire(CandidatureForm, "candidature", dossier.formulaire)
    col1, col2 = st.columns(2)
    brouillon = col1.form_submit_button("Enregistrer le brouillon", icon=":material/save:")
    deposer = col2.form_submit_button("Déposer le dossier", type="primary", icon=":material/send:")

donnees_json = json.loads(json.dumps(donnees, default=str))
if brouillon:
    try:
        with session() as s:
            nouvelle = services.enregistrer_brouillon(s, moi, dossier_id=dossier.id, donnees=donnees_json,
                                                      version=st.session_state["candidature_version"])
        st.session_state["candidature_version"] = nouvelle
        st.success("Brouillon enregistré.")
    except (ConflitEdition, EtapeRefusee, AccesRefuse) as exc:
        st.error(str(exc))
if deposer:
    resultat = executer_etape("deposer", donnees_json, dossier_id=dossier.id, version=st.session_state["candidature_version"])
    if resultat:
        st.session_state.pop("candidature_dossier", None)
        st.rerun()
if st.button("Recharger la dernière version enregistrée", key="candidature_recharger"):
    st.session_state.pop("candidature_dossier", None)
    for cle in [k for k in st.session_state if str(k).startswith("candidature_")]:
        del st.session_state[cle]
    st.rerun()
