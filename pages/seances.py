"""Séances and attendance. Longer than most pages: on a phone, the atelier's hours, engaging an intervenant (and the
letters signed on paper), the séance form with one tick per parent registered that day, the signed sheets and the
monthly grid to print."""

from datetime import time

import streamlit as st

from forms.vocabulaire import Axe, StatutPresence
from infra.settings import aujourdhui
from pages._commun.actions import ecrire, executer_etape
from pages._commun.atelier import suivre_atelier
from pages._commun.documents import derniers_documents
from pages._commun.formulaires import champs_formulaire
from pages._commun.signes import documents_signes
from pages._commun.tour import cle_de_formulaire, formulaire_suivant, page, session
from workflow.atelier import corrections, emargement, vues
from workflow.etapes import ETAPES_PAR_CLE, peut
from workflow.noyau import requetes
from workflow.noyau.format import date_courte, duree, heures

moi = page()
st.title("Séances et émargement")
choix, vue = suivre_atelier(moi, "seance_dossier")
if not vue.groupes:
    st.info("Cet atelier n'a pas de groupe.")
    st.stop()

financees = f" sur {heures(vue.heures_financees)} h financées" if vue.heures_financees else ""
st.caption(f"{choix.etablissement} — {duree(vue.minutes_realisees)} réalisées{financees}")
if vue.heures_financees:
    st.progress(min(1.0, float(vue.minutes_realisees / (vue.heures_financees * 60))))
if vue.alerte == "100":
    st.error("Toutes les heures financées sont réalisées : les heures au-delà ne sont pas payables.")
elif vue.alerte == "90":
    st.warning("90 % des heures financées sont réalisées.")

groupe = st.selectbox("Groupe", vue.groupes, key="seance_groupe",
                      format_func=lambda g: f"{g.libelle} — {duree(g.minutes_realisees)} / {heures(g.heures_prevues)} h")
engager = ETAPES_PAR_CLE["engager_intervenant"]
if peut(moi, engager.cle, vue.etat):
    with st.expander("Engager un intervenant", icon=":material/person_add:", expanded=not vue.intervenants):
        st.caption("La lettre d'engagement est produite (et la demande d'autorisation de cumul pour un agent public). "
                   "Avec l'adresse de son compte, l'intervenant voit ensuite l'atelier, ses séances et ses documents.")
        cle_engagement = cle_de_formulaire(f"seance_engager_{vue.dossier_id}_{groupe.libelle}")
        with st.form(cle_engagement):
            with session() as s:
                choix_dossier = requetes.choix_du_dossier(s, moi, vue.dossier_id)
            donnees = champs_formulaire(engager.form, cle_engagement, {
                "groupe": groupe.libelle, "date_debut": max(groupe.date_debut or aujourdhui(), aujourdhui()),
                "date_fin": groupe.date_fin, "heures_prevues": groupe.heures_prevues}, choix=choix_dossier)
            if st.form_submit_button("Engager et produire la lettre d'engagement", type="primary"):
                if executer_etape(engager.cle, donnees, dossier_id=vue.dossier_id, version=vue.version):
                    formulaire_suivant(f"seance_engager_{vue.dossier_id}_{groupe.libelle}")
                    st.rerun()
if vue.intervenants:
    with st.expander("Lettres d'engagement et demandes de cumul signées", icon=":material/draw:"):
        st.caption("Signées sur papier, hors application : joignez le scan de chacune (PDF, PNG ou JPEG). Il est gardé à "
                   "côté du document produit ; si la lettre est produite à nouveau, le scan reste celui de l'ancienne "
                   "version, à signer à nouveau.")
        documents_signes(vue.dossier_id, ("lettre_engagement", "demande_cumul"), f"seance_signes_{vue.dossier_id}")
if not vue.intervenants:
    if peut(moi, engager.cle, vue.etat):
        st.info("Aucun intervenant n'est engagé sur cet atelier : engagez-en un ci-dessus avant d'enregistrer une séance.")
    else:
        st.warning("Aucun intervenant n'est engagé sur cet atelier : le directeur d'école ou le chef d'établissement "
                   "l'engage (page « Séances et émargement » ou « Dossiers »), avant toute séance.")
    st.stop()

