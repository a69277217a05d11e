"""The guided application. Longer than most pages: seven sections saved one by one over a draft whose version this
session keeps (a double click or a save made meanwhile is never lost), last year's taking over, and filing."""

import json

import streamlit as st

from forms.candidature import SECTIONS, CandidatureForm
from forms.vocabulaire import Etat
from pages._commun.actions import action, executer_etape
from pages._commun.documents import boutons_documents
from pages._commun.formulaires import champs_formulaire
from pages._commun.tour import cle_de_formulaire, flash, formulaire_suivant, page, session
from workflow import consultation, revue
from workflow.noyau import requetes
from workflow.noyau.format import heures, montant
from workflow.noyau.moteur import ConflitEdition, EtapeRefusee
from workflow.noyau.permissions import AccesRefuse
from workflow.selection import candidature, regles

moi = page()
st.title("Dossier de candidature")
with session() as s:
    campagne = requetes.campagne_courante(s, moi)
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
            with action("Créer le dossier de candidature", etape="creer_dossier") as issue, session() as s:
                candidature.creer_dossier(s, moi, campagne_id=campagne.id, uai=etab.uai)
            if not issue.echec:
                st.rerun()
        except AccesRefuse as exc:
            st.error(str(exc))
    st.stop()

with session() as s:
    vue = consultation.dossier_detail(s, moi, lignes[0].id)
    revues = revue.revues_du_dossier(s, moi, lignes[0].id)
dossier = vue.dossier
st.markdown(f"**Dossier n° {vue.numero}** — état : **{Etat(dossier.etat).libelle}**")
renvoi = next((t for t, _ in reversed(vue.historique) if t.etape == "renvoyer_pour_correction"), None)
if renvoi and dossier.etat == Etat.BROUILLON:
    st.warning(f"Dossier renvoyé pour correction : {renvoi.motif}")

if dossier.etat != Etat.BROUILLON:
    st.session_state.pop("candidature~lu", None)  # a draft sent back for correction is read anew
    st.info("Le dossier est déposé : il n'est plus modifiable (un renvoi pour correction le rouvrirait).")
    boutons_documents(vue.documents, "candidature_docs", revues)
    st.stop()

with session() as s:
    bilans_n_1 = candidature.bilans_de_l_an_dernier(s, moi, dossier.id)
if bilans_n_1 is not None and regles.bilans_complets(bilans_n_1):
    st.success("Vos deux bilans de l'an dernier (pédagogique et financier) sont transmis : le renouvellement est possible.",
               icon=":material/task_alt:")
elif bilans_n_1 is not None:
    st.warning("Les bilans de l'an dernier ne sont pas tous transmis : sans eux, le comité ne pourra retenir ce dossier "
               "qu'avec une dérogation motivée. Transmettez-les depuis la page « Bilans de fin d'année ».",
               icon=":material/warning:")


# The draft as this session read it, with its version (a save made meanwhile by someone else is a conflict) and the
# section open: one dict changed in place, like the page's messages and form keys (pages/_commun/tour.py): once a save is
# committed, the second click of a double click may stop the run at its next access to st.session_state, and the
# version saved must already be recorded (it was not: the second click's save was refused as a conflict).
lu: dict = st.session_state.setdefault("candidature~lu", {})
if lu.get("dossier") != dossier.id:
    lu.update(dossier=dossier.id, version=dossier.version, brouillon=dict(dossier.formulaire), section=0)
brouillon_courant: dict = lu["brouillon"]


def _relire_le_brouillon() -> None:
    """The next run reads the draft again from the database and draws the section under new widget keys: the browser
    keeps the values of a widget it already shows (its key unchanged) over the new defaults, so the section on screen
    would show what was there before (blank fields after a take-over) and save that over the draft."""
    lu.clear()
    formulaire_suivant("candidature")
    formulaire_suivant("candidature~sections")


