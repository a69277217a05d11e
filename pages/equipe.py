"""A head's team: the delegate who prepares the dossier (cannot file it) and the atelier's intervenants, invited to
their own accounts and withdrawn (account deactivated, history kept)."""

import streamlit as st

from pages._commun.actions import ecrire
from pages._commun.tour import cle_de_formulaire, formulaire_suivant, lecture, page
from workflow import comptes

moi = page()
st.title("Équipe")
st.caption("Les personnes que vous invitez reçoivent un lien par courriel pour choisir leur mot de passe (aucun mot de "
           "passe n'est envoyé). Un délégué prépare le dossier de candidature ; vous seul le déposez.")
with lecture() as s:
    membres = comptes.equipe(s, moi)
    invitables = comptes.intervenants_invitables(s, moi)

if membres:
    st.dataframe([{"Nom": m.nom, "Identifiant": m.identifiant,
                   "Rôle": "délégué (prépare, ne dépose pas)" if m.prepare_seulement else m.role.libelle,
                   "État": ("actif" if m.mot_de_passe_choisi else "invité (mot de passe à choisir)") if m.actif else "retiré",
                   "Dernière connexion": f"{m.derniere_connexion:%d/%m/%Y %H:%M}" if m.derniere_connexion else "—"}
                  for m in membres], hide_index=True, width="stretch")
else:
    st.info("Personne n'a encore été invité dans l'équipe de votre école.")

st.header("Inviter un délégué")
base = "equipe_delegue"
with st.form(cle_de_formulaire(base)):
    nom = st.text_input("Nom et prénom", key=cle_de_formulaire(f"{base}_nom"))
    courriel = st.text_input("Adresse électronique", key=cle_de_formulaire(f"{base}_courriel"))
    if st.form_submit_button("Inviter le délégué", type="primary"):
        if ecrire("Inviter un délégué", journal_action="inviter_delegue", relancer=False,
                  operation=lambda s: comptes.inviter_delegue(s, moi, {"identifiant": courriel, "nom_affiche": nom}),
                  succes=f"Invitation envoyée à {courriel.strip()}.") is not None:
            formulaire_suivant(base)

st.header("Inviter un intervenant de l'atelier")
sans_compte = [i for i in invitables if not i.a_un_compte]
if not sans_compte:
    st.caption("Tous les intervenants engagés sur l'atelier de votre école ont un compte (ou aucun n'est encore engagé).")
else:
    with st.form("equipe_intervenant"):
        choix = st.selectbox("Intervenant engagé", sans_compte, format_func=lambda i: f"{i.nom} ({i.email or 'sans adresse'})",
                             key="equipe_intervenant_choix")
        adresse = st.text_input("Adresse électronique (si différente de sa fiche)", key="equipe_intervenant_courriel")
        if st.form_submit_button("Inviter l'intervenant", type="primary"):
            ecrire("Inviter un intervenant", journal_action="inviter_intervenant",
                   operation=lambda s: comptes.inviter_intervenant(s, moi, choix.id, adresse),
                   succes=f"Invitation envoyée à {choix.nom}.")

actifs = [m for m in membres if m.actif]
if actifs:
    st.header("Retirer un membre")
    retire = st.selectbox("Membre", actifs, format_func=lambda m: f"{m.nom} ({m.identifiant})", key="equipe_retirer_choix")
    if st.button("Retirer de l'équipe", key="equipe_retirer"):
        ecrire("Retirer un membre de l'équipe", journal_action="retirer_membre",
               operation=lambda s: comptes.retirer_membre(s, moi, retire.id),
               succes=f"{retire.nom} est retiré de l'équipe : son compte est désactivé, son historique est gardé.")
