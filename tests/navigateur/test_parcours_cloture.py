"""Issue 5 in headless Chromium on a generated year (60 ateliers, 900 parents): the head of a school transmits
her bilan pédagogique from the pre-filled worksheet; the DAEPS follows the bilans and reads the indicators'
charts; anyone sees the public map. Screenshots in tests/artefacts/."""

import pytest

from tests.support.chromium import ARTEFACTS, attendre, connecter, serveur_demo
from tests.support.semis_annee import DIRECTRICE

pytestmark = pytest.mark.navigateur


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    with serveur_demo(tmp_path_factory.mktemp("cloture"), date_du_jour="2026-07-02", semis="tests.support.semis_annee") as adresse:
        yield adresse


def _aller(page, titre: str) -> None:
    page.get_by_role("link", name=titre).click()
    attendre(page)


def test_bilan_transmis_par_la_directrice(navigateur, url):
    from playwright.sync_api import expect

    page = connecter(navigateur, url, DIRECTRICE, viewport=(1400, 3000))
    _aller(page, "Bilans de fin d'année")
    expect(page.get_by_text("1. Groupes et heures")).to_be_visible(timeout=30000)
    page.get_by_label("Contenus et supports par axe", exact=True).fill("Dialogues à l'école ; lecture du cahier de liaison.")
    ARTEFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(1500)
    page.screenshot(path=ARTEFACTS / "cloture-1-bilan-pedagogique.png", full_page=True)
    page.get_by_role("button", name="Transmettre le bilan pédagogique").click()
    expect(page.get_by_text("Transmis le 2 juillet 2026.")).to_be_visible(timeout=60000)


def test_indicateurs_et_suivi_des_bilans_par_la_daeps(navigateur, url):
    from playwright.sync_api import expect

    page = connecter(navigateur, url, "daeps@ac-toulouse.fr", viewport=(1400, 2600))
    _aller(page, "Indicateurs")
    expect(page.get_by_text("Parents inscrits").first).to_be_visible(timeout=30000)
    graphiques = page.locator("[data-testid='stVegaLiteChart']")
    expect(graphiques).to_have_count(3, timeout=30000)
    graphiques.last.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # Vega draws after the element appears
    page.screenshot(path=ARTEFACTS / "cloture-2-indicateurs.png", full_page=True)
    _aller(page, "Bilans de fin d'année")
    expect(page.get_by_text("Ateliers financés")).to_be_visible(timeout=30000)
    page.screenshot(path=ARTEFACTS / "cloture-3-suivi-des-bilans.png", full_page=True)


def test_carte_publique(navigateur, url):
    from playwright.sync_api import expect

    page = navigateur.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/carte")
    expect(page.get_by_text("Carte des ateliers OEPRE")).to_be_visible(timeout=30000)
    expect(page.locator("[data-testid='stDeckGlJsonChart']")).to_be_visible(timeout=30000)
    page.wait_for_timeout(1500)
    page.screenshot(path=ARTEFACTS / "cloture-4-carte-publique.png", full_page=True)
    assert "Nom1" not in page.content()  # no parent on the public page


def test_boite_d_envoi_et_echec_d_envoi(navigateur, url):
    from playwright.sync_api import expect

    page = connecter(navigateur, url, "pilote@ac-toulouse.fr", viewport=(1400, 1400))
    _aller(page, "Boîte d'envoi")
    expect(page.get_by_text("Aucun serveur de messagerie n'est configuré")).to_be_visible(timeout=30000)
    page.get_by_label("Lire un message").click()
    page.get_by_role("option", name="secretariat@ecole-inconnue.fr", exact=False).click()
    attendre(page)
    expect(page.get_by_text("Échec après 1 essai(s) : Adresse refusée par le serveur (550 5.1.1 Destinataire inconnu)")
           ).to_be_visible(timeout=30000)
    page.screenshot(path=ARTEFACTS / "cloture-5-boite-d-envoi.png", full_page=True)
