import streamlit as st

from forms.vocabulaire import EtatModele
from pages._commun.actions import ecrire
from pages._commun.tour import cle_de_formulaire, flash, formulaire_suivant, page, session
from workflow import modeles


def formater_instant(instant) -> str:
    return f"{instant:%d/%m/%Y %H:%M}"


moi = page()
st.title("Modèles de documents")
st.caption("Les documents de l'application sont produits avec les modèles de l'académie quand elle en a publié un, "
           "sinon avec le modèle intégré. Un modèle déposé est vérifié (balises, variables, filtres), rempli avec des "
           "données d'exemple et montré avant d'être publié ; chaque document garde la version qui l'a produit.")

types = modeles.types_de_document()
type_document = st.selectbox("Document", types, format_func=modeles.libelle_type, key="modeles_type")
onglet_versions, onglet_catalogue = st.tabs(["Versions", "Catalogue des variables"])

with onglet_versions:
    with session() as s:
        lignes = modeles.historique(s, moi, type_document)
    en_vigueur = next((ligne for ligne in lignes if ligne.en_vigueur), None)
    if en_vigueur is None or en_vigueur.integre:
        st.info("En vigueur : le modèle intégré à l'application.", icon=":material/description:")
    else:
        st.success(f"En vigueur : version {en_vigueur.version} (« {en_vigueur.nom_fichier} »), publiée le "
                   f"{formater_instant(en_vigueur.publie_at)} par {en_vigueur.publie_par}.", icon=":material/verified:")
    with session() as s:
        nom_integre, integre = modeles.fichier_modele(s, moi, type_document)
    st.download_button("Télécharger le modèle intégré", integre, file_name=nom_integre, key="modeles_integre",
                       icon=":material/download:")
    if lignes:
        st.dataframe([{"Version": ligne.version, "État": ligne.etat.libelle + (" — en vigueur" if ligne.en_vigueur else ""),
                       "Fichier": ligne.nom_fichier + (f" (restauration de la version {ligne.restaure_de})" if ligne.restaure_de else ""),
                       "Déposé par": ligne.depose_par, "Déposé le": formater_instant(ligne.depose_at),
                       "Publié par": ligne.publie_par if ligne.publie_at else "",
                       "Publié le": formater_instant(ligne.publie_at) if ligne.publie_at else ""} for ligne in lignes],
                     hide_index=True, width="stretch")
        fichiers = [ligne for ligne in lignes if not ligne.integre]
        if fichiers:
            choisie = st.selectbox("Version à télécharger", fichiers, format_func=lambda x: f"Version {x.version} — {x.nom_fichier}",
                                   key="modeles_telecharger_version")
            with session() as s:
                nom, contenu = modeles.fichier_modele(s, moi, type_document, choisie.id)
            st.download_button("Télécharger cette version", contenu, file_name=nom, key="modeles_telecharger",
                               icon=":material/download:")

    st.header("Déposer un nouveau modèle")
    st.caption(f"Un document Word (.docx, 10 Mo au plus), déposé comme modèle du document choisi plus haut "
               f"(« {modeles.libelle_type(type_document)} ») : partez du modèle intégré ou de votre propre modèle, et "
               "écrivez les variables du catalogue (onglet « Catalogue des variables »).")
    saisie = cle_de_formulaire("modeles_depot")  # a new, empty upload after a success: one click, one draft
    fichier = st.file_uploader("Modèle (.docx)", type=["docx"], key=f"{saisie}_fichier")
    if fichier is not None and st.button("Vérifier et déposer le modèle", key=f"{saisie}_deposer", type="primary"):
        depose = ecrire("Déposer le modèle", journal_action="deposer_modele", relancer=False,
                        operation=lambda s: modeles.deposer_modele(s, moi, type_document=type_document, nom=fichier.name,
                                                                   contenu=fichier.getvalue()))
        if depose is not None:
            flash("success", "Modèle vérifié et déposé comme brouillon : regardez l'aperçu, puis publiez-le.")
            formulaire_suivant("modeles_depot")
            st.rerun()

    for brouillon in [ligne for ligne in lignes if ligne.etat == EtatModele.BROUILLON]:
        with st.container(border=True):
            st.markdown(f"**Brouillon : version {brouillon.version}** — « {brouillon.nom_fichier} », déposé le "
                        f"{formater_instant(brouillon.depose_at)} par {brouillon.depose_par}")
            cle_apercu = f"modeles_apercu_{brouillon.id}"
            if cle_apercu not in st.session_state:
                with st.spinner("Aperçu : remplissage avec les données d'exemple et conversion en PDF…"), session() as s:
                    st.session_state[cle_apercu] = modeles.apercu_modele(s, moi, type_document, brouillon.id)
            images = st.session_state[cle_apercu]
            if images:
                st.caption("Aperçu des premières pages, remplies avec les données d'exemple du catalogue :")
                for colonne, image in zip(st.columns(len(images)), images, strict=True):
                    colonne.image(image, width="stretch")
            else:
                st.caption("Aperçu indisponible sur ce serveur : téléchargez la version pour la relire.")
            if st.button(f"Publier la version {brouillon.version}", key=f"modeles_publier_{brouillon.id}", type="primary"):
                ecrire("Publier le modèle", journal_action="publier_modele",
                       operation=lambda s, m=brouillon.id: modeles.publier_modele(s, moi, modele_id=m),
                       succes=f"Version {brouillon.version} publiée : les prochains documents la suivent.")

    restaurables = [ligne for ligne in lignes if ligne.etat == EtatModele.PUBLIE and not ligne.en_vigueur and not ligne.integre]
    if en_vigueur is not None:
        st.header("Restaurer une version précédente")
        st.caption("La version choisie redevient celle en vigueur, comme une nouvelle version : l'historique est gardé.")
        choix = st.selectbox("Version à remettre en vigueur", [None, *restaurables], key="modeles_restaurer_choix",
                             format_func=lambda x: "Le modèle intégré à l'application" if x is None
                             else f"Version {x.version} — {x.nom_fichier}")
        if st.button("Restaurer", key="modeles_restaurer"):
            ecrire("Restaurer le modèle", journal_action="restaurer_modele",
                   operation=lambda s: modeles.restaurer_modele(s, moi, type_document=type_document,
                                                                modele_id=choix.id if choix else None),
                   succes="Modèle restauré : les prochains documents le suivent.")

