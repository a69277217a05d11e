"""The steering committee. Longer than most pages: the agenda is one grid, read-only for the committee and typed by
the pilote with the envelopes' rest live; the decisions are sent row by row, and the procès-verbal has its form."""

import hashlib
from decimal import Decimal

import streamlit as st

from forms.selection import MembreForm
from forms.vocabulaire import RETENUS, AvisDasen, DecisionComite
from pages._commun.actions import executer_etape
from pages._commun.campagne import campagne_courante
from pages._commun.documents import boutons_documents
from pages._commun.tour import cle_de_formulaire, flash, formulaire_suivant, page, session
from workflow import consultation
from workflow.etapes import peut
from workflow.noyau import requetes
from workflow.noyau.format import date_fr, heures, montant
from workflow.selection import regles

moi = page()
st.title("Comité de pilotage")
campagne = campagne_courante("Aucune campagne ouverte.")
with session() as s:
    agenda = requetes.ordre_du_jour(s, moi, campagne)
    engage_p104, engage_en = requetes.montants_engages(s, campagne.id)
    documents_pv = [d for d in consultation.documents_campagne(s, moi, campagne.id) if d.type_document == "proces_verbal"]

st.caption(f"Campagne {campagne.annee_scolaire} — séance prévue le {date_fr(campagne.date_copil)}")
st.header(f"Ordre du jour ({len(agenda)} dossier(s))")
if not agenda:
    st.info("Aucun dossier n'attend de décision.")

CHOIX = {"": "— à examiner —", **{d.value: d.libelle for d in DecisionComite}}
lignes = [{
    "id": o.id, "Dép.": o.departement, "Dossier": o.numero, "Établissement": o.etablissement,
    "Avis DASEN": AvisDasen(o.avis).libelle if o.avis else "—", "Rang": str(o.rang) if o.rang else "—", "Parents": o.nb_parents,
    "Primo %": o.part_primo_pct, "Réinscrits %": o.part_reinscrits_pct, "Groupes": o.nb_groupes, "Effectif min.": o.effectif_min,
    "Heures": heures(o.heures_total), "Demandé": montant(o.montant_demande),
    "Intervenants FLE/FLS": f"{o.nb_intervenants_fle}/{o.nb_intervenants}",
    "Bilans N-1": o.bilans_n_1, "Décision": "", "Heures financées": float(o.heures_total), "P104 (€)": "", "EN (€)": "",
    "Conditions / motif": "",
} for o in agenda]

if agenda and not peut(moi, "decider"):
    st.dataframe([{k: v for k, v in ligne.items() if k not in ("id", "Décision", "Heures financées", "P104 (€)", "EN (€)",
                                                             "Conditions / motif")} for ligne in lignes],
                 hide_index=True, width="stretch")
    st.caption("Consultation : les décisions sont saisies par le pilote académique.")
