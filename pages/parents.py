"""Parents and attestations. Longer than most pages: three tabs, the registered parents (lists, exits, a parent's
rights on their data), the registration form with its bilingual sheet, and the attestations one by one or all."""

import streamlit as st

from forms.atelier import CorrectionParentForm, InscriptionForm, MotifSortieForm
from forms.traductions import LangueFiche, traduction
from infra.settings import aujourdhui, maintenant
from pages._commun.actions import ecrire, executer_etape, produire_attestations
from pages._commun.atelier import suivre_atelier
from pages._commun.documents import derniers_documents, produire_et_garder
from pages._commun.formulaires import champs_formulaire
from pages._commun.tour import cle_de_formulaire, formulaire_suivant, lecture, page, session
from workflow.atelier import attestations, corrections, vues
from workflow.automatismes import conservation
from workflow.etapes import peut
from workflow.noyau.format import date_courte, duree

moi = page()
st.title("Parents et attestations")
choix, vue = suivre_atelier(moi, "parents_dossier")
with lecture() as s:
    inscrits = vues.parents(s, moi, choix.id)

liste, inscrire, attester = st.tabs(["Inscrits", "Inscrire un parent", "Attestations"], key="parents_onglet",
                                    on_change="rerun")  # keyed: the tab stays open after a rerun
with liste:
    st.caption(f"{len(inscrits)} parent(s) inscrit(s)")
    if inscrits:
        st.dataframe([{"Groupe": p.groupe, "Nom": p.nom, "Prénom": p.prenom, "Inscrit le": date_courte(p.date_inscription),
                       "Sorti le": date_courte(p.date_sortie) if p.date_sortie else "",
                       "Heures suivies": f"{duree(p.suivi.minutes_presentes)} / {duree(p.suivi.minutes_proposees)}",
                       "Assiduité": f"{p.suivi.pourcentage()} %"} for p in inscrits], hide_index=True, width="stretch")
    else:
        st.caption("Aucun parent inscrit pour l'instant.")
    if inscrits and peut(moi, "lister_auditeurs", vue.etat):
        gauche, droite = st.columns(2)
        for colonne, anonymisee, titre in ((gauche, False, "Liste nominative"), (droite, True, "Liste anonymisée")):
            if colonne.button(titre, key=f"parents_liste_{anonymisee}", icon=":material/list_alt:"):
                produire_et_garder("lister_auditeurs", {"anonymisee": anonymisee}, "parents_derniers_documents",
                                   dossier_id=vue.dossier_id, version=vue.version)
    actifs = [p for p in inscrits if p.date_sortie is None]
    if actifs:
        with st.expander("Enregistrer la sortie d'un parent"):
            with st.form(f"parents_sortie_{vue.dossier_id}"):
                qui = st.selectbox("Parent", actifs, format_func=lambda p: f"{p.prenom} {p.nom} ({p.groupe})",
                                   key="parents_sortie_choix")
                sortie = champs_formulaire(MotifSortieForm, f"parents_sortie_{vue.dossier_id}", {"date_sortie": aujourdhui()},
                                           exclure=("auditeur_id",))
                if st.form_submit_button("Enregistrer la sortie"):
                    if executer_etape("sortir_parent", sortie | {"auditeur_id": qui.id}, dossier_id=vue.dossier_id,
                                      version=vue.version):
                        st.rerun()

    corrigeables = [p for p in inscrits if p.nom != conservation.NOM_ANONYME]
    if corrigeables and peut(moi, "corriger_parent", vue.etat):
        with st.expander("Corriger la fiche d'un parent", icon=":material/edit:"):
            st.caption("Une faute dans un nom, la langue de la fiche, le groupe… : la fiche d'inscription est produite à "
                       "nouveau (nouvelle version) et la correction, avec son motif, est gardée dans l'historique.")
            corrige = st.selectbox("Parent", corrigeables, format_func=lambda p: f"{p.prenom} {p.nom} ({p.groupe})",
                                   key="parents_correction_choix")
            base_fiche = f"parents_correction_{vue.dossier_id}_{corrige.id}"
            cle_fiche = cle_de_formulaire(base_fiche)  # new keys after a success: the form shows the corrected record
            with session() as s:
                actuelles = corrections.parent_a_corriger(s, moi, vue.dossier_id, corrige.id)
            with st.form(cle_fiche):
                fiche = champs_formulaire(CorrectionParentForm, cle_fiche, actuelles, exclure=("auditeur_id",),
                                          choix={"groupes": [g.libelle for g in vue.groupes]})
                if st.form_submit_button("Corriger la fiche et la produire à nouveau", type="primary"):
                    if executer_etape("corriger_parent", fiche | {"auditeur_id": corrige.id}, dossier_id=vue.dossier_id,
                                      version=vue.version):
                        formulaire_suivant(base_fiche)
                        st.rerun()

    if inscrits and moi.role in conservation.GARANTS_DES_DROITS:
        with st.expander("Droits d'un parent sur ses données (accès, effacement)"):
            st.caption("À la demande d'un parent : l'export réunit tout ce que le service conserve sur lui ; l'effacement "
                       "anonymise sa fiche, supprime ses enfants et les documents produits pour lui seul. Les chiffres "
                       "des bilans ne changent pas. Chaque demande est inscrite au journal.")
            qui = st.selectbox("Parent", [p for p in inscrits if p.nom != conservation.NOM_ANONYME],
                               format_func=lambda p: f"{p.prenom} {p.nom} ({p.groupe})", key="parents_rgpd_choix")
            if qui is not None:
                def export(auditeur_id=qui.id, acteur_=moi) -> bytes:
                    with session() as s:
                        return conservation.exporter_parent(s, acteur_, auditeur_id)

                st.download_button("Exporter ses données (JSON)", data=export, file_name=f"donnees-parent-{qui.id}.json",
                                   mime="application/json", key="parents_rgpd_export", icon=":material/download:",
                                   on_click="ignore")
                with st.form("parents_rgpd_effacer"):
                    motif = st.text_input("Demande (date, forme)", key="parents_rgpd_motif")
                    confirme = st.checkbox(f"J'efface les données de {qui.prenom} {qui.nom} : c'est définitif.",
                                           key="parents_rgpd_confirme")
                    if st.form_submit_button("Effacer ses données"):
                        if not confirme:
                            st.error("Cochez la case de confirmation : l'effacement est définitif.")
                        else:
                            ecrire("Effacer les données du parent", journal_action="rgpd_effacement",
                                   operation=lambda s: conservation.effacer_parent(s, moi, qui.id, motif, maintenant()),
                                   succes=lambda fichiers: f"Données effacées ({fichiers} document(s) supprimé(s)).")

