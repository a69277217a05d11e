"""The administrator's accounts: list with search and filters, creation with role and scope, CSV import of schools'
heads and staff, edition, deactivation and reactivation, and the link sent to choose or reset a password."""

import streamlit as st

from forms.comptes import perimetre_attendu
from forms.vocabulaire import Role
from pages._commun.actions import ecrire
from pages._commun.tour import cle_de_formulaire, formulaire_suivant, lecture, page
from workflow import comptes

moi = page()
st.title("Comptes")

filtres = st.columns([3, 2, 2, 2])
recherche = filtres[0].text_input("Rechercher (nom ou adresse)", key="comptes_recherche")
role = filtres[1].selectbox("Rôle", [None, *Role], format_func=lambda r: "Tous" if r is None else r.libelle, key="comptes_role")
perimetre = filtres[2].text_input("Périmètre (UAI, département ou « academie »)", key="comptes_perimetre")
actif = filtres[3].selectbox("État", [None, True, False], format_func=lambda a: {None: "Tous", True: "Actifs", False: "Désactivés"}[a],
                             key="comptes_actif")
with lecture() as s:
    lignes = comptes.comptes(s, moi, recherche=recherche, role=role, perimetre=perimetre, actif=actif)


def _connexion(c) -> str:
    if c.derniere_connexion:
        return f"{c.derniere_connexion:%d/%m/%Y %H:%M}"
    return "jamais" if c.mot_de_passe_choisi else "mot de passe à choisir"


st.caption(f"{len(lignes)} compte(s).")
st.dataframe([{"Identifiant": c.identifiant, "Périmètre": c.perimetre, "Actif": c.actif, "Dernière connexion": _connexion(c),
               "Rôle": c.role.libelle + (" (délégation)" if c.prepare_seulement else ""), "Nom": c.nom} for c in lignes],
             hide_index=True, width="stretch")


def champs_du_compte(base: str, depart: comptes.LigneCompte | None = None) -> dict:
    """The fields of an account's form (identity, role, scope), pre-filled from `depart`."""
    cle = cle_de_formulaire
    identifiant = st.text_input("Adresse électronique", value=depart.identifiant if depart else "", key=cle(f"{base}_identifiant"))
    nom = st.text_input("Nom", value=depart.nom if depart else "", key=cle(f"{base}_nom"))
    roles = list(Role)
    choisi = st.selectbox("Rôle", roles, index=roles.index(depart.role) if depart else 0, format_func=lambda r: r.libelle,
                          key=cle(f"{base}_role"))
    st.caption("Périmètre selon le rôle — porteur : un UAI ; DSDEN : un département ; gestionnaire : un UAI ou un "
               "département ; autres rôles : l'académie. " + f"(ce rôle : {perimetre_attendu(choisi)})")
    uai_depart = depart.perimetre if depart and not depart.perimetre.startswith(("département", "académie", "ses")) else ""
    dep_depart = depart.perimetre.removeprefix("département ") if depart and depart.perimetre.startswith("département") else ""
    colonnes = st.columns(2)
    uai = colonnes[0].text_input("UAI", value=uai_depart, key=cle(f"{base}_uai"))
    departement = colonnes[1].text_input("Département (code)", value=dep_depart, key=cle(f"{base}_departement"))
    delegation = st.checkbox("Prépare le dossier sans le déposer (délégation d'un porteur)",
                             value=depart.prepare_seulement if depart else False, key=cle(f"{base}_delegation"))
    return {"identifiant": identifiant, "nom_affiche": nom, "role": choisi.value, "uai": uai, "departement": departement,
            "prepare_seulement": delegation}


onglets = st.tabs(["Créer un compte", "Modifier, désactiver, envoyer un lien", "Importer (CSV)"])
with onglets[0]:
    base = "comptes_creer"
    with st.form(cle_de_formulaire(base)):
        donnees = champs_du_compte(base)
        envoyer = st.checkbox("Envoyer tout de suite le lien pour choisir le mot de passe", value=True,
                              key=cle_de_formulaire(f"{base}_envoyer"))
        if st.form_submit_button("Créer le compte", type="primary"):
            if ecrire("Créer un compte", journal_action="creer_compte", relancer=False,
                      operation=lambda s: comptes.creer_compte(s, moi, donnees, envoyer=envoyer),
                      succes=f"Compte {donnees['identifiant'].strip().lower()} créé"
                             + (" : le lien pour choisir le mot de passe est dans la boîte d'envoi." if envoyer else ".")) is not None:
                formulaire_suivant(base)

with onglets[1]:
    if not lignes:
        st.caption("Aucun compte ne répond aux filtres.")
    else:
        choix = st.selectbox("Compte", lignes, format_func=lambda c: f"{c.nom} — {c.identifiant}" + ("" if c.actif else " (désactivé)"),
                             key="comptes_choix")
        boutons = st.columns(3)
        if choix.actif:
            libelle = "Envoyer un lien de réinitialisation" if choix.mot_de_passe_choisi else "Envoyer le lien d'invitation"
            if boutons[0].button(libelle, key="comptes_lien"):
                ecrire("Envoyer un lien de mot de passe", journal_action="envoyer_lien_compte",
                       operation=lambda s: comptes.envoyer_lien(s, moi, choix.id),
                       succes=lambda lien: f"Lien envoyé à {choix.identifiant} (valable jusqu'au {lien.expire_at:%d/%m/%Y %H:%M} UTC, "
                                             "une seule fois). Les liens envoyés avant ne servent plus.")
            if boutons[1].button("Désactiver le compte", key="comptes_desactiver"):
                ecrire("Désactiver un compte", journal_action="desactiver_compte",
                       operation=lambda s: comptes.desactiver_compte(s, moi, choix.id),
                       succes=f"Compte {choix.identifiant} désactivé : la connexion est refusée, son historique est gardé.")
        elif boutons[1].button("Réactiver le compte", key="comptes_reactiver"):
            ecrire("Réactiver un compte", journal_action="reactiver_compte",
                   operation=lambda s: comptes.reactiver_compte(s, moi, choix.id),
                   succes=f"Compte {choix.identifiant} réactivé.")
        base = f"comptes_modifier_{choix.id}"
        with st.form(cle_de_formulaire(base)):
            donnees = champs_du_compte(base, choix)
            if st.form_submit_button("Enregistrer les modifications"):
                ecrire("Modifier un compte", journal_action="modifier_compte",
                       operation=lambda s: comptes.modifier_compte(s, moi, choix.id, donnees),
                       succes=f"Compte {donnees['identifiant'].strip().lower()} modifié.")

with onglets[2]:
    st.caption("Un fichier CSV en UTF-8 (séparateur « ; » ou « , »), une ligne par personne, avec l'en-tête "
               "« identifiant;nom;role;uai;prepare_seulement » : role « porteur » (directeur, ou enseignant délégué avec "
               "prepare_seulement « oui ») ou « gestionnaire ». Chacun reçoit un lien pour choisir son mot de passe. "
               "Un fichier comportant une erreur est refusé en entier, avec le numéro de ligne.")
    fichier = st.file_uploader("Fichier CSV", type=["csv"], key="comptes_import")
    if fichier is not None and st.button("Importer les comptes", key="comptes_importer", type="primary"):
        ecrire("Importer les comptes des écoles", journal_action="import_comptes", relancer=False,
               operation=lambda s: comptes.importer_comptes(s, moi, fichier.getvalue()),
               succes=lambda r: f"{r.crees} compte(s) créé(s) ; leurs liens sont dans la boîte d'envoi.")
