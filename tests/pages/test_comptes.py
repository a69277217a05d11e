"""The accounts' pages through AppTest: the administrator's « Comptes », the head's « Équipe », the public page where a
password link lands, and the outbox that never shows a link's token."""

import re

import pytest
from sqlmodel import select

from db.models import Notification, Utilisateur
from demarrage.demo import ECOLE_PORTEUR
from forms.vocabulaire import Role
from tests.support.appli import bouton, ouvrir_application, textes_de
from workflow import comptes
from workflow.noyau.auth import acteur_de, authentifier

BON = "Une phrase de passe 2025 !"


def _jeton(session, identifiant: str) -> str:
    session.expire_all()
    n = session.exec(select(Notification).where(Notification.destinataire == identifiant).order_by(Notification.id.desc())).first()
    return re.search(r"jeton=([A-Za-z0-9_\-]+)", n.corps).group(1)


def _page(acteur, fichier: str):
    at = ouvrir_application(acteur)
    at.switch_page(fichier).run()
    assert not at.exception, at.exception
    return at


def test_la_liste_se_filtre_et_montre_la_derniere_connexion(demo, acteurs):
    authentifier(demo, "pilote@ac-toulouse.fr", "oepre-demo-2025")
    at = _page(acteurs["admin"], "pages/comptes.py")
    (tableau,) = at.dataframe
    assert len(tableau.value) == demo.exec(select(Utilisateur)).all().__len__()
    ligne = tableau.value[tableau.value["Identifiant"] == "pilote@ac-toulouse.fr"].iloc[0]
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", ligne["Dernière connexion"])
    at.selectbox(key="comptes_role").set_value(Role.DSDEN).run()
    assert set(at.dataframe[0].value["Identifiant"]) == {"dsden31@ac-toulouse.fr", "dsden81@ac-toulouse.fr"}
    at.selectbox(key="comptes_role").set_value(None).run()
    at.text_input(key="comptes_perimetre").input("81").run()
    assert set(at.dataframe[0].value["Identifiant"]) == {"dsden81@ac-toulouse.fr", "principal.jaures@ac-toulouse.fr",
                                                         "gestionnaire.jaures@ac-toulouse.fr"}
    at.text_input(key="comptes_perimetre").input("").run()
    at.text_input(key="comptes_recherche").input("jaures").run()
    assert set(at.dataframe[0].value["Identifiant"]) == {"principal.jaures@ac-toulouse.fr", "gestionnaire.jaures@ac-toulouse.fr"}


def test_creer_un_compte_par_la_page(demo, acteurs):
    at = _page(acteurs["admin"], "pages/comptes.py")
    at.text_input(key="comptes_creer_identifiant").input("nouvelle.directrice@ac-toulouse.fr")
    at.text_input(key="comptes_creer_nom").input("Inès Nouvelle")
    at.selectbox(key="comptes_creer_role").set_value(Role.PORTEUR)
    at.text_input(key="comptes_creer_uai").input("0310000")  # a wrong UAI: refused, nothing lost
    bouton(at, "Créer le compte").click().run()
    assert any("UAI" in e.value for e in at.error), textes_de(at)
    assert at.text_input(key="comptes_creer_nom").value == "Inès Nouvelle"
    assert demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "nouvelle.directrice@ac-toulouse.fr")).first() is None
    at.text_input(key="comptes_creer_uai").input(ECOLE_PORTEUR)
    bouton(at, "Créer le compte").click().run()
    assert any("créé" in s.value for s in at.success), textes_de(at)
    demo.expire_all()
    u = demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "nouvelle.directrice@ac-toulouse.fr")).one()
    assert (u.role, u.uai, u.actif) == ("porteur", ECOLE_PORTEUR, True)
    assert demo.exec(select(Notification).where(Notification.destinataire == u.identifiant)).one().type_notification == "lien_compte"


