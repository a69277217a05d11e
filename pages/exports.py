import streamlit as st

from infra.settings import aujourdhui
from pages._commun.campagne import campagnes
from pages._commun.tour import lecture, page, session
from workflow.cloture import exports

moi = page()
st.title("Exports")
campagne = st.selectbox("Campagne", campagnes("Aucune campagne."), format_func=lambda c: c.annee_scolaire, key="exports_campagne")
jour = f"{aujourdhui():%Y-%m-%d}"


def _telecharger(libelle: str, produire, nom: str, mime: str, cle: str) -> None:
    """The file is built on click only (an export reads the whole campaign), and each export is audit-logged."""
    def contenu(qui=moi, campagne_id=campagne.id) -> bytes:
        with session() as s:
            return produire(s, qui, campagne_id)

    st.download_button(libelle, data=contenu, file_name=nom, mime=mime, key=cle, icon=":material/download:",
                       on_click="ignore")


if moi.role in exports.EXPORTATEURS_CLASSEUR:
    st.header("Pour la DAEPS")
    st.caption("Un classeur : dossiers, décisions, paie par intervenant et par mois, bilans. Aucun parent n'y est nommé.")
    _telecharger("Classeur de la campagne (XLSX)", exports.classeur_daeps, f"oepre-{campagne.annee_scolaire}-{jour}.xlsx",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "exports_classeur")
    st.header("Enquête nationale")
    st.caption("Une ligne par atelier financé, colonnes dans l'ordre de l'enquête en ligne (séparateur « ; », UTF-8).")
    _telecharger("Bilans pédagogiques (CSV)", exports.csv_enquete_nationale,
                 f"oepre-enquete-{campagne.annee_scolaire}-{jour}.csv", "text/csv", "exports_enquete")

if moi.role in exports.LECTEURS_AGREGATS:
    st.header("Agrégats pour le ministère de l'Intérieur")
    st.caption("Effectifs seulement. Toute case de moins de 5 personnes est masquée (« < 5 »), ainsi que les cases qui "
               "permettraient de la retrouver à partir des totaux ; les petits pays sont regroupés.")
    with lecture() as s:
        tableaux = exports.agregats_interieur(s, moi, campagne.id)
    for tableau in tableaux:
        st.subheader(tableau.titre)
        st.dataframe([{"": nom, **{c: ("< 5" if v is None else v) for c, v in zip(tableau.colonnes, valeurs)}}
                      for nom, valeurs in tableau.lignes], hide_index=True, width="stretch")
    st.download_button("Agrégats (CSV)", data=exports.csv_interieur(tableaux), key="exports_interieur",
                       file_name=f"oepre-agregats-{campagne.annee_scolaire}-{jour}.csv", mime="text/csv",
                       icon=":material/download:", on_click="ignore")