with onglet_catalogue:
    st.caption("Les variables que peut employer un modèle de ce document, tirées de son formulaire et du contexte commun "
               "à tous les documents, avec l'exemple qui remplit l'aperçu.")
    propres = modeles.catalogue_a_plat(type_document, communes=False)
    st.dataframe([{"Variable": modeles.ecriture(v), "Description": v.description + (" (obligatoire)" if v.obligatoire else ""),
                   "Type": v.type, "Exemple": v.exemple} for v in propres], hide_index=True, width="stretch")
    with st.expander("Variables de tous les documents (contexte commun)"):
        st.dataframe([{"Variable": modeles.ecriture(v), "Description": v.description, "Type": v.type, "Exemple": v.exemple}
                      for v in modeles.catalogue_a_plat(type_document) if v.commune], hide_index=True, width="stretch")
    st.header("Filtres")
    st.caption("Mise en forme française d'une valeur.")
    st.dataframe([{"Écriture": f.ecriture, "Ce qu'il imprime": f.description, "Exemple": f.exemple}
                  for f in modeles.filtres_disponibles()], hide_index=True, width="stretch")
    gauche, droite = st.columns(2)
    gauche.download_button("Catalogue complet (Word)", modeles.catalogue_docx(), file_name="catalogue-des-variables.docx",
                           key="modeles_catalogue_docx", icon=":material/download:")
    droite.download_button("Catalogue complet (CSV)", modeles.catalogue_csv(), file_name="catalogue-des-variables.csv",
                           mime="text/csv", key="modeles_catalogue_csv", icon=":material/download:")