elif agenda:
    # The grid keeps what was typed by row number: it is typed for these dossiers as they are now, under a key made of
    # their ids and versions. Once one is decided (or moved by someone else) the grid starts blank, and so does its
    # button: the decision typed on a row is never left on the dossier that takes its place, nor sent twice (the same
    # number of rows kept the edits, and a double click decided a dossier put on the waiting list a second time).
    etat_agenda = hashlib.sha256(",".join(f"{o.id}.{o.version}" for o in agenda).encode()).hexdigest()[:12]
    fixes = [k for k in lignes[0] if k not in ("Décision", "Heures financées", "P104 (€)", "EN (€)", "Conditions / motif")]
    edite = st.data_editor(lignes, key=f"comite_decisions_{etat_agenda}", hide_index=True, width="stretch", disabled=fixes,
                           column_order=[k for k in lignes[0] if k != "id"],
                           column_config={"Décision": st.column_config.SelectboxColumn(options=list(CHOIX), format_func=CHOIX.get),
                                          "P104 (€)": st.column_config.TextColumn(help="ex. 2 500,00"),
                                          "EN (€)": st.column_config.TextColumn(help="ex. 1 044,80")})
    a_decider = [r for r in edite if r["Décision"]]
    reste_p104, reste_en = regles.reste_des_enveloppes(campagne, engage_p104, engage_en,
                                                       [(r["P104 (€)"], r["EN (€)"]) for r in a_decider])
    cols = st.columns(3)
    cols[0].metric("Reste P104 après ces décisions", montant(reste_p104), f"sur {montant(campagne.budget_p104)}",
                   delta_color="off", delta_arrow="off")
    cols[1].metric("Reste EN après ces décisions", montant(reste_en), f"sur {montant(campagne.budget_en)}",
                   delta_color="off", delta_arrow="off")
    cols[2].metric("Décisions saisies", len(a_decider))
    if reste_p104 < 0 or reste_en < 0:
        st.error("Ces décisions dépassent une enveloppe : la dernière décision qui la dépasse sera refusée.")
    if st.button("Enregistrer les décisions saisies", type="primary", key=f"comite_enregistrer_{etat_agenda}",
                 disabled=not a_decider):
        versions = {o.id: o.version for o in agenda}
        echecs = 0
        # Each row's place drawn before the first decision is saved: between two decisions, no Streamlit call where a
        # second click would stop the run (pages/_commun/tour.py) — only a refusal writes in its row's place.
        places = [(place, place.empty()) for place in (st.container() for _ in a_decider)]
        for r, (place, titre) in zip(a_decider, places, strict=True):
            retenu = r["Décision"] in {e.value for e in RETENUS}
            texte = r["Conditions / motif"] or ""
            donnees = {"decision": r["Décision"], "heures_financees": str(r["Heures financées"] or 0) if retenu else "0",
                       "montant_p104": r["P104 (€)"] or "0", "montant_en": r["EN (€)"] or "0",
                       "conditions": texte if r["Décision"] == "retenu_sous_conditions" else "",
                       "motif_refus": texte if r["Décision"] == "non_retenu" else ""}
            with place:
                if executer_etape("decider", donnees, dossier_id=r["id"], version=versions[r["id"]]):
                    flash("success", f"{r['Dossier']} : décision « {CHOIX[r['Décision']]} » enregistrée, notification produite.")
                else:
                    titre.markdown(f"**{r['Dossier']} — {r['Établissement']}**")
                    echecs += 1
        if not echecs:  # on a refusal, stay on this run so that its reasons stay on screen
            st.rerun()

st.header("Procès-verbal")
boutons_documents(documents_pv, "comite_pv")
if peut(moi, "etablir_proces_verbal"):
    pv = cle_de_formulaire("pv")  # a new form after each procès-verbal: a double click does not send it twice
    with st.form(f"comite_{pv}_form"):
        st.caption("Le procès-verbal reprend toutes les décisions prises depuis le précédent.")
        date_session = st.date_input("Date de la séance", value=campagne.date_copil, format="DD/MM/YYYY", key=f"{pv}_date")
        lieu = st.text_input("Lieu", value=f"Rectorat de {campagne.academie_code.capitalize()}", key=f"{pv}_lieu")
        membres = st.data_editor([{"fonction": "Conseiller technique EVS", "nom": ""},
                                  {"fonction": "Directrice du CASNAV", "nom": ""},
                                  {"fonction": "Cheffe du bureau DAEPS", "nom": ""},
                                  {"fonction": "Représentant du ministère de l'Intérieur", "nom": ""}],
                                 key=f"{pv}_membres", num_rows="dynamic", width="stretch",
                                 column_config={n: st.column_config.TextColumn(i.title) for n, i in MembreForm.model_fields.items()})
        if st.form_submit_button("Établir le procès-verbal"):
            donnees = {"date_session": date_session, "lieu": lieu,
                       "membres_presents": [m for m in membres if (m.get("fonction") or "").strip()]}
            if executer_etape("etablir_proces_verbal", donnees, campagne_id=campagne.id):
                formulaire_suivant("pv")
                st.rerun()
st.caption(f"Heures demandées à l'ordre du jour : {heures(sum((o.heures_total for o in agenda), Decimal(0)))} h")
