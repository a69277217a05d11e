import streamlit as st

from forms.vocabulaire import StatutRevue
from pages._commun.actions import ecrire
from pages._commun.tour import page, session
from workflow import consultation, revue
from workflow.etapes import ETAPES
from workflow.noyau import requetes
from workflow.noyau.format import libelle_document, libelle_du_document

moi = page()
st.title("Relecture des documents")
st.caption("Tous les documents produits, filtrés par étape, département, établissement et statut ; approuvez ou renvoyez "
           "avec un commentaire que l'auteur verra sur son dossier.")
with session() as s:  # every campaign with work: this year's ateliers still produce documents after next call opens
    en_cours = {c.id: c.annee_scolaire for c in requetes.campagnes_en_cours(s, moi)}
    departements = requetes.departements(s, requetes.academie_du_deploiement(moi))

etapes = {e.cle: f"{e.numero}. {e.libelle}" for e in ETAPES if e.gabarits}
cols = st.columns(4)
etape = cols[0].selectbox("Étape", [None, *etapes], format_func=lambda c: "Toutes" if c is None else etapes[c], key="revue_etape",
                         placeholder="Toutes")
dep = cols[1].selectbox("Département", [None, *[d.code for d in departements]], key="revue_dep", placeholder="Tous",
                        format_func=lambda c: "Tous" if c is None else next(f"{d.code} — {d.nom}" for d in departements if d.code == c))
uai = cols[2].text_input("Établissement (UAI)", key="revue_uai").strip().upper() or None
statut = cols[3].selectbox("Statut", [None, *(s.value for s in StatutRevue)], key="revue_statut", placeholder="Tous",
                           format_func=lambda c: "Tous" if c is None else StatutRevue(c).libelle)
with session() as s:
    liste = revue.documents(s, moi, etape=etape, departement=dep, uai=uai, statut=statut,
                            campagne_ids=list(en_cours))
if not liste:
    st.info("Aucun document ne correspond à ces filtres.")
    st.stop()

if len(en_cours) > 1:  # in June: this year's ateliers and next year's call side by side
    compte = {annee: sum(1 for x in liste if en_cours.get(x.document.campagne_id) == annee) for annee in en_cours.values()}
    st.caption("Campagnes en cours : " + " ; ".join(f"{annee} ({n} document(s))" for annee, n in compte.items()) + ".")
tableau = st.dataframe([{
    "Document": f"{libelle_du_document(x.document)} v{x.document.version} ({x.document.format.upper()})"
                + (f", signé sur la version {x.version_signee}" if x.version_signee else ""),
    "Campagne": en_cours.get(x.document.campagne_id, ""),
    "Établissement": x.etablissement or "Campagne", "Dép.": x.departement or "—", "Produit le": f"{x.document.genere_at:%d/%m/%Y %H:%M}",
    "Statut": StatutRevue(x.statut).libelle, "Commentaire": x.commentaire} for x in liste],
    hide_index=True, width="stretch", on_select="rerun", selection_mode="multi-row", key="revue_table")
choisis = [liste[i] for i in tableau.selection.rows] if tableau.selection.rows else []

def _zip(ids=tuple(x.document.id for x in (choisis or liste))) -> bytes:
    with session() as s:
        return revue.archive_zip(s, moi, list(ids))

st.download_button(f"Télécharger en ZIP ({len(choisis) or len(liste)} document(s))", data=_zip, mime="application/zip",
                   file_name=revue.nom_de_l_archive({en_cours.get(x.document.campagne_id, "") for x in (choisis or liste)} - {""},
                                                    etape=etape, departement=dep, uai=uai),
                   icon=":material/folder_zip:", on_click="ignore", key="revue_zip")
if len(choisis) != 1:
    st.caption("Sélectionnez une ligne pour voir le document, l'approuver ou le renvoyer.")
    st.stop()

(x,) = choisis
gauche, droite = st.columns([3, 2])
with gauche:
    with session() as s:
        image = revue.apercu(s, moi, x.document.id)
    if image:
        st.image(image, caption="Première page", width="stretch")
    elif x.document.format in ("png", "jpg"):  # a scan signed on paper, joined as an image
        with session() as s:
            st.image(consultation.lire_document(s, moi, x.document.id).contenu, caption="Scan joint", width="stretch")
    else:
        st.info("Aperçu disponible pour les PDF : sélectionnez la version PDF de ce document.")
with droite:
    st.markdown(f"**{x.document.nom_fichier}** — {x.etablissement or 'campagne'}")
    if x.version_signee:
        st.info(f"Scan « signé hors application » joint par l'établissement ou le service payeur : la copie signée de "
                f"la version {x.version_signee} de « {libelle_document(x.document.type_document)} » produite par le service.",
                icon=":material/draw:")
    st.caption(f"SHA-256 {x.document.sha256[:16]}… · statut : {StatutRevue(x.statut).libelle}")
    with session() as s:
        fichier = consultation.lire_document(s, moi, x.document.id)
    st.download_button("Télécharger", data=fichier.contenu, file_name=fichier.nom, mime=fichier.mime, key="revue_un")
    with st.form(f"revue_{x.document.id}"):
        commentaire = st.text_area("Commentaire pour l'auteur", key=f"revue_commentaire_{x.document.id}")
        a, b = st.columns(2)
        approuver = a.form_submit_button("Approuver", type="primary")
        renvoyer = b.form_submit_button("Renvoyer à l'auteur")
    if approuver or renvoyer:
        statut = StatutRevue.APPROUVE if approuver else StatutRevue.A_CORRIGER
        ecrire("Enregistrer la relecture", journal_action=f"revue_{statut.value}", succes="Relecture enregistrée.",
               operation=lambda s: revue.reviser(s, moi, document_id=x.document.id, statut=statut, commentaire=commentaire))
