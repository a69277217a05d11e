"""Accounts in headless Chromium: the administrator creates a head's account, the link of the mail (read from the
outbox) is opened without signing in, a password is chosen, the head signs in; an account the administrator
deactivates can no longer sign in, and is told so in French."""

import re
import sqlite3
from pathlib import Path

import pytest

from demarrage.demo import ECOLE_PORTEUR
from tests.support.chromium import MOT_DE_PASSE, attendre, connecter, sans_traceback, serveur_demo
from workflow.noyau.auth import COMPTE_DESACTIVE

pytestmark = pytest.mark.navigateur

CAPTURES = Path("/tmp/captures")
NOUVEAU = "nouveau.directeur@ac-toulouse.fr"
CHOISI = "Les tilleuls fleurissent en 2026 !"


@pytest.fixture(scope="module")
def serveur(tmp_path_factory):
    donnees = tmp_path_factory.mktemp("app")
    with serveur_demo(donnees) as url:
        yield url, donnees


def _jeton_de_la_boite(donnees: Path, destinataire: str) -> str:
    with sqlite3.connect(donnees / "oepre.sqlite") as base:
        (corps,) = base.execute("SELECT corps FROM notification WHERE destinataire = ? ORDER BY id DESC LIMIT 1",
                                (destinataire,)).fetchone()
    return re.search(r"/mot_de_passe\?jeton=([A-Za-z0-9_\-]+)", corps).group(1)


def _se_connecter(navigateur, url: str, identifiant: str, mot_de_passe: str):
    page = navigateur.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.get_by_label("Identifiant (adresse électronique)").fill(identifiant)
    page.get_by_label("Mot de passe", exact=True).fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    return page


def test_creation_lien_mot_de_passe_connexion_puis_desactivation(serveur, navigateur):
    from playwright.sync_api import expect

    url, donnees = serveur
    admin = connecter(navigateur, url, "admin@ac-toulouse.fr")
    admin.get_by_role("link", name="Comptes").click()
    expect(admin.get_by_role("heading", name="Comptes")).to_be_visible(timeout=30000)
    formulaire = admin.locator("[data-testid='stForm']").first
    formulaire.get_by_label("Adresse électronique", exact=True).fill(NOUVEAU)
    formulaire.get_by_label("Nom", exact=True).fill("Marc Nouveau, directeur")
    formulaire.get_by_label("UAI", exact=True).fill(ECOLE_PORTEUR)
    formulaire.get_by_role("button", name="Créer le compte").click()
    expect(admin.get_by_text(f"Compte {NOUVEAU} créé")).to_be_visible(timeout=30000)
    attendre(admin)

    # The person opens the link of their mail, without signing in, and chooses a password.
    jeton = _jeton_de_la_boite(donnees, NOUVEAU)
    lien = navigateur.new_page(viewport={"width": 1200, "height": 900})
    lien.goto(f"{url}/mot_de_passe?jeton={jeton}")
    expect(lien.get_by_text(NOUVEAU)).to_be_visible(timeout=30000)
    lien.get_by_label("Nouveau mot de passe", exact=True).fill(CHOISI)
    lien.get_by_label("Confirmez le mot de passe", exact=True).fill(CHOISI)
    lien.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(lien.get_by_text("Mot de passe enregistré")).to_be_visible(timeout=30000)
    sans_traceback(lien)
    lien.goto(f"{url}/mot_de_passe?jeton={jeton}")  # a second use is refused
    expect(lien.get_by_text("Ce lien a déjà servi")).to_be_visible(timeout=30000)
    lien.close()

    tete = _se_connecter(navigateur, url, NOUVEAU, CHOISI)
    expect(tete.get_by_role("button", name="Se déconnecter")).to_be_visible(timeout=30000)
    expect(tete.get_by_role("link", name="Équipe")).to_be_visible()
    tete.close()

    # The list shows the new account's last sign-in (the capture of the accounts page, filtered on the school).
    admin.get_by_role("link", name="Comptes").click()
    attendre(admin)
    admin.get_by_label("Périmètre (UAI, département ou « academie »)").fill(ECOLE_PORTEUR)
    admin.get_by_label("Périmètre (UAI, département ou « academie »)").press("Enter")
    expect(admin.get_by_text("3 compte(s).")).to_be_visible(timeout=30000)
    attendre(admin)
    admin.get_by_role("heading", name="Comptes").scroll_into_view_if_needed()
    CAPTURES.mkdir(parents=True, exist_ok=True)
    admin.screenshot(path=CAPTURES / "comptes.png")
    admin.get_by_label("Périmètre (UAI, département ou « academie »)").fill("")
    admin.get_by_label("Périmètre (UAI, département ou « academie »)").press("Enter")
    attendre(admin)

    # The administrator deactivates an account: its sign-in is refused, in French.
    admin.get_by_label("Rechercher (nom ou adresse)").fill("casnav@")
    admin.get_by_label("Rechercher (nom ou adresse)").press("Enter")
    attendre(admin)
    admin.get_by_role("tab", name="Modifier, désactiver, envoyer un lien").click()
    admin.get_by_role("button", name="Désactiver le compte").click()
    expect(admin.get_by_text("Compte casnav@ac-toulouse.fr désactivé")).to_be_visible(timeout=30000)
    refuse = _se_connecter(navigateur, url, "casnav@ac-toulouse.fr", MOT_DE_PASSE)
    expect(refuse.get_by_text(COMPTE_DESACTIVE)).to_be_visible(timeout=30000)
    expect(refuse.get_by_role("button", name="Se déconnecter")).to_have_count(0)
    sans_traceback(refuse)
    refuse.close()
    admin.close()
