"""Parents and attestations. Longer than most pages: four tabs, the registered parents (lists, exits, a parent's
rights on their data), the registration form with its bilingual sheet, the diagnostic evaluations (initial and final,
the parent chosen by name), and the attestations one by one or all."""

import streamlit as st

from forms.atelier import CorrectionParentForm, EvaluationForm, InscriptionForm, MotifSortieForm
from forms.traductions import LangueFiche, traduction
from forms.vocabulaire import MomentEvaluation, Niveau
from infra.settings import aujourdhui, maintenant
from pages._commun.actions import ecrire, executer_etape, produire_attestations
from pages._commun.atelier import suivre_atelier
from pages._commun.documents import derniers_documents, produire_et_garder
from pages._commun.formulaires import champs_formulaire
from pages._commun.tour import cle_de_formulaire, formulaire_suivant, lecture, page, session
from workflow.atelier import attestations, corrections, vues
from workflow.automatismes import conservation
from workflow.etapes import peut
from workflow.noyau import evaluation
from workflow.noyau.format import date_courte, duree

moi = page()
st.title("Parents et attestations")
choix, vue = suivre_atelier(moi, "parents_dossier")
with lecture() as s:
    inscrits = vues.parents(s, moi, choix.id)

liste, inscrire, evaluer, attester = st.tabs(["Inscrits", "Inscrire un parent", "Évaluations", "Attestations"],
                                             key="parents_onglet", on_change="rerun")  # keyed: the tab stays open after a rerun
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


def _resume(e) -> str:
    if e is None:
        return "—"
    return f"{date_courte(e.date_evaluation)} : oral {Niveau(e.niveau_oral).libelle}, écrit {Niveau(e.niveau_ecrit).libelle}"


def _gain(n: int | None) -> str:
    return "" if n is None else ("=" if n == 0 else f"{n:+d} niveau{'x' if abs(n) > 1 else ''}".replace("-", "−"))


with evaluer:
    evaluables = [p for p in inscrits if p.nom != conservation.NOM_ANONYME]
    if not evaluables:
        st.caption("Inscrivez d'abord les parents : chacun est évalué à son entrée puis en fin d'année.")
    else:
        with lecture() as s:
            evaluations = vues.evaluations(s, moi, choix.id)
        st.caption("Avant le début des séances, l'évaluation initiale situe chaque parent à l'oral et à l'écrit et dit s'il "
                   "lit et écrit dans sa langue (alphabétisation ou FLE/FLS) ; en fin d'année, l'évaluation finale mesure "
                   "ses progrès, repris dans le bilan pédagogique.")
        st.dataframe([{"Groupe": p.groupe, "Nom": p.nom, "Prénom": p.prenom, "Initiale": _resume(e.initiale),
                       "Finale": _resume(e.finale), "Progrès à l'oral": _gain(e.progres("oral")),
                       "Progrès à l'écrit": _gain(e.progres("ecrit"))}
                      for p in evaluables for e in [evaluations.get(p.id, evaluation.AUCUNE)]],
                     hide_index=True, width="stretch")
        if peut(moi, "evaluer_parent", vue.etat):
            qui = st.selectbox("Parent", evaluables, key="parents_evaluation_choix",
                               format_func=lambda p: f"{p.prenom} {p.nom} ({p.groupe})")
            deja = evaluations.get(qui.id, evaluation.AUCUNE)
            moment = st.radio("Évaluation", list(MomentEvaluation), format_func=lambda m: m.libelle, horizontal=True,
                              index=1 if deja.initiale and not deja.finale else 0, key=f"parents_evaluation_moment_{qui.id}")
            enregistree = deja.initiale if moment == MomentEvaluation.INITIALE else deja.finale
            if enregistree:
                st.caption(f"Déjà enregistrée le {date_courte(enregistree.date_evaluation)} : l'enregistrer à nouveau la corrige.")
            base = f"parents_evaluation_{qui.id}_{moment.value}"
            formulaire = cle_de_formulaire(base)
            with st.form(formulaire):
                valeurs = ({"date_evaluation": enregistree.date_evaluation, "commentaire": enregistree.commentaire,
                            "lecture_ecriture_langue_origine": enregistree.lecture_ecriture_langue_origine}
                           if enregistree else {"date_evaluation": aujourdhui()})
                echelle = evaluation.ECHELLE  # a person's levels: « Hétérogène » qualifies a group
                niveaux = {champ: st.selectbox(titre, echelle, format_func=lambda v: Niveau(v).libelle,
                                               index=echelle.index(getattr(enregistree, champ)) if enregistree else None,
                                               key=f"{formulaire}_{champ}", placeholder="Choisir…")
                           for champ, titre in (("niveau_oral", "Niveau à l'oral"), ("niveau_ecrit", "Niveau à l'écrit"))}
                donnees = champs_formulaire(EvaluationForm, formulaire, valeurs,
                                            exclure=("auditeur_id", "moment", "niveau_oral", "niveau_ecrit",
                                                     *(("scolarisation_anterieure",) if moment == MomentEvaluation.FINALE
                                                       else ())))
                if st.form_submit_button(f"Enregistrer l'{moment.libelle.lower()}", type="primary"):
                    saisie = donnees | {k: v for k, v in niveaux.items() if v} | {"auditeur_id": qui.id, "moment": moment.value}
                    if executer_etape("evaluer_parent", saisie, dossier_id=vue.dossier_id, version=vue.version):
                        formulaire_suivant(base)
                        st.rerun()

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
