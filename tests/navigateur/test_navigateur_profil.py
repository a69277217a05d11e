"""Issue 16 item 4 in headless Chromium: the pilote edits the académie's profile and the campaign form proposes the
new minimum; Montpellier's pilote, in the same demo, sees Montpellier's campaign and rules only (screenshot of the
profile page: /tmp/captures/profil.png and tests/artefacts/profil.png)."""

from pathlib import Path

import pytest

from tests.support.chromium import ARTEFACTS, attendre, connecter, sans_traceback, serveur_demo

pytestmark = pytest.mark.navigateur
CAPTURES = Path("/tmp/captures")


def test_le_pilote_modifie_le_profil_et_la_campagne_le_propose(navigateur, tmp_path_factory):
    from playwright.sync_api import expect

    with serveur_demo(tmp_path_factory.mktemp("profil"), date_du_jour="2025-09-20") as url:
        page = connecter(navigateur, url, "pilote@ac-toulouse.fr", viewport=(1400, 1600))
        page.get_by_role("link", name="Profil de l'académie").click()
        expect(page.get_by_role("heading", name="Profil de l'académie")).to_be_visible(timeout=30000)
        attendre(page)
        champ = page.get_by_label("Heures minimum par groupe", exact=True)
        expect(champ).to_have_value("60,00", timeout=30000)
        champ.fill("75")
        page.get_by_role("button", name="Enregistrer le profil").click()
        expect(page.get_by_text("Profil de l'académie enregistré", exact=False)).to_be_visible(timeout=30000)
        expect(page.get_by_text("au moins 75 h", exact=False)).to_be_visible(timeout=30000)
        attendre(page)
        page.wait_for_timeout(1500)  # the contacts grid drawn
        sans_traceback(page)
        for dossier in (CAPTURES, ARTEFACTS):
            dossier.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=dossier / "profil.png", full_page=True)

        page.get_by_role("link", name="Campagne et appel à projets").click()
        expect(page.get_by_role("heading", name="Campagne et appel à projets")).to_be_visible(timeout=30000)
        page.get_by_text("Ouvrir la campagne suivante", exact=False).click()
        expect(page.get_by_label("Heures minimum par groupe", exact=True)).to_have_value("75,00", timeout=30000)
        sans_traceback(page)
        page.close()

        montpellier = connecter(navigateur, url, "pilote@ac-montpellier.fr")
        montpellier.get_by_role("link", name="Campagne et appel à projets").click()
        expect(montpellier.get_by_text("Heures par groupe : 90 à 120 h", exact=False)).to_be_visible(timeout=30000)
        montpellier.get_by_role("link", name="Dossiers").click()
        expect(montpellier.get_by_role("heading", name="Dossiers")).to_be_visible(timeout=30000)
        attendre(montpellier)
        montpellier.wait_for_timeout(1500)
        expect(montpellier.get_by_text("Tilleuls", exact=False)).to_have_count(0)  # Toulouse's dossiers stay Toulouse's
        sans_traceback(montpellier)
        montpellier.close()
