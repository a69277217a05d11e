"""Issue 13 in headless Chromium: links opened straight after a server restart, and every page of every role on the
real date with the demo data (`make run`: no fixed date, the demo of the current school year; screenshots liens-*.png
in tests/artefacts/)."""

import re
import sqlite3

import pytest

from demarrage.demo import ECOLE_PORTEUR
from tests.support.chromium import ARTEFACTS, MOT_DE_PASSE, attendre, connecter, liens_du_menu, sans_traceback, serveur_demo
from workflow.navigation import PAGES

pytestmark = pytest.mark.navigateur
PAR_TITRE = {p.titre: p for p in PAGES}


@pytest.fixture(scope="module")
def donnees(tmp_path_factory):
    """The demo seeded on the real date, served once then stopped: each test starts the server again on it."""
    dossier = tmp_path_factory.mktemp("liens")
    with serveur_demo(dossier):
        pass
    return dossier


def _tilleuls(donnees) -> int:
    with sqlite3.connect(donnees / "oepre.sqlite") as base:
        (identifiant,) = base.execute("SELECT id FROM dossier WHERE uai = ?", (ECOLE_PORTEUR,)).fetchone()
    return identifiant


def _ouvrir(navigateur, url: str, chemin: str, identifiant: str | None, titre: str) -> None:
    """A fresh browser goes straight to `chemin`: the sign-in page under that address (no menu of file names), then
    after signing in the page asked for, query included (the public map: at once)."""
    from playwright.sync_api import expect

    contexte = navigateur.new_context(viewport={"width": 1400, "height": 1000})
    page = contexte.new_page()
    page.goto(url + chemin)
    nom = chemin.strip("/").split("?")[0]
    if identifiant is not None:
        expect(page.get_by_text("Connectez-vous pour ouvrir la page demandée.")).to_be_visible(timeout=60000)
        sans_traceback(page)
        assert liens_du_menu(page) == {"Connexion", "Carte des ateliers"}, chemin  # not « app », « commun »…
        expect(page.get_by_text("Session expirée")).to_have_count(0)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        page.screenshot(path=ARTEFACTS / f"liens-redemarrage-{nom}-connexion.png", full_page=True)
        page.get_by_label("Identifiant (adresse électronique)").fill(identifiant)
        page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
        page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name=titre)).to_be_visible(timeout=60000)
    sans_traceback(page)
    if identifiant is None:
        assert liens_du_menu(page) == {"Connexion", "Carte des ateliers"}
    elif titre == "Tableau de bord":  # a page of another role
        expect(page.get_by_text("La page demandée n'est pas ouverte à votre rôle")).to_be_visible()
    else:
        assert page.url == url + chemin
    page.screenshot(path=ARTEFACTS / f"liens-redemarrage-{nom}-{(identifiant or 'public').split('@')[0]}.png", full_page=True)
    contexte.close()


def test_lien_direct_apres_redemarrage(navigateur, donnees):
    """The first link of each restart is the first request the server serves (the case where Streamlit served the
    files of pages/ by themselves); the next ones come after it."""

    ARTEFACTS.mkdir(exist_ok=True)
    with serveur_demo(donnees) as url:
        _ouvrir(navigateur, url, f"/dossier?id={_tilleuls(donnees)}", "dsden31@ac-toulouse.fr", "Dossiers")
        _ouvrir(navigateur, url, "/carte", None, "Carte des ateliers OEPRE")
    with serveur_demo(donnees) as url:
        _ouvrir(navigateur, url, "/comptes", "admin@ac-toulouse.fr", "Comptes")
        _ouvrir(navigateur, url, "/seances", "principal.jaures@ac-toulouse.fr", "Séances et émargement")
        # A head following a link to the accounts page lands on her dashboard, told so in French.
        _ouvrir(navigateur, url, "/comptes", "directrice.tilleuls@ac-toulouse.fr", "Tableau de bord")
        _adresse_inconnue(navigateur, url)


def _adresse_inconnue(navigateur, url: str) -> None:
    """A mistyped address: a French sentence above the sign-in page (not Streamlit's English « Page not found » dialog),
    then the dashboard once signed in."""
    from playwright.sync_api import expect

    contexte = navigateur.new_context(viewport={"width": 1400, "height": 1000})
    page = contexte.new_page()
    page.goto(url + "/dossiers-perdus")
    expect(page.get_by_text("Cette adresse ne correspond à aucune page du service : voici la page de connexion.")).to_be_visible(
        timeout=60000)
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    page.screenshot(path=ARTEFACTS / "liens-adresse-inconnue-connexion.png", full_page=True)
    page.get_by_label("Identifiant (adresse électronique)").fill("pilote@ac-toulouse.fr")
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible(timeout=60000)
    sans_traceback(page)
    contexte.close()


# The roles whose pages differ most by date (the head's application and séances, the intervenant's atelier, the DSDEN's
# opinions, the pilote's campaign and committee); every page of every role on the real date is also opened through
# AppTest (tests/pages/test_pages.py::test_chaque_page_de_chaque_role_a_la_date_du_jour), much faster than in Chromium.
UN_COMPTE_PAR_ROLE = ["directrice.tilleuls@ac-toulouse.fr", "intervenante@ac-toulouse.fr", "dsden31@ac-toulouse.fr",
                      "pilote@ac-toulouse.fr"]
ECHEANCE = re.compile(r"^(échéance passée|aujourd'hui|dans \d+ jour\(s\))$")


def test_chaque_role_sur_chaque_page_a_la_date_du_jour(navigateur, donnees):
    """No fixed date: each of these accounts opens every page of its menu; no traceback, no English « None », and where
    deadlines are shown they are not all past (the demo is this school year's)."""
    from playwright.sync_api import expect

    ARTEFACTS.mkdir(exist_ok=True)
    fautes = []
    vues = {"Circuit du dossier", "Carte des ateliers"}  # the same for every role: opened by the first one
    with serveur_demo(donnees) as url:
        for identifiant in UN_COMPTE_PAR_ROLE:
            page = connecter(navigateur, url, identifiant)
            for titre in sorted(liens_du_menu(page) - (vues if identifiant != UN_COMPTE_PAR_ROLE[0] else set())):
                page.get_by_role("link", name=titre, exact=True).click()
                expect(page.get_by_role("heading", name=titre).first).to_be_visible(timeout=30000)
                attendre(page)
                sans_traceback(page)
                texte = page.locator("[data-testid='stMain']").inner_text()
                if re.search(r"\bNone\b", texte):
                    fautes.append(f"{identifiant} — {titre} : « None »")
                for _ in range(10):  # the dashboard's five deadlines, once all drawn
                    echeances = [t.strip() for t in page.locator("[data-testid='stCaptionContainer']").all_inner_texts()
                                 if ECHEANCE.match(t.strip())]
                    if len(echeances) in (0, 5):
                        break
                    page.wait_for_timeout(300)
                if echeances and all(t == "échéance passée" for t in echeances):
                    fautes.append(f"{identifiant} — {titre} : toutes les échéances passées")
                if identifiant.startswith(("directrice", "pilote")) and PAR_TITRE[titre].url in (
                        "accueil", "campagne", "dossier", "paie"):
                    page.screenshot(path=ARTEFACTS / f"liens-jour-{identifiant.split('@')[0]}-{PAR_TITRE[titre].url}.png",
                                    full_page=True)
            page.close()
    assert fautes == []