cle = f"seance_{vue.dossier_id}_{groupe.libelle}"
saisie = cle_de_formulaire(cle)  # a new, blank form after each séance saved: a double click does not send it twice
# Outside the form: changing the date lists the parents registered that day at once.
jour = st.date_input("Date de la séance", value=aujourdhui(), format="DD/MM/YYYY", key=f"{saisie}_date")
with st.form(saisie):
    gauche, droite = st.columns(2)
    debut = gauche.time_input("Heure de début", value=time(14, 0), step=900, key=f"{saisie}_debut")
    fin = droite.time_input("Heure de fin", value=time(16, 0), step=900, key=f"{saisie}_fin")
    axes = st.multiselect("Axes travaillés", [a.value for a in Axe], default=[Axe.LANGUE.value], key=f"{saisie}_axes",
                          format_func=lambda v: Axe(v).libelle, placeholder="Choisir…")
    contenu = st.text_area("Contenu", key=f"{saisie}_contenu", height=80)
    moi_meme = [n for n in vue.intervenants if n.lower() == moi.nom.lower()]
    animateurs = st.multiselect("Intervenants", vue.intervenants, default=moi_meme or vue.intervenants[:1],
                                key=f"{saisie}_intervenants", placeholder="Choisir…")
    ce_jour = [p for p in groupe.inscrits if p.inscrit_le(jour)]
    st.markdown(f"**Présences** ({len(ce_jour)} inscrit(s))")
    presences = []
    for p in ce_jour:
        coche = st.checkbox(f"{p.prenom} {p.nom}", key=f"{saisie}_presence_{p.id}")
        presences.append({"nom": p.nom, "prenom": p.prenom, "statut": "present" if coche else "absent"})
    if len(ce_jour) < len(groupe.inscrits):
        st.caption(f"{len(groupe.inscrits) - len(ce_jour)} parent(s) du groupe ne sont pas inscrits à cette date "
                   "(inscription postérieure ou sortie antérieure) : ils ne sont pas listés.")
    elif not groupe.inscrits:
        st.caption("Aucun parent inscrit dans ce groupe pour l'instant.")
    if st.form_submit_button("Enregistrer la séance", type="primary", width="stretch"):
        donnees = {"groupe": groupe.libelle, "date_seance": jour, "heure_debut": debut, "heure_fin": fin, "axes": axes,
                   "contenu": contenu, "intervenants": animateurs, "presences": presences}
        if executer_etape("enregistrer_seance", donnees, dossier_id=vue.dossier_id, version=vue.version):
            formulaire_suivant(cle)
            st.rerun()

with session() as s:
    faites = vues.seances_du_groupe(s, moi, vue.dossier_id, groupe.libelle)
if faites:
    st.header("Feuilles d'émargement signées")
    st.caption("La feuille imprimée à chaque séance, signée par les parents et l'intervenant, se joint ici "
               "(PDF, PNG ou JPEG, 10 Mo au plus).")
    seance = st.selectbox("Séance", faites, key=f"{cle}_scan_seance",
                          format_func=lambda x: f"{date_courte(x.date_seance)} — {duree(x.minutes)} — "
                          + ("feuille jointe" if x.feuille_signee else "feuille à joindre"))
    fichier = st.file_uploader("Feuille signée", type=["pdf", "png", "jpg", "jpeg"], key=f"{cle}_scan_fichier")
    if fichier is not None and st.button("Joindre la feuille signée", key=f"{cle}_scan_joindre"):
        ecrire("Joindre la feuille signée", journal_action="joindre_feuille_signee",
               operation=lambda s: emargement.joindre_feuille_signee(s, moi, seance_id=seance.id, nom=fichier.name,
                                                                     contenu=fichier.getvalue()),
               succes=f"Feuille signée jointe à la séance du {date_courte(seance.date_seance)}.")

