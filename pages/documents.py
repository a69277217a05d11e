import streamlit as st

from pages._commun import boutons_documents, page, produire_pdf_manquants, session
from workflow import requetes

moi = page()
st.title("Documents produits")
st.caption("Chaque fichier est conservé tel quel (version, empreinte SHA-256) ; une régénération crée une nouvelle version.")
with session() as s:
    campagne = requetes.campagne_courante(s)
    lignes = requetes.dossiers_visibles(s, moi, campagne.id) if campagne else []
    documents = {d.id: requetes.documents_du_dossier(s, moi, d.id) for d in lignes}
    campagne_docs = requetes.documents_campagne(s, moi, campagne.id) if campagne else []

if campagne_docs:
    st.subheader(f"Campagne {campagne.annee_scolaire}")
    boutons_documents(campagne_docs, "docs_campagne")
for ligne in lignes:
    docs = documents[ligne.id]
    with st.expander(f"{ligne.numero} — {ligne.etablissement} ({len(docs)} fichier(s))", expanded=len(lignes) == 1):
        boutons_documents(docs, f"docs_{ligne.id}")
        produire_pdf_manquants(docs, f"docs_{ligne.id}")
if not lignes and not campagne_docs:
    st.info("Aucun document dans votre périmètre.")
