"""Issue 17 item 3 in headless Chromium: the head of the Tilleuls opens « Signature et cachet », uploads a file that is
no image (refused in French, nothing recorded), then her signature and her school's stamp, replaces the signature
(version 2 in the history) and sees them on the page."""

import pytest

from tests.support.chromium import ARTEFACTS, attendre, connecter, sans_traceback, serveur_demo
from tests.support.images import cachet_png, signature_png

pytestmark = pytest.mark.navigateur


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    with serveur_demo(tmp_path_factory.mktemp("signatures")) as adresse:
        yield adresse


def test_la_directrice_depose_et_remplace_sa_signature(navigateur, url, tmp_path):
    from playwright.sync_api import expect

    page = connecter(navigateur, url, "directrice.tilleuls@ac-toulouse.fr")
    page.get_by_role("link", name="Signature et cachet").click()
    attendre(page)
    expect(page.get_by_text("Directeur d'école ou chef d'établissement — École élémentaire des Tilleuls")).to_be_visible(timeout=30000)
    champs = page.locator("[data-testid='stFileUploaderDropzoneInput']")
    precedent = None
    for index, nom, contenu, bouton_nom, attendu in (
            (0, "coupee.png", signature_png()[:120], "Enregistrer la signature", "« coupee.png » est endommagée"),
            (0, "signature.png", signature_png(), "Enregistrer la signature", "Signature enregistrée (version 1)"),
            (1, "cachet.png", cachet_png(), "Enregistrer le cachet", "Cachet enregistré (version 1)"),
            (0, "signature2.jpg", signature_png((120, 0, 0), fmt="JPEG"), "Enregistrer la signature", "Signature enregistrée (version 2)")):
        (tmp_path / nom).write_bytes(contenu)
        bouton = page.get_by_role("button", name=bouton_nom)
        if precedent is not None and precedent[0] == index:  # the button shows only while a file is chosen
            page.get_by_role("button", name=f"Remove {precedent[1]}").click()
            expect(bouton).to_be_hidden(timeout=30000)
        champs.nth(index).set_input_files(str(tmp_path / nom))
        expect(bouton).to_be_visible(timeout=30000)
        attendre(page)
        bouton.click()
        expect(page.get_by_text(attendu).first).to_be_visible(timeout=30000)
        attendre(page)
        sans_traceback(page)
        precedent = (index, nom) if "version" not in attendu else None
    expect(page.get_by_text("Signature en vigueur (version 2)")).to_be_visible(timeout=30000)
    expect(page.get_by_text("Cachet en vigueur (version 1)")).to_be_visible()
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTEFACTS / "signature-et-cachet.png", full_page=True)
