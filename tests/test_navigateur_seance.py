"""Issue 13 in headless Chromium: the head of the Tarn college records a séance and double-clicks « Enregistrer » (then
clicks it once more): the séance is stored once, the séances list and the service fait show it once (2 h, not 4 h)."""

import pytest

from tests.navigateur import ARTEFACTS, attendre, connecter, serveur_demo

pytestmark = pytest.mark.navigateur


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    with serveur_demo(tmp_path_factory.mktemp("seance"), date_du_jour="2026-01-13", semis="tests.semis_atelier") as adresse:
        yield adresse


def test_double_clic_sur_enregistrer_une_seule_seance(navigateur, url):
    from playwright.sync_api import expect

    page = connecter(navigateur, url, "principal.jaures@ac-toulouse.fr")
    page.get_by_role("link", name="Séances et émargement").click()
    attendre(page)
    expect(page.get_by_text("Présences (4 inscrit(s))")).to_be_visible(timeout=30000)
    page.get_by_label("Contenu", exact=True).fill("Se présenter ; le cahier de liaison.")
    page.get_by_text("Amina Haddad", exact=True).click()
    bouton = page.get_by_role("button", name="Enregistrer la séance")
    bouton.scroll_into_view_if_needed()
    bouton.dblclick()
    expect(page.get_by_text("2 h réalisées sur 140 h financées")).to_be_visible(timeout=60000)
    attendre(page)
    # Cleared after the success: nothing ticked, nothing typed; the same séance clicked again is refused.
    expect(page.get_by_label("Contenu", exact=True)).to_have_value("")
    expect(page.get_by_role("checkbox", name="Amina Haddad")).not_to_be_checked()
    page.get_by_role("button", name="Enregistrer la séance").click()
    expect(page.get_by_text("Cette séance est déjà enregistrée").first).to_be_visible(timeout=30000)
    expect(page.get_by_text("2 h réalisées sur 140 h financées")).to_be_visible()
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTEFACTS / "seance-double-clic.png", full_page=True)

    page.get_by_role("link", name="Service fait et paie").click()
    attendre(page)
    expect(page.get_by_text("Sofia ÁLVAREZ — 2 h, 59,08 € brut — à certifier")).to_be_visible(timeout=30000)
    page.screenshot(path=ARTEFACTS / "seance-double-clic-service-fait.png", full_page=True)
