import streamlit as st

from forms.vocabulaire import FrequenceCourriel
from pages._commun.actions import ecrire
from pages._commun.tour import lecture, page
from workflow.automatismes import transitions

moi = page()
st.title("Mes courriels")
st.caption("Le service vous écrit quand un dossier qui vous concerne change d'étape. Pour chaque sorte de message, "
           "choisissez de le recevoir tout de suite, dans le résumé envoyé chaque matin, ou jamais ; les messages "
           "restent de toute façon consultables dans l'application.")
with lecture() as s:
    actuels = transitions.preferences(s, moi)
genres = transitions.genres_du_role(moi.role)
if not genres:
    st.info("Aucun message des étapes ne s'adresse à votre rôle.", icon=":material/mail:")
    st.stop()
FREQUENCES = list(FrequenceCourriel)
with st.form("mes_courriels"):
    choix = {}
    for genre in genres:
        choix[genre.type_notification] = st.radio(
            genre.libelle, FREQUENCES, index=FREQUENCES.index(actuels[genre.type_notification]),
            format_func=lambda f, defaut=genre.defaut: f.libelle + (" (par défaut)" if f == defaut else ""),
            horizontal=True, key=f"mes_courriels_{genre.type_notification}")
    if st.form_submit_button("Enregistrer mes choix", type="primary"):
        ecrire("Enregistrer mes choix", lambda s: transitions.choisir(s, moi, choix), journal_action="choisir_courriels",
               succes=lambda changes: f"{len(changes)} choix enregistré(s)." if changes else "Rien n'a changé.")