def test_desactiver_puis_reactiver_par_la_page(demo, acteurs):
    at = _page(acteurs["admin"], "pages/comptes.py")
    at.text_input(key="comptes_recherche").input("casnav@").run()
    bouton(at, "Désactiver le compte").click().run()
    demo.expire_all()
    assert not demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "casnav@ac-toulouse.fr")).one().actif
    at.switch_page("pages/comptes.py").run()
    assert "désactivé" in textes_de(at)
    bouton(at, "Réactiver le compte").click().run()
    demo.expire_all()
    assert demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "casnav@ac-toulouse.fr")).one().actif


def test_la_page_du_lien_choisit_le_mot_de_passe(demo, acteurs):
    comptes.envoyer_lien(demo, acteurs["admin"], acteurs["daeps"].id)
    jeton = _jeton(demo, "daeps@ac-toulouse.fr")
    at = ouvrir_application()
    at.query_params["jeton"] = jeton
    at.switch_page("pages/mot_de_passe.py").run()
    assert not at.exception, at.exception
    assert "daeps@ac-toulouse.fr" in textes_de(at)
    at.text_input(key="mdp_nouveau").input("faible")
    at.text_input(key="mdp_confirmation").input("faible")
    bouton(at, "Enregistrer le mot de passe").click().run()
    assert any("au moins 12" in e.value for e in at.error)
    at.text_input(key="mdp_nouveau").input(BON)
    at.text_input(key="mdp_confirmation").input(BON)
    bouton(at, "Enregistrer le mot de passe").click().run()
    at.switch_page("pages/mot_de_passe.py").run()
    assert "Mot de passe enregistré" in textes_de(at)
    assert authentifier(demo, "daeps@ac-toulouse.fr", BON).role == Role.DAEPS
    again = ouvrir_application()
    again.query_params["jeton"] = jeton
    again.switch_page("pages/mot_de_passe.py").run()
    assert [e.value for e in again.error] == [comptes.LIEN_UTILISE]


@pytest.mark.parametrize("jeton", ["", "inconnu", "x" * 43])
def test_un_lien_faux_dit_pourquoi(demo, jeton):
    at = ouvrir_application()
    at.query_params["jeton"] = jeton
    at.switch_page("pages/mot_de_passe.py").run()
    assert not at.exception and [e.value for e in at.error] == [comptes.LIEN_INCONNU]
    assert not at.text_input


def test_la_boite_d_envoi_ne_montre_pas_le_jeton(demo, acteurs):
    comptes.envoyer_lien(demo, acteurs["admin"], acteurs["pilote"].id)
    jeton = _jeton(demo, "pilote@ac-toulouse.fr")
    at = _page(acteurs["admin"], "pages/courriels.py")
    textes = [t.value for t in at.text] + [textes_de(at)]
    assert any("mot_de_passe?jeton=" in t for t in textes) and not any(jeton in t for t in textes)


def test_l_equipe_du_directeur(demo, acteurs):
    at = _page(acteurs["porteur"], "pages/equipe.py")
    assert "Personne n'a encore été invité" in textes_de(at)
    at.text_input(key="equipe_delegue_nom").input("Léo Adjoint")
    at.text_input(key="equipe_delegue_courriel").input("pas une adresse")
    bouton(at, "Inviter le délégué").click().run()
    assert at.error and at.text_input(key="equipe_delegue_nom").value == "Léo Adjoint"
    at.text_input(key="equipe_delegue_courriel").input("leo.adjoint@ac-toulouse.fr")
    bouton(at, "Inviter le délégué").click().run()
    assert any("Invitation envoyée" in s.value for s in at.success), textes_de(at)
    at.switch_page("pages/equipe.py").run()
    assert list(at.dataframe[0].value["Identifiant"]) == ["leo.adjoint@ac-toulouse.fr"]
    bouton(at, "Retirer de l'équipe").click().run()
    demo.expire_all()
    assert not demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "leo.adjoint@ac-toulouse.fr")).one().actif


def test_le_delegue_ne_constitue_pas_l_equipe(demo):
    delegue = acteur_de(demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "enseignante.tilleuls@ac-toulouse.fr")).one())
    at = _page(delegue, "pages/equipe.py")
    assert any("constituée par son directeur" in e.value for e in at.error)
