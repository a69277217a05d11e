import streamlit as st

from pages._commun.documents import boutons_documents, produire_pdf_manquants
from pages._commun.tour import page, session
from workflow import consultation
from workflow.noyau import requetes

moi = page()
st.title("Documents produits")
st.caption("Chaque fichier est conservé tel quel (version, empreinte SHA-256) ; une régénération crée une nouvelle version.")
with session() as s:
    en_cours = requetes.campagnes_en_cours(s, moi)  # every campaign with work, not only the call being filed
    lignes = requetes.dossiers_visibles(s, moi, campagne_ids=[c.id for c in en_cours]) if en_cours else []
    documents = {d.id: consultation.documents_du_dossier(s, moi, d.id) for d in lignes}
    par_campagne = [(c, consultation.documents_campagne(s, moi, c.id)) for c in en_cours]
campagne_docs = [d for _, docs in par_campagne for d in docs]

for campagne, docs in par_campagne:
    if docs:
        st.header(f"Campagne {campagne.annee_scolaire}")
        boutons_documents(docs, f"docs_campagne_{campagne.id}")
for ligne in lignes:
    docs = documents[ligne.id]
    with st.expander(f"{ligne.numero} — {ligne.etablissement} ({len(docs)} fichier(s))", expanded=len(lignes) == 1):
        boutons_documents(docs, f"docs_{ligne.id}")
        produire_pdf_manquants(docs, f"docs_{ligne.id}")
if not lignes and not campagne_docs:
    st.info("Aucun document dans votre périmètre.")