if st.button("Reprendre le dossier de l'an dernier (renouvellement)", key="candidature_reprendre", icon=":material/history:"):
    lue = lu["version"]
    try:
        with action("Reprendre le dossier de l'an dernier", enregistree=lambda s: requetes.version_du_dossier(s, dossier.id) > lue
                    ) as issue, session() as s:
            lu["version"], avertissements = candidature.reprendre_dossier_precedent(s, moi, dossier_id=dossier.id, version=lue)
        if issue.echec:
            st.stop()
        for a in avertissements:
            flash("warning", a.message)
        flash("success", "Le dossier de l'an dernier a été repris : vérifiez chaque section avant de déposer.")
        _relire_le_brouillon()
        st.rerun()
    except (ConflitEdition, EtapeRefusee, AccesRefuse) as exc:
        st.error(str(exc))

titres = [titre for titre, _ in SECTIONS]
remplies = sum(any(brouillon_courant.get(c) not in (None, "", []) for c in champs) for _, champs in SECTIONS)
st.progress(remplies / len(SECTIONS), text=f"{remplies} section(s) sur {len(SECTIONS)} commencée(s)")
# The radio is rebuilt at the section last chosen under a new key each time the buttons below choose it: a key never
# comes back, so the click the browser still holds for an earlier radio cannot bring an older choice back (without a
# key, « Précédent » after a click on the radio rebuilt the radio it had left, whose clicked section came back with it:
# the page stayed on the section).
numero = st.radio("Sections", range(len(SECTIONS)), index=lu["section"],
                  key=cle_de_formulaire("candidature~sections"), horizontal=True,
                  format_func=lambda i: f"{i + 1}. {titres[i]}", label_visibility="collapsed")
lu["section"] = numero
st.caption("Chaque section s'enregistre par ses boutons ci-dessous : enregistrez-la avant d'en ouvrir une autre.")
titre, champs = SECTIONS[numero]
st.header(f"{numero + 1}. {titre}")

if titre == "Budget":
    with session() as s:
        v = candidature.vacations_du_brouillon(s, brouillon_courant)
    st.info(f"Vacations calculées : {heures(v.heures)} h × {montant(v.taux)} = {montant(v.montant)} "
            "(taux de 50/10 000 du traitement annuel brut à l'indice majoré 100). Ajoutez ci-dessous les autres frais.")

derniere = numero == len(SECTIONS) - 1
with st.form(f"candidature_section_{numero}"):
    donnees = champs_formulaire(CandidatureForm, cle_de_formulaire("candidature"), brouillon_courant, inclure=champs)
    cols = st.columns(3)
    precedent = cols[0].form_submit_button("Précédent", disabled=numero == 0, icon=":material/arrow_back:")
    suivant = cols[1].form_submit_button("Enregistrer et continuer" if not derniere else "Enregistrer le brouillon",
                                         icon=":material/save:")
    deposer = cols[2].form_submit_button("Déposer le dossier", type="primary", icon=":material/send:", disabled=not derniere)

if precedent or suivant or deposer:
    section_json = json.loads(json.dumps(donnees, default=str))
    for champ in champs:  # a field emptied in this section is removed from the draft
        brouillon_courant.pop(champ, None)
    brouillon_courant.update(section_json)
    lue = lu["version"]
    try:
        with action("Enregistrer le brouillon", enregistree=lambda s: requetes.version_du_dossier(s, dossier.id) > lue
                    ) as issue, session() as s:
            lu["version"] = candidature.enregistrer_brouillon(s, moi, dossier_id=dossier.id, donnees=brouillon_courant,
                                                           version=lue)
    except (ConflitEdition, EtapeRefusee, AccesRefuse) as exc:
        st.error(str(exc))
        st.stop()
    if issue.echec:
        st.stop()
    if deposer:
        if executer_etape("deposer", brouillon_courant, dossier_id=dossier.id, version=lu["version"]):
            lu.clear()
            st.rerun()
    else:
        flash("success", "Brouillon enregistré.")
        lu["section"] = max(0, numero - 1) if precedent else min(len(SECTIONS) - 1, numero + 1)
        formulaire_suivant("candidature~sections")
        st.rerun()

if st.button("Recharger la dernière version enregistrée", key="candidature_recharger"):
    _relire_le_brouillon()
    st.rerun()