with inscrire:
    formulaire = cle_de_formulaire(f"parents_inscription_{vue.dossier_id}")
    with st.form(formulaire):
        donnees = champs_formulaire(InscriptionForm, formulaire,
                                    {"groupe": vue.groupes[0].libelle if vue.groupes else "", "date_inscription": aujourdhui()},
                                    choix={"groupes": [g.libelle for g in vue.groupes]})
        if st.form_submit_button("Inscrire le parent et produire sa fiche", type="primary"):
            if executer_etape("inscrire_parent", donnees, dossier_id=vue.dossier_id, version=vue.version):
                formulaire_suivant(f"parents_inscription_{vue.dossier_id}")
                st.rerun()
    a_relire = [traduction(langue)["langue"].lower() for langue in LangueFiche if not traduction(langue)["relu"]]
    st.caption("La fiche est imprimée en français et, si vous le choisissez, dans une langue que le parent lit (arabe et "
               "dari/persan de droite à gauche)." + (f" Traductions pas encore relues par un locuteur natif : {', '.join(a_relire)}"
                                                    " ; faites-les vérifier avant de remettre la fiche." if a_relire else ""))

with attester:
    presents = [p for p in inscrits if p.suivi.minutes_presentes]
    if not peut(moi, "attester"):
        st.caption("Les attestations sont délivrées par le directeur d'école ou le chef d'établissement.")
    elif not presents:
        st.caption("Aucun parent n'a encore suivi de séance.")
    else:
        with session() as s:
            nom_signataire, fonction_signataire = attestations.signataire(s, moi, vue.dossier_id)
        signataire = st.text_input("Signataire", value=nom_signataire, key="parents_attestation_signataire")
        fonction = st.text_input("Fonction du signataire", value=fonction_signataire, key="parents_attestation_fonction",
                                 placeholder="Directrice, principal…")
        un, tous = st.columns(2)
        with un.container(border=True):
            st.markdown("**Un parent**")
            parent = st.selectbox("Parent", presents, key="parents_attestation_choix",
                                  format_func=lambda p: f"{p.prenom} {p.nom} — {duree(p.suivi.minutes_presentes)} suivies")
            if st.button("Produire son attestation", type="primary", key="parents_attestation_une"):
                produire_et_garder("attester", {"auditeur_id": parent.id, "signataire": signataire,
                                                "fonction_signataire": fonction}, "parents_derniers_documents",
                                   dossier_id=vue.dossier_id, version=vue.version)
        with tous.container(border=True):
            st.markdown("**Tous les parents de l'atelier**")
            st.caption(f"{len(presents)} attestation(s), une par parent ayant suivi au moins une séance : un PDF à imprimer "
                       "et une archive ZIP d'un fichier par parent.")
            if st.button(f"Produire les attestations ({len(presents)})", key="parents_attestation_toutes",
                         icon=":material/library_books:"):
                produire_attestations("parents_derniers_documents", campagne_id=choix.campagne_id,
                                      dossier_id=vue.dossier_id, signataire=signataire, fonction=fonction)

derniers_documents("parents_derniers_documents", vue.dossier_id, "parents_documents")