if faites and peut(moi, "corriger_seance", vue.etat):
    st.header("Corriger ou annuler une séance")
    st.caption("Une séance enregistrée par erreur se corrige (horaires, intervenants, présences, absences excusées) ou "
               "s'annule, avec son motif, tant qu'elle n'est pas payée : une fois l'état liquidatif établi, elle est "
               "verrouillée. La feuille d'émargement, la grille du mois et l'état de service fait déjà produits le sont à "
               "nouveau (nouvelle version).")
    choisie = st.selectbox("Séance à corriger", faites, key=f"{cle}_correction_seance",
                           format_func=lambda x: f"{date_courte(x.date_seance)} — {duree(x.minutes)}")
    with session() as s:
        actuelle = corrections.seance_a_corriger(s, moi, vue.dossier_id, choisie.id)
        changements = corrections.historique_seance(s, moi, vue.dossier_id, choisie.id)
    v = actuelle.valeurs
    st.markdown(f"**Séance du {date_courte(v['date_seance'])}** : {v['heure_debut']:%H:%M} – {v['heure_fin']:%H:%M} "
                f"({duree(actuelle.minutes)}), {len([p for p in v['presences'] if p['statut'] == 'present'])} présent(s)")
    if actuelle.verrou:
        st.warning(actuelle.verrou, icon=":material/lock:")
    else:
        base_correction = f"seance_correction_{choisie.id}"
        saisie_c = cle_de_formulaire(base_correction)  # new keys after a success: the form shows the new values
        with st.form(saisie_c):
            g, d = st.columns(2)
            debut_c = g.time_input("Heure de début", value=v["heure_debut"], step=300, key=f"{saisie_c}_debut")
            fin_c = d.time_input("Heure de fin", value=v["heure_fin"], step=300, key=f"{saisie_c}_fin")
            axes_c = st.multiselect("Axes travaillés", [a.value for a in Axe], default=v["axes"], key=f"{saisie_c}_axes",
                                    format_func=lambda x: Axe(x).libelle, placeholder="Choisir…")
            contenu_c = st.text_area("Contenu", value=v["contenu"], key=f"{saisie_c}_contenu", height=80)
            animateurs_c = st.multiselect("Intervenants", sorted(set(vue.intervenants) | set(v["intervenants"])),
                                          default=v["intervenants"], key=f"{saisie_c}_intervenants", placeholder="Choisir…")
            statuts = {(p["nom"], p["prenom"]): p["statut"] for p in v["presences"]}
            st.markdown("**Présences**")
            presences_c = []
            for p in [p for p in groupe.inscrits if p.inscrit_le(v["date_seance"])]:
                actuel = statuts.get((p.nom, p.prenom), StatutPresence.ABSENT.value)
                options = [s.value for s in StatutPresence]
                statut = st.radio(f"{p.prenom} {p.nom}", options, index=options.index(actuel), horizontal=True,
                                  format_func=lambda x: StatutPresence(x).libelle, key=f"{saisie_c}_presence_{p.id}")
                presences_c.append({"nom": p.nom, "prenom": p.prenom, "statut": statut})
            motif_c = st.text_input("Motif (obligatoire)", key=f"{saisie_c}_motif",
                                    placeholder="Heure de fin mal saisie, présence oubliée, séance non tenue…")
            corriger, annuler = st.columns(2)
            donnees_c = {"seance_id": choisie.id, "groupe": v["groupe"], "date_seance": v["date_seance"],
                         "heure_debut": debut_c, "heure_fin": fin_c, "axes": axes_c, "contenu": contenu_c,
                         "intervenants": animateurs_c, "presences": presences_c, "motif": motif_c}
            if corriger.form_submit_button("Enregistrer la correction", type="primary", width="stretch"):
                if executer_etape("corriger_seance", donnees_c, dossier_id=vue.dossier_id, version=vue.version):
                    formulaire_suivant(base_correction)
                    st.rerun()
            if annuler.form_submit_button("Annuler la séance", width="stretch"):
                if executer_etape("annuler_seance", v | {"seance_id": choisie.id, "motif": motif_c},
                                  dossier_id=vue.dossier_id, version=vue.version):
                    formulaire_suivant(base_correction)
                    st.rerun()
    if changements:
        st.markdown("**Historique des corrections**")
        for c in changements:
            avant, apres = c.details.get("avant", {}), c.details.get("apres", {})
            quoi = ("annulée" if c.etape == "annuler_seance" else
                    f"{avant.get('heure_debut')}–{avant.get('heure_fin')} ({duree(avant.get('minutes', 0))}) → "
                    f"{apres.get('heure_debut')}–{apres.get('heure_fin')} ({duree(apres.get('minutes', 0))})")
            presences_changees = sum(1 for k in set(avant.get("presences", {})) | set(apres.get("presences", {}))
                                     if avant.get("presences", {}).get(k, "absent") != apres.get("presences", {}).get(k, "absent"))
            if presences_changees:
                quoi += f", {presences_changees} présence(s) modifiée(s)"
            st.caption(f"{date_courte(c.at)} — {c.par} : {quoi}. Motif : {c.motif}")

with st.expander("Grille d'émargement du mois, à imprimer", icon=":material/calendar_month:"):
    st.caption("Une ligne par parent du groupe, une colonne par séance du mois (séances enregistrées, ou prévues par les "
               "créneaux du groupe, jours fériés exclus) : les parents signent sur papier, la feuille est ensuite jointe.")
    mois = st.date_input("Mois (n'importe quel jour du mois)", value=aujourdhui(), format="DD/MM/YYYY",
                         key=f"{cle}_grille_mois")
    if st.button("Produire la grille", key=f"{cle}_grille", icon=":material/print:"):
        resultat = executer_etape("imprimer_emargement_mensuel", {"groupe": groupe.libelle, "mois": mois},
                                  dossier_id=vue.dossier_id, version=vue.version)
        if resultat:
            st.session_state["seance_grille_documents"] = resultat.documents
    derniers_documents("seance_grille_documents", vue.dossier_id, "seance_grille", titre=None)
