import streamlit as st

from forms.vocabulaire import AvisDasen, DecisionComite, Etat
from infra.settings import aujourdhui
from pages._commun.campagne import campagne_courante
from pages._commun.documents import boutons_documents
from pages._commun.tour import page, session
from workflow import consultation, echeances
from workflow.etapes import acteurs_de
from workflow.noyau import requetes
from workflow.noyau.format import heures, montant
from workflow.noyau.permissions import LECTEURS_DOSSIERS, PERSONNELS

PAR_PAGE = 100
moi = page()
st.title("Tableau de bord")
campagne = campagne_courante("Aucune campagne n'est ouverte.")
with session() as s:
    compteurs = requetes.compteurs_par_etat(s, moi, campagne.id) if moi.role in PERSONNELS else {}

jour = aujourdhui()
st.header(f"Campagne {campagne.annee_scolaire}")
calendrier = [("Date limite de dépôt", campagne.date_limite_depot), ("Avis des DASEN", campagne.date_limite_avis_dasen),
             ("Comité de pilotage", campagne.date_copil), ("Fin des ateliers", campagne.date_fin_ateliers),
             ("Bilans", campagne.date_limite_bilan_financier)]
for col, (nom, quand) in zip(st.columns(len(calendrier)), calendrier):
    col.metric(nom, f"{quand:%d/%m/%Y}")
    col.caption("échéance passée" if quand < jour else f"dans {(quand - jour).days} jour(s)")

if compteurs:
    st.header("Dossiers par état et par département")
    etats = [e for e in Etat if any(k[1] == e.value for k in compteurs)]
    deps = sorted({k[0] for k in compteurs})
    tableau = [{"Département": d, **{e.libelle: compteurs.get((d, e.value), 0) for e in etats}} for d in deps]
    st.dataframe(tableau, hide_index=True, width="stretch")
    if moi.role not in LECTEURS_DOSSIERS:
        st.caption("Vue agrégée : aucune donnée individuelle n'est accessible à ce profil.")

if moi.role not in LECTEURS_DOSSIERS:  # the Intérieur, on the committee: its call for projects and procès-verbal
    with session() as s:
        documents_comite = consultation.documents_campagne(s, moi, campagne.id)
    st.header("Documents du comité de pilotage")
    boutons_documents(documents_comite, "accueil_comite")

with session() as s:
    retards = echeances.retards_visibles(s, moi, campagne, jour)
if retards:
    st.header("En retard")
    st.dataframe([{"Département": r.departement, "Retard": r.libelle, "Dossiers": r.nombre} for r in retards],
                 hide_index=True, width="stretch")

if moi.role in LECTEURS_DOSSIERS:
    st.header("Mon dossier" if moi.role in acteurs_de("deposer") else "Dossiers")
    deps = sorted({k[0] for k in compteurs})
    filtre = st.selectbox("Département", [None, *deps], format_func=lambda c: c or "Tous", key="accueil_dep",
                          placeholder="Tous") if len(deps) > 1 else None
    total = sum(n for (dep, _), n in compteurs.items() if filtre in (None, dep)) if compteurs else None
    pages_total = max(1, -(-(total or 0) // PAR_PAGE))
    numero = st.number_input(f"Page (sur {pages_total})", 1, pages_total, 1, key="accueil_page") if pages_total > 1 else 1
    with session() as s:
        lignes = requetes.dossiers_visibles(s, moi, campagne.id, departement=filtre, limite=PAR_PAGE,
                                            decalage=(numero - 1) * PAR_PAGE)
    if not lignes:
        st.info("Aucun dossier dans votre périmètre pour cette campagne.")
    else:
        st.dataframe([{"N°": d.numero, "Établissement": d.etablissement, "Commune": d.commune, "Dép.": d.departement,
                       "État": d.etat_libelle, "Heures": heures(d.heures_total), "Montant demandé": montant(d.montant_demande),
                       "Avis du DASEN": AvisDasen(d.avis).libelle if d.avis else "",
                       "Décision": DecisionComite(d.decision).libelle if d.decision else ""} for d in lignes],
                     hide_index=True, width="stretch")
        st.page_link("pages/dossier.py", label="Ouvrir un dossier", icon=":material/folder_open:")
