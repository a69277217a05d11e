"""Issue 13 in headless Chromium: the demo on 2026-12-01 is that school year's (its deadlines are not all past), and
in June, after the pilote opened next year's call, the Tarn college still runs its atelier on « Séances et émargement »
(screenshots campagnes-*.png in tests/artefacts/)."""

import pytest

from tests.support.chromium import ARTEFACTS, attendre, connecter, sans_traceback, serveur_demo

pytestmark = pytest.mark.navigateur


def test_demo_du_1er_decembre_2026(navigateur, tmp_path_factory):
    from playwright.sync_api import expect

    with serveur_demo(tmp_path_factory.mktemp("decembre"), date_du_jour="2026-12-01") as url:
        page = connecter(navigateur, url, "directrice.tilleuls@ac-toulouse.fr")
        expect(page.get_by_text("Campagne 2026-2027")).to_be_visible(timeout=30000)
        expect(page.get_by_text("Mon dossier")).to_be_visible(timeout=30000)
        attendre(page)
        page.wait_for_timeout(1500)  # the skeletons of the last elements drawn
        echeances = [t.strip() for t in page.locator("[data-testid='stCaptionContainer']").all_inner_texts()]
        passees = [t for t in echeances if t == "échéance passée"]
        a_venir = [t for t in echeances if t.startswith("dans ") and t.endswith("jour(s)")]
        assert passees and a_venir, echeances  # filing, avis and committee are past; the ateliers' end and bilans ahead
        assert "dans 207 jour(s)" in a_venir  # end of the ateliers, 26/06/2027
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTEFACTS / "campagnes-1-accueil-2026-12-01.png", full_page=True)
        page.close()


def test_atelier_en_cours_apres_l_ouverture_de_la_campagne_suivante(navigateur, tmp_path_factory):
    from playwright.sync_api import expect

    with serveur_demo(tmp_path_factory.mktemp("juin"), date_du_jour="2027-06-10", semis="tests.support.semis_campagne_suivante") as url:
        page = connecter(navigateur, url, "principal.jaures@ac-toulouse.fr")
        expect(page.get_by_text("Campagne 2027-2028")).to_be_visible(timeout=30000)  # the call being filed
        attendre(page)
        page.wait_for_timeout(1500)
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTEFACTS / "campagnes-2-accueil-2027-06-10.png", full_page=True)
        page.get_by_role("link", name="Séances et émargement").click()
        attendre(page)
        expect(page.get_by_role("heading", name="Séances et émargement")).to_be_visible(timeout=30000)
        expect(page.get_by_text("Présences (4 inscrit(s))")).to_be_visible(timeout=30000)
        expect(page.get_by_text("Amina Haddad", exact=True)).to_be_visible(timeout=30000)  # the group's parents offered
        attendre(page)
        page.wait_for_timeout(1500)
        expect(page.get_by_text("Aucun atelier retenu ou en cours")).to_have_count(0)
        expect(page.get_by_text("Collège Jean-Jaurès", exact=False).first).to_be_visible()
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTEFACTS / "campagnes-3-seances-2027-06-10.png", full_page=True)

        # June, two campaigns at once: a séance of this year's atelier…
        page.get_by_text("Amina Haddad", exact=True).click()
        page.get_by_role("button", name="Enregistrer la séance").click()
        expect(page.get_by_text("Étape validée")).to_be_visible(timeout=30000)
        sans_traceback(page)
        # …then next year's application, started in the call being filed.
        page.get_by_role("link", name="Dossier de candidature").click()
        expect(page.get_by_text("campagne 2027-2028", exact=False).first).to_be_visible(timeout=30000)
        page.get_by_role("button", name="Créer le dossier de candidature").click()
        expect(page.get_by_role("radiogroup", name="Sections")).to_be_visible(timeout=30000)
        sans_traceback(page)
        page.screenshot(path=ARTEFACTS / "campagnes-4-candidature-2027-2028.png", full_page=True)
        page.close()

        # The DAEPS reviews both years' files; the public map shows the atelier still running.
        daeps = connecter(navigateur, url, "daeps@ac-toulouse.fr")
        daeps.get_by_role("link", name="Relecture des documents").click()
        expect(daeps.get_by_role("heading", name="Relecture des documents")).to_be_visible(timeout=30000)
        attendre(daeps)
        grille = daeps.locator("[data-testid='stDataFrame']").first
        expect(grille).to_be_visible(timeout=30000)
        expect(daeps.get_by_text("Campagnes en cours : 2027-2028 (1 document(s)) ; 2026-2027 (")).to_be_visible()
        sans_traceback(daeps)
        daeps.screenshot(path=ARTEFACTS / "campagnes-5-relecture-daeps.png", full_page=True)
        daeps.close()
        carte = navigateur.new_page()
        carte.goto(url + "/carte")
        expect(carte.get_by_text("Campagne 2026-2027 : 1 atelier(s)", exact=False)).to_be_visible(timeout=30000)
        sans_traceback(carte)
        carte.close()

