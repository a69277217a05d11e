import streamlit as st

from pages._commun.tour import page
from workflow.etapes import ETAPES, diagramme_dot
from workflow.noyau.format import libelle_document, libelle_echeance, libelle_role

page()
st.title("Circuit du dossier")
st.caption("Diagramme et tableau dérivés de la table déclarative des étapes (workflow/etapes.py).")
st.graphviz_chart(diagramme_dot(), width="stretch")
st.dataframe([{
    "N°": e.numero, "Étape": e.libelle, "Qui": ", ".join(libelle_role(r) for r in e.acteurs),
    "Depuis": ", ".join(x.libelle for x in e.depuis) or "—",
    "Vers": ", ".join(x.libelle for x in e.vers) or "(inchangé)",
    "Documents": ", ".join(libelle_document(g) for g in e.gabarits) or "—", "Échéance": libelle_echeance(e.echeance) if e.echeance else "—",
} for e in ETAPES], hide_index=True, width="stretch")
