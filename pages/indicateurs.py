"""Indicateurs of the campaigns chosen. Longer than most pages: it draws eight key figures, two bar charts by
département, the attrition curve and the year-on-year table, each from the one indicateurs() read."""

import altair as alt
import pandas as pd
import streamlit as st

from pages._commun import apparence
from pages._commun.campagne import campagnes
from pages._commun.tour import lecture, page
from workflow.cloture import indicateurs
from workflow.noyau.format import heures, montant


def _pct(x) -> str:
    return "—" if x is None else f"{heures(x)} %"


moi = page()
st.title("Indicateurs")
toutes = campagnes("Aucune campagne.")
choisies = st.multiselect("Campagnes", [c.annee_scolaire for c in toutes], default=[c.annee_scolaire for c in toutes[:3]],
                          key="indicateurs_campagnes", placeholder="Choisir une ou plusieurs campagnes")
if not choisies:
    st.info("Choisissez au moins une campagne.")
    st.stop()
with lecture() as s:
    ind = indicateurs.indicateurs(s, moi, [c.id for c in toutes if c.annee_scolaire in choisies])
if not ind.lignes:
    st.info("Aucun atelier financé dans votre périmètre pour ces campagnes.")
    st.stop()

derniere = max(ind.academie)
total = ind.academie[derniere]
st.header(f"Campagne {derniere}" + (f" — département {moi.departement}" if moi.departement else ""))
cols = st.columns(4)
cols[0].metric("Ateliers financés", total.ateliers, help=f"{total.groupes} groupe(s)")
cols[1].metric("Parents inscrits", total.parents)
cols[2].metric("Part de femmes", _pct(total.part_femmes))
cols[3].metric("Part de primo-arrivants", _pct(total.part_primo_arrivants))
cols = st.columns(4)
cols[0].metric("Heures réalisées / financées", _pct(total.realisation),
               help=f"{heures(total.heures_realisees)} h sur {heures(total.heures_financees)} h")
cols[1].metric("Taux d'achèvement", _pct(total.taux_completion), help="Parents assidus sur parents inscrits")
cols[2].metric("Coût par heure-parent", montant(total.cout_heure_parent) if total.cout_heure_parent is not None else "—")
cols[3].metric("Bilans transmis à l'heure", _pct(total.part_bilans_a_l_heure))

courante = [x for x in ind.lignes if x.campagne == derniere]
st.header("Par département")
parents = pd.DataFrame({"Département": [x.departement for x in courante], "Femmes": [x.femmes for x in courante],
                        "Autres parents": [x.parents - x.femmes for x in courante]})
st.subheader("Parents inscrits")
apparence.graphique(alt.Chart(parents).transform_fold(["Femmes", "Autres parents"], as_=["Parents", "Nombre"]).mark_bar()
                    .encode(x=alt.X("Département:N", title="Département", axis=alt.Axis(labelAngle=0)),
                            y=alt.Y("Nombre:Q", title="Parents", stack=True, axis=alt.Axis(tickMinStep=1)),
                            color=alt.Color("Parents:N", title=None, sort=["Femmes", "Autres parents"]),
                            tooltip=["Département:N", "Parents:N", alt.Tooltip("Nombre:Q", format=",d")]))
apparence.chiffres_du_graphique(parents.set_index("Département"), "Parents inscrits")
realisation = pd.DataFrame({"Département": [x.departement for x in courante],
                            "Heures financées": [float(x.heures_financees) for x in courante],
                            "Heures réalisées": [float(x.heures_realisees) for x in courante]})
st.subheader("Heures financées et réalisées")
apparence.graphique(alt.Chart(realisation).transform_fold(["Heures financées", "Heures réalisées"], as_=["Heures", "Nombre"])
                    .mark_bar().encode(x=alt.X("Département:N", title="Département", axis=alt.Axis(labelAngle=0)),
                                       xOffset=alt.XOffset("Heures:N", sort=["Heures financées", "Heures réalisées"]),
                                       y=alt.Y("Nombre:Q", title="Heures"),
                                       color=alt.Color("Heures:N", title=None, sort=["Heures financées", "Heures réalisées"]),
                                       tooltip=["Département:N", "Heures:N", alt.Tooltip("Nombre:Q", format=",.2~f")]))
apparence.chiffres_du_graphique(
    pd.DataFrame({"Département": [x.departement for x in courante],
                  "Heures financées": [heures(x.heures_financees) for x in courante],
                  "Heures réalisées": [heures(x.heures_realisees) for x in courante]}).set_index("Département"),
    "Heures financées et réalisées")

st.subheader("Parents encore inscrits, mois par mois (attrition)")
courbes = pd.DataFrame([{"Mois": mois, "Campagne": annee, "Parents inscrits": actifs}
                        for annee, courbe in ind.attrition.items() for mois, actifs, _ in courbe])
if not courbes.empty:
    apparence.graphique(alt.Chart(courbes).mark_line(point=True).encode(
        x=alt.X("Mois:T", title="Mois", axis=alt.Axis(format="%b %Y", tickCount="month")),
        y=alt.Y("Parents inscrits:Q", title="Parents", axis=alt.Axis(tickMinStep=1)), color=alt.Color("Campagne:N", title="Campagne"),
        tooltip=[alt.Tooltip("Mois:T", format="%B %Y"), "Campagne:N", alt.Tooltip("Parents inscrits:Q", format=",d")]))
    apparence.chiffres_du_graphique(
        courbes.pivot(index="Mois", columns="Campagne", values="Parents inscrits").sort_index()
        .rename(index=lambda m: f"{m:%m/%Y}").fillna("—"), "Parents encore inscrits")
    sorties = [(annee, mois, s) for annee, courbe in ind.attrition.items() for mois, _, s in courbe if s]
    if sorties:
        st.caption("Sorties en cours d'année : " + " ; ".join(f"{m:%m/%Y} : {s}" for annee, m, s in sorties if annee == derniere))

st.header("D'une année à l'autre")
st.dataframe([{"Campagne": x.campagne, "Périmètre": x.departement, "Ateliers": x.ateliers, "Groupes": x.groupes,
               "Groupes à effectif minimal": _pct(x.part_groupes_taille_min), "Parents": x.parents,
               "Femmes": _pct(x.part_femmes), "Primo-arrivants": _pct(x.part_primo_arrivants),
               "Heures suivies en moyenne": heures(x.heures_moyennes_suivies) if x.heures_moyennes_suivies is not None else "—",
               "Achèvement": _pct(x.taux_completion), "Réalisé / financé": _pct(x.realisation),
               "Coût par heure-parent": montant(x.cout_heure_parent) if x.cout_heure_parent is not None else "—",
               "Bilans à l'heure": _pct(x.part_bilans_a_l_heure),
               "Éducation prioritaire": _pct(x.part_education_prioritaire), "Quartiers prioritaires": _pct(x.part_qpv)}
              for x in [*ind.academie.values(), *ind.lignes]], hide_index=True, width="stretch")
st.caption("Achèvement : parents ayant suivi au moins le seuil d'assiduité de la campagne. Coût par heure-parent : dépenses "
           "du bilan financier (à défaut, vacations liquidées) divisées par les heures de présence des parents. "
           "Les chiffres viennent des mêmes calculs que les bilans des ateliers.")
