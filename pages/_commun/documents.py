"""Stored documents offered for download (bytes read on click, through the one read rule), those a page's last step
produced, and the PDF still missing."""

import streamlit as st

from forms.vocabulaire import StatutRevue
from pages._commun.actions import action, executer_etape
from pages._commun.tour import acteur, session
from workflow import consultation, services
from workflow.atelier import attestations
from workflow.noyau import requetes
from workflow.noyau.format import libelle_du_document


def boutons_documents(documents, cle: str, revues: dict | None = None) -> None:
    """One download button per stored file (bytes read only on click), with the DAEPS review if any."""
    if not documents:
        st.caption("Aucun document produit pour l'instant.")
        return
    lecteur = acteur()
    for doc in documents:
        cols = st.columns([4, 2, 2])
        cols[0].markdown(f"**{libelle_du_document(doc)}** — version {doc.version} ({doc.format.upper()})")
        cols[1].caption(f"{doc.genere_at:%d/%m/%Y %H:%M} · {doc.taille // 1024 + 1} Ko")
        relu = (revues or {}).get(doc.id)
        if relu is not None and relu.statut == StatutRevue.A_CORRIGER:
            cols[0].warning(f"Renvoyé par la DAEPS : {relu.commentaire}", icon=":material/undo:")
        elif relu is not None:
            cols[0].caption("Approuvé par la DAEPS" + (f" : {relu.commentaire}" if relu.commentaire else ""))

        # Read on click, outside the script run: the actor is bound now, session_state is not reachable then.
        def contenu(document_id=doc.id, qui=lecteur) -> bytes:
            with session() as s:
                return consultation.lire_document(s, qui, document_id).contenu

        cols[2].download_button("Télécharger", data=contenu, file_name=doc.nom_fichier, key=f"{cle}_{doc.id}",
                                mime=consultation.MIME[doc.format], icon=":material/download:", on_click="ignore")


def produire_pdf_manquants(documents, cle: str) -> None:
    """Offer to convert DOCX files that have no PDF yet (e.g. produced while LibreOffice was absent)."""
    sources = {d.source_id for d in documents if d.format == "pdf"}
    manquants = [d for d in documents if d.format == "docx" and d.id not in sources]
    if manquants and st.button(f"Produire les PDF manquants ({len(manquants)})", key=f"{cle}_pdf"):
        with st.spinner("Conversion par LibreOffice…"):
            for d in manquants:
                produit = None
                try:
                    with action("Produire les PDF manquants", enregistree=lambda s, i=d.id: requetes.a_son_pdf(s, i)), \
                            session() as s:
                        produit = services.produire_pdf(s, d.id, acteur())
                except attestations.ERREURS_PRODUCTION as exc:  # LibreOffice absent or failing: said in French, DOCX kept
                    st.error(str(exc))
                if produit is None:
                    return
        st.rerun()


def produire_et_garder(cle: str, donnees: dict, memoire: str, **cible) -> None:
    """Run a step whose documents the page offers below (derniers_documents), then draw the page again."""
    resultat = executer_etape(cle, donnees, **cible)
    if resultat:
        st.session_state[memoire] = resultat.documents
        st.rerun()


def derniers_documents(memoire: str, dossier_id: int, cle: str, titre: str | None = "Derniers documents produits") -> None:
    """The documents of the page's last step (their ids kept under `memoire`), offered for download."""
    if not st.session_state.get(memoire):
        return
    if titre:
        st.markdown(f"**{titre}**")
    with session() as s:
        docs = [d for d in consultation.documents_du_dossier(s, acteur(), dossier_id) if d.id in st.session_state[memoire]]
    boutons_documents(docs, cle)
