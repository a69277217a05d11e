import streamlit as st

from pages._commun.actions import produire_attestations
from pages._commun.campagne import campagnes, choisir_campagne
from pages._commun.documents import boutons_documents
from pages._commun.tour import lecture, page
from workflow import consultation
from workflow.atelier import attestations

moi = page()
st.title("Attestations en lot")
en_cours = campagnes("Aucune campagne n'est ouverte.", en_cours=True)
# The ateliers that ran are those of the oldest campaign with work (the next call may already be open).
campagne = choisir_campagne(en_cours, "attestations_lot_campagne", index=len(en_cours) - 1)
with lecture() as s:
    apercu = attestations.perimetre(s, moi, campagne_id=campagne.id)
    lots = [d for d in consultation.documents_campagne(s, moi, campagne.id) if d.type_document == attestations.TYPE_LOT]

portee = "de votre département" if moi.departement else "de l'académie"
st.caption(f"Campagne {campagne.annee_scolaire} — une attestation par parent ayant suivi au moins une séance, dans chaque "
           f"atelier en cours ou terminé {portee}. Chaque attestation est signée au nom du responsable indiqué dans le dossier "
           "de candidature de l'école.")
total = sum(p.parents for p in apercu)
if not total:
    st.info("Aucun parent n'a encore suivi de séance : il n'y a pas d'attestation à produire.")
else:
    st.dataframe([{"Département": p.departement, "Ateliers": p.ateliers, "Attestations": p.parents} for p in apercu],
                 hide_index=True)
    if st.button(f"Produire les attestations ({total})", type="primary", icon=":material/library_books:",
                 key="attestations_lot_produire"):
        produire_attestations("attestations_lot_documents", campagne_id=campagne.id)

st.header("Lots produits")
st.caption("Le PDF réunit toutes les attestations, prêtes à imprimer (un signet par parent) ; l'archive ZIP contient un "
           "fichier par parent. Ces fichiers nomment des parents : ne les diffusez qu'aux écoles concernées.")
boutons_documents(lots, "attestations_lots")
