import pandas as pd
import streamlit as st

from pages._commun.actions import ecrire
from pages._commun.tour import afficher_messages, routeur, session
from workflow.noyau import requetes
from workflow.noyau.permissions import ADMINISTRATEURS
from workflow.selection import carte

# Public page: reachable without logging in (the CASNAV's map); the actor, if any, may place schools.
routeur()
moi = st.session_state.get("acteur")
afficher_messages()
st.title("Carte des ateliers OEPRE")
with session() as s:  # in June this year's ateliers still run while next year's call is being filed: both years
    par_campagne = [(c, carte.ateliers_publics(s, c.id)) for c in reversed(requetes.campagnes_en_cours(s, moi))]
par_campagne = [(c, a) for c, a in par_campagne if a]
ateliers = [a for _, liste in par_campagne for a in liste]
campagne = par_campagne[-1][0] if par_campagne else None
if not ateliers:
    st.info("Aucun atelier retenu pour l'instant.")
else:
    annees = " et ".join(c.annee_scolaire for c, _ in par_campagne)
    st.caption(f"Campagne{'s' if len(par_campagne) > 1 else ''} {annees} : {len(ateliers)} atelier(s) « Ouvrir l'École aux "
               "parents pour la réussite des enfants ». Renseignements et inscriptions auprès de l'établissement.")
    places = [a for a in ateliers if a.latitude is not None]
    if places:
        st.map(pd.DataFrame({"latitude": [a.latitude for a in places], "longitude": [a.longitude for a in places]}),
               size=600, color="#000091")
    st.dataframe([{"Établissement": a.etablissement, "Commune": a.commune, "Dép.": a.departement,
                   "Jours et horaires": a.horaires, "Période": a.periode, "Contact": a.contact} for a in ateliers],
                 hide_index=True, width="stretch")
    if len(places) < len(ateliers):
        st.caption(f"{len(ateliers) - len(places)} atelier(s) sans coordonnées ne figurent pas sur la carte.")
    cols = st.columns(2)
    cols[0].download_button("Liste des ateliers (CSV)", carte.csv_carte(ateliers), f"ateliers-oepre-{campagne.annee_scolaire}.csv",
                            "text/csv", key="carte_csv", icon=":material/download:", on_click="ignore")
    cols[1].download_button("Carte (GeoJSON)", carte.geojson(ateliers), f"ateliers-oepre-{campagne.annee_scolaire}.geojson",
                            "application/geo+json", key="carte_geojson", icon=":material/map:", on_click="ignore")

if moi is not None and moi.role in carte.EDITEURS_COORDONNEES:
    with st.expander("Placer un établissement sur la carte"):
        with session() as s:
            etablissements = carte.etablissements_a_placer(s, moi, ateliers)
        if etablissements:
            with st.form("carte_coordonnees"):
                etab = st.selectbox("Établissement", etablissements, format_func=lambda e: f"{e.nom} ({e.commune})",
                                    key="carte_etab")
                latitude = st.text_input("Latitude (degrés décimaux, ex. 43,6045)", key="carte_lat")
                longitude = st.text_input("Longitude (degrés décimaux, ex. 1,4440)", key="carte_lon")
                if st.form_submit_button("Enregistrer les coordonnées", type="primary"):
                    saisies = {"latitude": latitude.replace(",", ".") or None, "longitude": longitude.replace(",", ".") or None}
                    ecrire("Enregistrer les coordonnées", journal_action="coordonnees",
                           operation=lambda s: carte.enregistrer_coordonnees(s, moi, etab.uai, saisies),
                           succes=f"« {etab.nom} » figure désormais sur la carte.")

if moi is not None and moi.role in ADMINISTRATEURS:
    with st.expander("Importer l'annuaire de l'éducation (CSV)"):
        st.caption("Le fichier « fr-en-annuaire-education » (data.education.gouv.fr), en UTF-8 : les coordonnées des "
                   "établissements connus sont mises à jour, les écoles et établissements des départements de l'académie "
                   "sont ajoutés. Un fichier comportant une erreur est refusé en entier, avec le numéro de ligne.")
        fichier = st.file_uploader("Fichier CSV", type=["csv"], key="carte_annuaire")
        if fichier is not None and st.button("Importer", key="carte_importer", type="primary"):
            ecrire("Importer l'annuaire", journal_action="import_annuaire", relancer=False,
                   operation=lambda s: carte.importer_annuaire(s, moi, fichier.getvalue()),
                   succes=lambda r: f"{r.lignes} ligne(s) lues : {r.mis_a_jour} établissement(s) mis à jour, {r.crees} "
                                    f"ajouté(s), {r.ignores} ignoré(s) (hors académie ou sans coordonnées).")
