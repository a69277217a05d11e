"""Public page (no sign-in): the personal data the service holds, why, who reads them, for how long, and how to
exercise one's rights (conformite.donnees_personnelles)."""

import streamlit as st

from conformite import donnees_personnelles as dp
from conformite import registre
from conformite.editeur import editeur
from forms.vocabulaire import Role
from infra.settings import aujourdhui, get_settings
from pages._commun.tour import routeur, session

routeur()
st.title("Données personnelles")
reglages = get_settings()
with session() as s:
    publie_par = editeur(s)
st.markdown(f"Responsable du traitement : {publie_par.responsable_du_traitement}.")
st.header("Finalité")
st.markdown(dp.FINALITE)
st.header("Base légale")
st.markdown(dp.BASE_LEGALE)
st.header("Données traitées, qui les lit et combien de temps")
for categorie in dp.CATEGORIES:
    st.subheader(categorie.personnes)
    st.markdown("**Données** : " + " ; ".join(categorie.champs()) + ".")
    st.markdown("**Lues par** : " + " ; ".join(categorie.lecteurs_fr()) + ", chacun dans son périmètre.")
    st.markdown(f"**Conservation** : {categorie.duree(reglages)}.")
    if categorie.remarque:
        st.markdown(categorie.remarque)
st.header("Destinataires")
st.markdown("Les services de l'État qui financent le dispositif (" + " ; ".join(Role(r).libelle for r in dp.DESTINATAIRES_AGREGATS)
            + ") ne reçoivent que des données agrégées : effectifs, heures, montants, jamais un nom.")
st.header("Vos droits")
st.markdown(dp.DROITS)
st.markdown(f"Pour les exercer, adressez-vous à l'école ou à l'établissement de l'atelier, ou écrivez au délégué à la "
            f"protection des données de l'académie : {publie_par.dpd}.")
st.markdown("Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une "
            "réclamation à la CNIL (www.cnil.fr).")
st.header("Registre des traitements")
st.markdown("La fiche de ce traitement pour le registre de l'académie (article 30 du RGPD), écrite depuis les formulaires, "
            "les tables et les règles d'accès du service :")
st.download_button("Télécharger la fiche du registre (DOCX)", type="secondary", icon=":material/download:",
                   data=lambda: registre.fiche_du_registre(publie_par, reglages, f"{aujourdhui():%d/%m/%Y}"),
                   file_name="registre-traitement-oepre.docx",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
