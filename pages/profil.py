"""The académie's profile: its own rules for a group, its CASNAV antennas, the booklet's contacts directory and the
regulatory references of its campaigns; edited by the admin or the pilote (workflow.noyau.profil)."""

import streamlit as st

from forms.profil import ProfilAcademieForm
from forms.vocabulaire import RubriqueContact
from pages._commun.actions import ecrire
from pages._commun.formulaires import champs_formulaire
from pages._commun.tour import page, session
from workflow.etapes import peut
from workflow.noyau import profil as profils
from workflow.noyau import requetes
from workflow.noyau.format import heures

moi = page()
academie = profils.academie_de(moi)
with session() as s:
    profil = profils.profil_de(s, academie)
    departements = requetes.departements(s, academie)
st.title("Profil de l'académie")
st.caption("Les règles propres à l'académie (heures et effectif d'un groupe), les antennes du CASNAV et l'annuaire des "
           "contacts du livret d'accompagnement. Le formulaire de campagne les propose par défaut, le dépôt d'un dossier "
           "les vérifie, l'appel à projets et les notifications impriment les contacts et les références.")
if profil.version == 0:
    st.info("Ce profil n'a jamais été enregistré : les règles nationales s'appliquent (60 h au moins par groupe, "
            "12 parents, textes nationaux).", icon=":material/info:")

maximum = f"{heures(profil.heures_max_par_groupe)} h au plus" if profil.heures_max_par_groupe else "pas de maximum propre"
st.markdown(f"**Heures par groupe** : au moins {heures(profil.heures_min_par_groupe)} h, {maximum}  \n"
            f"**Effectif minimum par groupe** : {profil.taille_groupe_min} parents  \n"
            f"**Départements** : {', '.join(f'{d.nom} ({d.code})' for d in departements)}")
if profil.contacts:
    st.dataframe([{"Rubrique": RubriqueContact(c["rubrique"]).libelle, "Dép.": c.get("departement") or "—",
                   "Nom ou service": c["nom"], "Fonction": c.get("fonction", ""), "Courriel": c.get("courriel", ""),
                   "Téléphone": c.get("telephone", "")} for c in profil.contacts], hide_index=True, width="stretch")

if not peut(moi, "modifier_profil_academie"):
    st.stop()

# The version this session read: someone saving the profile meanwhile makes the next save a conflict.
cle_version = f"profil_version_{academie}"
if cle_version not in st.session_state:
    st.session_state[cle_version] = profil.version
st.header("Modifier le profil")
with st.form("profil"):
    donnees = champs_formulaire(ProfilAcademieForm, "profil", profils.valeurs_du_profil(profil))
    if st.form_submit_button("Enregistrer le profil", type="primary"):
        lue = st.session_state[cle_version]

        def enregistrer(s):
            enregistre = profils.modifier_profil_academie(s, moi, academie, lue, donnees)
            st.session_state[cle_version] = enregistre.version
            return enregistre

        ecrire("Enregistrer le profil de l'académie", enregistrer, journal_action="modifier_profil_academie",
               succes="Profil de l'académie enregistré : les prochaines campagnes et les prochains dépôts le suivent.")
if st.button("Recharger le profil enregistré", help="Abandonne ce qui est saisi et relit le profil enregistré."):
    for cle in [k for k in st.session_state if str(k).startswith("profil_")]:
        del st.session_state[cle]
    st.rerun()
