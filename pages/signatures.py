"""« Signature et cachet »: the signatory (the head who files, the DSDEN, the pilote, the DAEPS) or the académie's
administrator sets the images the documents they sign print; each change is a new version (workflow.noyau.signatures)."""

import streamlit as st

from forms.vocabulaire import NatureImage
from pages._commun.actions import ecrire
from pages._commun.tour import cle_de_formulaire, formulaire_suivant, lecture, page
from workflow.noyau import signatures

# The article and the agreement of each (« la signature … retirée », « le cachet … retiré »).
GENRE = {NatureImage.SIGNATURE: ("la signature", "e"), NatureImage.CACHET: ("le cachet", "")}

moi = page()
st.title("Signature et cachet")
st.caption("Les documents que vous signez impriment votre signature et votre cachet dans leur bloc de signature ; sans "
           "image, ils laissent la place d'une signature à la main. Image PNG (de préférence à fond transparent) ou JPEG "
           "(le blanc du papier devient transparent), 5 Mo au plus. Remplacer ou retirer une image en crée une nouvelle "
           "version : les précédentes restent dans l'historique, et les documents déjà produits ne changent pas.")
with lecture() as s:
    titulaires = signatures.titulaires(s, moi)
if not titulaires:
    st.info("Seul le directeur ou le chef d'établissement qui dépose le dossier gère la signature de l'école : votre "
            "délégation permet de préparer le dossier, pas de le signer.", icon=":material/info:")
    st.stop()
titulaire = titulaires[0] if len(titulaires) == 1 else st.selectbox(
    "Signataire", titulaires, format_func=lambda t: t.libelle, key="signatures_titulaire")
st.header(titulaire.libelle)  # the heading of the images below, whether chosen or one
st.markdown("Imprimées dans : " + ", ".join(signatures.documents_signes(titulaire.signataire)) + ".")
cible = {"signataire": titulaire.signataire, "perimetre": titulaire.perimetre}



def section(nature: NatureImage) -> None:
    """The current image, the field to replace it, the button to remove it, and its history."""
    st.subheader(nature.libelle)
    with lecture() as s:
        actuelle = signatures.image_actuelle(s, moi, **cible, nature=nature)
        versions = signatures.historique(s, moi, **cible, nature=nature)
    cle = f"signatures_{titulaire.signataire.value}_{titulaire.perimetre}_{nature.value}"
    article, e = GENRE[nature]
    if actuelle:
        st.image(actuelle, width=220, caption=f"{nature.libelle} en vigueur (version {versions[0].version})")
    else:
        st.info(f"Aucune image : {nature.libelle.lower()} à la main.", icon=":material/draw:")
    fichier = st.file_uploader(f"Nouvelle image : {nature.libelle.lower()}", type=["png", "jpg", "jpeg"],
                               key=cle_de_formulaire(f"{cle}_fichier"))

    def depose(v) -> str:
        formulaire_suivant(f"{cle}_fichier")  # the next run offers an empty field: a second click sends nothing
        return f"{nature.libelle} enregistré{e} (version {v.version}) : les prochains documents l'impriment."

    if fichier is not None and st.button(f"Enregistrer {article}", key=f"{cle}_deposer", type="primary"):
        ecrire(f"Enregistrer {article}", journal_action="deposer_image_signataire", succes=depose,
               operation=lambda s: signatures.deposer_image(s, moi, **cible, nature=nature, nom=fichier.name,
                                                            contenu=fichier.getvalue()))
    if actuelle and st.button(f"Retirer {article}", key=f"{cle}_retirer"):
        ecrire(f"Retirer {article}", journal_action="retirer_image_signataire",
               operation=lambda s: signatures.retirer_image(s, moi, **cible, nature=nature),
               succes=lambda v: f"{nature.libelle} retiré{e} (version {v.version}) : les prochains documents laissent la "
                                "place d'une signature à la main.")
    if versions:
        st.dataframe([{"Version": v.version, "Image": "déposée" if v.present else "retirée", "Par": v.par,
                       "Le": f"{v.le:%d/%m/%Y %H:%M}"} for v in versions], hide_index=True, width="stretch")


for nature, colonne in zip(NatureImage, st.columns(2)):
    with colonne:
        section(nature)
