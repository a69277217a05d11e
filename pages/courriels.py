import streamlit as st

from forms.vocabulaire import StatutNotification
from infra.settings import get_settings
from pages._commun.actions import action
from pages._commun.tour import flash, page, session
from workflow.automatismes import notifications
from workflow.automatismes.courriels import masquer_jetons
from workflow.noyau.format import date_courte

moi = page()
st.title("Boîte d'envoi")
if not get_settings().smtp_configure:
    st.info("Aucun serveur de messagerie n'est configuré : les messages restent ici, dans la boîte d'envoi, où chacun "
            "les consulte (réglages OEPRE_SMTP_*).", icon=":material/outbox:")
filtre = st.segmented_control("Statut", [None, *(s.value for s in StatutNotification)],
                              format_func=lambda s: "Tous" if s is None else StatutNotification(s).libelle,
                              default=None, key="courriels_statut")
with session() as s:
    lignes = notifications.boite_d_envoi(s, moi, statut=filtre)
if not lignes:
    st.caption("Aucun message.")
    st.stop()
cols = st.columns(4)
for col, statut in zip(cols, StatutNotification):
    col.metric(statut.libelle, sum(1 for n in lignes if n.statut == statut))
st.dataframe([{"Créé le": f"{n.cree_at:%d/%m/%Y %H:%M}", "Échéance": date_courte(n.echeance) if n.echeance else "",
               "Destinataire": n.destinataire, "Objet": n.sujet, "Statut": StatutNotification(n.statut).libelle,
               "Essais": n.tentatives, "Envoyé le": f"{n.envoye_at:%d/%m/%Y %H:%M}" if n.envoye_at else "",
               "Erreur": n.derniere_erreur} for n in lignes], hide_index=True, width="stretch")
choix = st.selectbox("Lire un message", lignes, format_func=lambda n: f"{n.destinataire} — {n.sujet}", key="courriels_lire")
with st.container(border=True):
    st.markdown(f"**À :** {choix.destinataire}  \n**Objet :** {choix.sujet}")
    st.text(masquer_jetons(choix.corps))
    if choix.statut == StatutNotification.ECHEC:
        st.error(f"Échec après {choix.tentatives} essai(s) : {choix.derniere_erreur}", icon=":material/error:")
        if moi.role in notifications.RELANCEURS and st.button("Remettre en file d'envoi", key="courriels_relancer"):
            from datetime import UTC, datetime

            with action("Remettre en file d'envoi", journal_action="relance_notification") as issue, session() as s:
                notifications.relancer(s, moi, choix.id, datetime.now(UTC))
            if not issue.echec:
                flash("success", "Le message repartira au prochain passage de l'envoi.")
                st.rerun()
