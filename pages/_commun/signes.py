"""Letters and états signed outside the tool: each generated one with its state (« à signer », « signé hors
application », a scan of an older version), its scans offered for download and, for whoever produces it, an upload."""

import streamlit as st

from pages._commun.actions import ecrire
from pages._commun.documents import boutons_documents
from pages._commun.tour import acteur, cle_de_formulaire, flash, formulaire_suivant, session
from workflow import consultation
from workflow.atelier import signes
from workflow.noyau.format import libelle_du_document


def documents_signes(dossier_id: int, types: tuple[str, ...], cle: str) -> None:
    """The generated documents of these types in the dossier (latest version each), with their signed scans."""
    moi = acteur()
    with session() as s:
        liste = signes.signables(consultation.documents_du_dossier(s, moi, dossier_id), types)
    if not liste:
        st.caption("Aucun document produit pour l'instant.")
        return
    for signable in liste:
        genere, a_jour = signable.genere, signable.signe_a_jour
        with st.container(border=True):
            etat = (f"signé hors application (scan joint le {a_jour.document.genere_at:%d/%m/%Y})" if a_jour
                    else "scan signé d'une version antérieure : à signer à nouveau" if signable.scans else "à signer")
            st.markdown(f"**{libelle_du_document(genere)}** — version {genere.version} — {etat}")
            if signable.scans and not a_jour:
                st.warning(f"Le document a été produit à nouveau (version {genere.version}) après la signature : le scan "
                           f"joint est celui de la version {signable.scans[0].version_signee}. Imprimez la nouvelle "
                           "version, faites-la signer et joignez son scan.", icon=":material/history:")
            boutons_documents([d for d in (signable.pdf, genere) if d], f"{cle}_{genere.id}")
            for scan in signable.scans:
                st.caption(f"Scan de la version {scan.version_signee}" + ("" if scan.a_jour else " (version antérieure)"))
                boutons_documents([scan.document], f"{cle}_scan")
            if signes.peut_joindre(moi.role, genere.type_document):
                _joindre(signable, f"{cle}_{genere.id}")


def _joindre(signable: signes.Signable, cle: str) -> None:
    genere = signable.genere
    saisie = cle_de_formulaire(cle)  # a new, empty upload after a success: the same scan is not joined twice
    fichier = st.file_uploader(f"Scan signé de la version {genere.version} (PDF, PNG ou JPEG, 10 Mo au plus)",
                               type=["pdf", "png", "jpg", "jpeg"], key=f"{saisie}_fichier")
    if fichier is not None and st.button("Joindre le scan « signé hors application »", key=f"{saisie}_joindre",
                                         icon=":material/upload_file:"):
        moi = acteur()
        joint = ecrire("Joindre un document signé hors application", journal_action="joindre_scan_signe", relancer=False,
                       operation=lambda s: signes.joindre_scan_signe(s, moi, document_id=genere.id, nom=fichier.name,
                                                                     contenu=fichier.getvalue()))
        if joint is not None:
            flash("success", f"{libelle_du_document(genere)} : scan « signé hors application » joint à la version "
                             f"{genere.version}.")
            formulaire_suivant(cle)
            st.rerun()
