"""End-of-year bilans. Longer than most pages: the pedagogical bilan's eight sections in the national survey's
order (to copy into it), the financial bilan, each with its form, and the follow-up of every atelier's bilans."""

import streamlit as st

from forms.cloture import CHIFFRES_DECLARES
from forms.vocabulaire import RETENUS, Etat, TypeBilan
from infra.settings import aujourdhui
from pages._commun.actions import executer_etape
from pages._commun.campagne import campagnes, choisir_campagne
from pages._commun.documents import boutons_documents
from pages._commun.formulaires import champs_formulaire
from pages._commun.tour import lecture, page, session
from workflow import consultation
from workflow.cloture import bilans
from workflow.etapes import ETAPES_PAR_CLE, peut
from workflow.noyau.format import date_courte, date_fr, heures, montant

moi = page()
st.title("Bilans de fin d'année")
jour = aujourdhui()
# After the rollover, last year's bilans are still to be sent: every campaign stays reachable.
campagne = choisir_campagne(campagnes("Aucune campagne n'est ouverte."), "bilans_campagne")
with session() as s:
    suivi = bilans.suivi_bilans(s, moi, campagne, jour)

st.caption(f"Bilan pédagogique attendu au plus tard le {date_fr(campagne.date_limite_bilan_pedagogique)}, bilan financier "
           f"le {date_fr(campagne.date_limite_bilan_financier)}. Les deux conditionnent le financement de l'année suivante.")

if not (peut(moi, "transmettre_bilan_pedagogique") or peut(moi, "transmettre_bilan_financier")):
    recus = sum(1 for x in suivi if x.pedagogique and x.financier)
    a_l_heure = sum(1 for x in suivi if x.a_l_heure)
    cols = st.columns(3)
    cols[0].metric("Ateliers financés", len(suivi))
    cols[1].metric("Deux bilans transmis", recus)
    cols[2].metric("Transmis à l'heure", a_l_heure)
    st.dataframe([{"N°": x.numero, "Établissement": x.etablissement, "Dép.": x.departement, "État": Etat(x.etat).libelle,
                   "Bilan pédagogique": date_courte(x.pedagogique) if x.pedagogique else "—",
                   "Bilan financier": date_courte(x.financier) if x.financier else "—",
                   "Écarts signalés": x.ecarts,
                   "Délais": {True: "respectés", False: "dépassés", None: "en attente"}[x.a_l_heure]} for x in suivi],
                 hide_index=True, width="stretch")

if not suivi:
    st.info("Aucun atelier financé dans votre périmètre pour cette campagne.")
    st.stop()
if moi.role not in bilans.LECTEURS_FICHE_BILAN:
    st.caption("Le détail des bilans d'un atelier (effectifs par pays, par langue…) est réservé à l'établissement, au "
               "service payeur, à la DSDEN, à la DAEPS et au pilote.")
    st.stop()
choix = suivi[0] if len(suivi) == 1 else st.selectbox("Atelier", suivi, key="bilans_atelier",
                                                      format_func=lambda x: f"{x.numero} — {x.etablissement}")
with lecture() as s:
    vue = bilans.vue_bilans(s, moi, choix.dossier_id, jour)
    documents = [d for d in consultation.documents_du_dossier(s, moi, choix.dossier_id)
                 if d.type_document in ("bilan_pedagogique", "bilan_financier")]

d, c = vue.dossier, vue.chiffres
etat = Etat(d.etat)
st.header(f"{choix.etablissement} — {etat.libelle}")
if etat in (*RETENUS, Etat.EN_COURS):
    st.info("Les bilans se transmettent une fois les ateliers terminés.", icon=":material/info:")
    if peut(moi, "terminer_ateliers", etat):
        if st.button("Terminer les ateliers", key="bilans_terminer", type="primary"):
            if executer_etape("terminer_ateliers", {}, dossier_id=d.id, version=d.version):
                st.rerun()


def _tableau(lignes, colonne: str) -> None:
    st.dataframe([{colonne: e.libelle, "Parents": e.nombre} for e in lignes], hide_index=True, width="stretch")


def _cote_a_cote(*tableaux) -> None:
    for colonne, (lignes, titre) in zip(st.columns(len(tableaux)), tableaux):
        with colonne:
            _tableau(lignes, titre)


def _statut(type_bilan: TypeBilan) -> None:
    recu = vue.transmis.get(type_bilan.value)
    if recu and recu.transmis_le:
        st.success(f"Transmis le {date_fr(recu.transmis_le)}.", icon=":material/check_circle:")
        for ecart in recu.donnees.get("ecarts", []):
            st.warning(ecart, icon=":material/warning:")
    else:
        st.caption("Pas encore transmis.")


def _saisie(cle: str, type_bilan: TypeBilan, prefixe: str, defauts: dict, consigne: str = "") -> None:
    """The step's form for those who may run it now, pre-filled with the bilan last sent, else with `defauts`."""
    if not peut(moi, cle, etat):
        return
    etape = ETAPES_PAR_CLE[cle]
    precedent = vue.transmis.get(type_bilan.value)
    valeurs = ({k: v for k, v in precedent.donnees.items() if k in etape.form.model_fields} if precedent else defauts)
    with st.form(f"bilan_{type_bilan.value}_{d.id}"):
        if consigne:
            st.markdown(consigne)
        donnees = champs_formulaire(etape.form, prefixe, valeurs)
        if st.form_submit_button(etape.libelle, type="primary"):
            if executer_etape(cle, donnees, dossier_id=d.id, version=d.version):
                st.rerun()


