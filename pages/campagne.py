import streamlit as st

from forms.campagne import CALENDRIER, CampagneForm, RouvertureDepotForm
from infra.settings import aujourdhui
from pages._commun.actions import executer_etape
from pages._commun.documents import boutons_documents
from pages._commun.formulaires import champs_formulaire
from pages._commun.tour import page, session
from workflow import consultation
from workflow.etapes import peut
from workflow.noyau import profil as profils
from workflow.noyau import requetes
from workflow.noyau.format import date_fr, heures, montant
from workflow.selection.actions import campagne_suivante, premiere_campagne

moi = page()
st.title("Campagne et appel à projets")
with session() as s:
    campagnes = requetes.campagnes(s, moi)
    courante = campagnes[0] if campagnes else None
    docs = consultation.documents_campagne(s, moi, courante.id) if courante else []
    # The académie's profile gives the hours and the group size a new campaign starts with.
    defauts = profils.defauts_de_campagne(profils.profil_de(s, profils.academie_de(moi)))

if courante:
    st.header(f"Campagne {courante.annee_scolaire}")
    gauche, droite = st.columns(2)
    with gauche:
        st.markdown("**Calendrier**")
        for champ, titre in [*CALENDRIER, ("date_limite_bilan_financier", "Date limite du bilan financier")]:
            st.markdown(f"- {titre} : {date_fr(getattr(courante, champ))}")
        if courante.depot_prolonge_jusqu_au:
            st.markdown(f"- Dépôt rouvert jusqu'au {date_fr(courante.depot_prolonge_jusqu_au)}")
    with droite:
        st.markdown("**Seuils et enveloppes**")
        st.markdown(f"- Heures par groupe : {heures(courante.heures_min_par_groupe)} à {heures(courante.heures_max_par_groupe)} h\n"
                    f"- Effectif par groupe : au moins {courante.taille_groupe_min} (conseillé ≤ {courante.taille_groupe_max})\n"
                    f"- Plafond de vacations : {heures(courante.plafond_heures_vacation_12_mois)} h sur 12 mois\n"
                    f"- Enveloppe P104 : {montant(courante.budget_p104)} ; Éducation nationale : {montant(courante.budget_en)}")
    st.markdown("**Lettre d'appel à projets**")
    boutons_documents(docs, "campagne_docs")

if peut(moi, "ouvrir_campagne"):
    titre = (f"Ouvrir la campagne suivante (réglages de {courante.annee_scolaire} reportés, seuils du profil de "
             "l'académie, calendrier à venir)" if courante
             else "Ouvrir la première campagne (calendrier habituel proposé, seuils du profil de l'académie)")
    with st.expander(titre, expanded=courante is None):
        with st.form("campagne_nouvelle"):
            donnees = champs_formulaire(CampagneForm, "campagne_nouvelle",
                                        (campagne_suivante(courante, aujourdhui()) if courante
                                         else premiere_campagne(aujourdhui())) | defauts)
            if st.form_submit_button("Ouvrir la campagne et produire l'appel à projets", type="primary"):
                if executer_etape("ouvrir_campagne", donnees):
                    st.rerun()
if courante and peut(moi, "rouvrir_depot"):
    with st.expander("Rouvrir le dépôt après la date limite"):
        with st.form("campagne_rouvrir"):
            donnees = champs_formulaire(RouvertureDepotForm, "campagne_rouvrir")
            if st.form_submit_button("Rouvrir le dépôt"):
                if executer_etape("rouvrir_depot", donnees, campagne_id=courante.id):
                    st.rerun()
