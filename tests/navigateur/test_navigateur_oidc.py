"""Sign-in through the State's identity provider, end to end in Chromium against a real OpenID Connect provider on
loopback (oidc-provider-mock): a head signs in and lands on her own pages, an unknown e-mail is refused in French, an
expired session asks to sign in again (a new tab too), and two app processes behind one address (the same database,
the same cookie secret) accept each other's sessions. The local passwords stay beside the provider's button."""

import sqlite3
import time
from contextlib import ExitStack

import pytest
from playwright.sync_api import expect

from tests.support.chromium import MOT_DE_PASSE, attendre, liens_du_menu, port_libre, sans_traceback, serveur_demo
from tests.support.oidc import fournisseur_oidc, reglages_oidc, relais

pytestmark = pytest.mark.navigateur

DIRECTRICE = "directrice.tilleuls@ac-toulouse.fr"
BOUTON = "Se connecter avec ProConnect"


@pytest.fixture(scope="module")
def deux_instances(tmp_path_factory):
    """Two app processes on one database and one data folder, behind one address (the relay), signing in through one
    provider; the relay sends new connections to the first one until a test switches it."""
    donnees = tmp_path_factory.mktemp("oidc")
    with ExitStack() as pile, fournisseur_oidc() as fournisseur:
        port_a, port_b = port_libre(), port_libre()
        r = pile.enter_context(relais(port_a))
        reglages = reglages_oidc(fournisseur, f"http://127.0.0.1:{r.port}")
        premiere = ExitStack()
        pile.callback(premiere.close)
        premiere.enter_context(serveur_demo(donnees, reglages=reglages, port=port_a))
        pile.enter_context(serveur_demo(donnees, reglages=reglages, port=port_b))
        yield {"url": f"http://127.0.0.1:{r.port}", "relais": r, "port_b": port_b, "donnees": donnees,
               "arreter_la_premiere": premiere.close}


def _par_le_fournisseur(page, courriel: str) -> None:
    """The provider's button, then its authorization form: the subject typed is the e-mail claim."""
    page.get_by_role("button", name=BOUTON).click()
    page.locator("input[name=sub]").fill(courriel)
    page.get_by_role("button", name="Authorize").click()


def _connectee(page, nom: str) -> None:
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible(timeout=30000)
    expect(page.get_by_test_id("stSidebar").get_by_text(nom)).to_be_visible()
    attendre(page)
    sans_traceback(page)


def _journal(donnees, action: str) -> list[tuple]:
    with sqlite3.connect(donnees / "oepre.sqlite") as base:
        return base.execute("select objet, details from journalaudit where action = ? order by id", (action,)).fetchall()


def test_une_directrice_se_connecte_par_le_fournisseur(deux_instances, navigateur):
    page = navigateur.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(deux_instances["url"])
    expect(page.get_by_label("Mot de passe", exact=True)).to_be_visible(timeout=30000)  # the local sign-in stays
    _par_le_fournisseur(page, "  Directrice.Tilleuls@AC-Toulouse.fr")  # the case of the provider's e-mail is not OEPRE's
    _connectee(page, "Claire Martin")
    liens = liens_du_menu(page)
    assert "Dossier de candidature" in liens  # a head's own pages
    assert "Comptes" not in liens
    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()
    assert any(objet == DIRECTRICE and '"oidc"' in details for objet, details in _journal(deux_instances["donnees"], "connexion"))
    page.get_by_role("link", name="Circuit du dossier").click()  # just her pages: she reads on, files nothing
    expect(page.get_by_role("heading", name="Circuit du dossier")).to_be_visible(timeout=30000)
    sans_traceback(page)
    # Signing out ends the provider's session too (its end-of-session page), and a reload no longer signs her in.
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("button", name=BOUTON)).to_be_visible(timeout=30000)
    page.reload()
    expect(page.get_by_role("button", name=BOUTON)).to_be_visible(timeout=30000)
    expect(page.get_by_role("button", name="Se déconnecter", exact=True)).to_have_count(0)
    page.close()


def test_une_adresse_inconnue_est_refusee_en_francais(deux_instances, navigateur):
    page = navigateur.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(deux_instances["url"])
    _par_le_fournisseur(page, "inconnue@ac-toulouse.fr")
    expect(page.get_by_text("Aucun compte OEPRE n'est ouvert à l'adresse inconnue@ac-toulouse.fr")).to_be_visible(timeout=30000)
    expect(page.get_by_role("button", name="Se déconnecter", exact=True)).to_have_count(0)
    sans_traceback(page)
    assert ("inconnue@ac-toulouse.fr",) in [(o,) for o, _ in _journal(deux_instances["donnees"], "connexion_refusee")]
    # Its provider session is closed (the provider's end-of-session page), and the sign-in page is back, whole.
    page.get_by_role("button", name="Se déconnecter du fournisseur d'identité").click()
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("button", name=BOUTON)).to_be_visible(timeout=30000)
    expect(page.get_by_text("Aucun compte OEPRE")).to_have_count(0)
    # The local password still opens an account in the same browser.
    page.get_by_label("Identifiant (adresse électronique)").fill("dsden31@ac-toulouse.fr")
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    _connectee(page, "IEN IO de la Haute-Garonne")
    page.close()


def test_une_session_ouverte_sur_une_instance_vaut_sur_l_autre(deux_instances, navigateur):
    contexte = navigateur.new_context(viewport={"width": 1400, "height": 1000})
    page = contexte.new_page()
    page.goto(deux_instances["url"])
    _par_le_fournisseur(page, "pilote@ac-toulouse.fr")
    _connectee(page, "Conseiller technique EVS")
    # The first process stops; the address now reaches the second one, which reads the same signed cookie.
    deux_instances["relais"].cible = deux_instances["port_b"]
    deux_instances["arreter_la_premiere"]()
    autre = contexte.new_page()
    autre.goto(deux_instances["url"] + "/decisions")
    _connectee(autre, "Conseiller technique EVS")
    expect(autre.get_by_role("heading", name="Comité de pilotage")).to_be_visible(timeout=30000)
    contexte.close()


def test_une_session_expiree_demande_de_se_reconnecter(tmp_path, navigateur):
    with fournisseur_oidc() as fournisseur:
        port = port_libre()
        reglages = reglages_oidc(fournisseur, f"http://127.0.0.1:{port}", session_minutes="1")
        with serveur_demo(tmp_path, reglages=reglages, port=port) as url:
            contexte = navigateur.new_context(viewport={"width": 1400, "height": 1000})
            page = contexte.new_page()
            page.goto(url)
            _par_le_fournisseur(page, DIRECTRICE)
            _connectee(page, "Claire Martin")
            time.sleep(62)  # OEPRE_SESSION_MINUTES=1, the app's own inactivity rule
            page.get_by_role("link", name="Circuit du dossier").click()
            expect(page.get_by_text("Votre session a expiré")).to_be_visible(timeout=30000)
            expect(page.get_by_role("button", name=BOUTON)).to_be_visible()
            expect(page.get_by_role("button", name="Se déconnecter", exact=True)).to_have_count(0)
            # A new tab holds the provider's cookie, signed more than the delay ago: it is not enough either.
            autre = contexte.new_page()
            autre.goto(url)
            expect(autre.get_by_text("Votre session a expiré")).to_be_visible(timeout=30000)
            expect(autre.get_by_role("button", name="Se déconnecter", exact=True)).to_have_count(0)
            sans_traceback(autre)
            # Signing in again at the provider opens the session anew.
            _par_le_fournisseur(autre, DIRECTRICE)
            _connectee(autre, "Claire Martin")
            contexte.close()