onglets = st.tabs(["Bilan pédagogique", "Bilan financier", "Documents"])
with onglets[0]:
    _statut(TypeBilan.PEDAGOGIQUE)
    st.caption("Les rubriques suivent l'ordre de l'enquête nationale en ligne : recopiez-les dans l'ordre.")
    st.subheader("1. Groupes et heures")
    st.dataframe([{"Groupe": g.libelle, "Prévues": heures(g.heures_prevues),
                   "Financées": heures(g.heures_financees) if g.heures_financees is not None else "—",
                   "Réalisées": heures(g.heures_realisees), "Séances": g.nb_seances, "Annulées": g.nb_seances_annulees,
                   "Langue": heures(g.heures_langue), "École": heures(g.heures_ecole), "Valeurs": heures(g.heures_valeurs),
                   "Inscrits": g.inscrits} for g in c.groupes], hide_index=True, width="stretch")
    st.subheader("2. Parents : entrées et sorties")
    cols = st.columns(4)
    cols[0].metric("Inscrits à la 1re séance", c.inscrits_debut)
    cols[1].metric("Inscrits sur l'année", c.inscrits_total)
    cols[2].metric("Présents en fin d'année", c.presents_fin)
    cols[3].metric("Sorties", c.sorties)
    st.subheader("3. Profil des parents")
    cols = st.columns(4)
    cols[0].metric("Femmes / hommes", f"{c.femmes} / {c.hommes}")
    cols[1].metric("Primo-arrivants", c.primo_arrivants)
    cols[2].metric("Hors Union européenne", c.hors_ue)
    cols[3].metric("Réinscrits / nouveaux", f"{c.reinscrits} / {c.nouveaux}")
    _tableau(c.tranches_age, "Âge")
    st.subheader("4. Assiduité")
    cols = st.columns(2)
    cols[0].metric("Taux d'assiduité moyen", f"{heures(c.taux_assiduite_pct)} %")
    cols[1].metric(f"Parents assidus (≥ {c.seuil_assiduite_pct} %)", c.assidus)
    _tableau(c.repartition_heures, "Heures suivies")
    st.subheader("5. Pays d'origine et langues")
    _cote_a_cote((c.pays, "Pays d'origine"), (c.langues, "Langue parlée"))
    st.subheader("6. Niveaux en français")
    _cote_a_cote((c.niveaux_oral, "Oral"), (c.niveaux_ecrit, "Écrit"))
    st.caption(f"Évaluations diagnostiques : {c.evalues_initiale} parent(s) évalué(s) à l'entrée, "
               f"{c.evalues_deux_fois} évalué(s) aussi en fin d'année (page « Évaluations »).")
    if c.evalues_deux_fois:
        gauche, droite = st.columns(2)
        for colonne, lignes, titre in ((gauche, c.progression_oral, "Oral"), (droite, c.progression_ecrit, "Écrit")):
            colonne.dataframe([{f"{titre} : niveau initial": p.libelle, "Évalués deux fois": p.evalues,
                                "En progrès d'au moins un niveau": p.en_progres} for p in lignes],
                              hide_index=True, width="stretch")
    st.subheader("7. Intervenants")
    st.dataframe([{"Statut": i.statut, "Intervenants": i.nombre, "Heures": heures(i.heures)} for i in c.intervenants],
                 hide_index=True, width="stretch")
    st.caption(f"Part des heures assurées par des intervenants qualifiés FLE/FLS ou UPE2A : {heures(c.part_heures_qualifiees_pct)} %.")
    st.subheader("8. Orientation des parents")
    _tableau(c.orientations, "Orienté(e) par")

    _saisie("transmettre_bilan_pedagogique", TypeBilan.PEDAGOGIQUE, f"bilan_ped_{d.id}",
            {"date_envoi": jour, **{nom: getattr(c, nom) for nom in CHIFFRES_DECLARES}},
            "**9–10. Votre saisie** — les chiffres clés sont préremplis ; un chiffre corrigé qui contredit les "
            "émargements sera signalé.")

with onglets[1]:
    _statut(TypeBilan.FINANCIER)
    f = vue.financier
    cols = st.columns(4)
    cols[0].metric("Montant alloué", montant(f.montant_alloue))
    cols[1].metric("Vacations versées (brut)", montant(f.vacations_brut))
    cols[2].metric("Heures financées / réalisées", f"{heures(f.heures_financees)} / {heures(f.heures_realisees)}")
    cols[3].metric("Heures payées", heures(f.heures_payees))
    st.caption(f"{f.nb_etats_liquidatifs} état(s) liquidatif(s), dont {f.nb_etats_signes} signé(s) hors application ; "
               f"{f.nb_emargements_signes} feuille(s) d'émargement signée(s). "
               "Les vacations viennent des états liquidatifs ; les autres dépenses sont à saisir.")
    for point in f.ecarts:
        st.warning(point, icon=":material/warning:")
    _saisie("transmettre_bilan_financier", TypeBilan.FINANCIER, f"bilan_fin_{d.id}", {"date_envoi": jour})

with onglets[2]:
    boutons_documents(documents, f"bilans_{d.id}")
