"""Issue 17, item 4, in headless Chromium: the head of the Tarn college joins the engagement letter signed on paper
(a picture renamed .pdf first, refused in French), sees it « signé hors application »; the DAEPS finds the scan in
its review, previews it and downloads it in the ZIP beside the generated letter."""

import io
import zipfile

import pytest

from demarrage.demo import COLLEGE_DU_TARN
from tests.support.chromium import (
    ARTEFACTS,
    attendre,
    cocher_la_premiere_ligne,
    connecter,
    deplier,
    sans_traceback,
    serveur_demo,
    telecharger,
)

pytestmark = pytest.mark.navigateur


def _scan_pdf() -> bytes:
    """A page as a scanner returns it: a picture of a signed letter, in a PDF."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (620, 877), "white")
    dessin = ImageDraw.Draw(page)
    dessin.text((60, 60), "Lettre d'engagement - Sofia Alvarez", fill="black")
    dessin.text((60, 700), "Lu et approuve, le 20/11/2025", fill="black")
    dessin.line([(60, 760), (120, 730), (180, 770), (260, 735)], fill="navy", width=3)  # the signature
    tampon = io.BytesIO()
    page.save(tampon, format="PDF", resolution=75)
    return tampon.getvalue()


def _cadre_de_la_lettre(page):
    """The innermost block that holds the letter's line and its upload (not the cumul request's)."""
    return page.locator("[data-testid='stVerticalBlock']").filter(
        has_text="Lettre d'engagement d'un intervenant — Sofia Álvarez — version 1 — ").filter(
        has=page.locator("[data-testid='stFileUploaderDropzoneInput']")).last


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    with serveur_demo(tmp_path_factory.mktemp("signes"), date_du_jour="2026-01-13", semis="tests.support.semis_atelier") as adresse:
        yield adresse


def test_la_lettre_signee_sur_papier_jointe_puis_relue_par_la_daeps(navigateur, url, tmp_path):
    from playwright.sync_api import expect

    page = connecter(navigateur, url, "principal.jaures@ac-toulouse.fr")
    page.get_by_role("link", name="Séances et émargement").click()
    attendre(page)
    deplier(page, "Lettres d'engagement et demandes de cumul signées")
    lettre = _cadre_de_la_lettre(page)
    expect(lettre.get_by_text("version 1 — à signer")).to_be_visible(timeout=30000)
    champ = lettre.locator("[data-testid='stFileUploaderDropzoneInput']")
    (tmp_path / "photo.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (tmp_path / "lettre-signee.pdf").write_bytes(_scan_pdf())
    bouton = page.get_by_role("button", name="Joindre le scan « signé hors application »")
    champ.set_input_files(str(tmp_path / "photo.pdf"))
    expect(bouton).to_be_visible(timeout=30000)
    attendre(page)
    bouton.click()
    expect(page.get_by_text("« Lettre d'engagement signée » : « photo.pdf » porte l'extension .pdf mais contient une "
                            "image PNG ; joignez la lettre scannée en PDF, PNG ou JPEG.")).to_be_visible(timeout=30000)
    sans_traceback(page)
    page.get_by_role("button", name="Remove photo.pdf").click()
    expect(bouton).to_be_hidden(timeout=30000)
    champ.set_input_files(str(tmp_path / "lettre-signee.pdf"))
    expect(bouton).to_be_visible(timeout=30000)
    attendre(page)
    bouton.click()
    expect(page.get_by_text("scan « signé hors application » joint à la version 1.")).to_be_visible(timeout=30000)
    attendre(page)
    deplier(page, "Lettres d'engagement et demandes de cumul signées")  # the rerun may have kept it open: never a toggle
    lettre = _cadre_de_la_lettre(page)
    expect(lettre.get_by_text("version 1 — signé hors application (scan joint le")).to_be_visible(timeout=30000)
    expect(lettre.get_by_text("Scan de la version 1", exact=True)).to_be_visible()
    expect(lettre.get_by_text("lettre-signee.pdf")).to_have_count(0)  # a new, empty upload: not joined twice
    sans_traceback(page)
    ARTEFACTS.mkdir(exist_ok=True)
    lettre.scroll_into_view_if_needed()
    page.screenshot(path=ARTEFACTS / "signes-1-lettre-signee.png", full_page=True)
    page.close()

    daeps = connecter(navigateur, url, "daeps@ac-toulouse.fr")
    daeps.get_by_role("link", name="Relecture des documents").click()
    attendre(daeps)
    bouton_zip = daeps.get_by_role("button", name="Télécharger en ZIP", exact=False)
    expect(bouton_zip).to_be_visible(timeout=30000)
    tous = bouton_zip.inner_text()
    daeps.get_by_label("Établissement (UAI)", exact=True).fill(COLLEGE_DU_TARN)
    daeps.keyboard.press("Enter")
    expect(bouton_zip).not_to_have_text(tous, timeout=30000)  # the college's documents only: the filter has run
    zip_du_college = telecharger(daeps, bouton_zip)
    noms = [n.rsplit("/", 1)[-1] for n in zipfile.ZipFile(zip_du_college.path()).namelist()]
    assert {"Lettre d'engagement d'un intervenant signe hors application - Sofia Alvarez - v1.pdf",
            "Lettre d'engagement d'un intervenant - Sofia Alvarez - v1.docx"} <= set(noms), noms
    cocher_la_premiere_ligne(daeps, "lettre_engagement-sofia-alvarez-signe-v1.pdf")  # the scan just joined
    expect(daeps.locator("[data-testid='stImage'] img")).to_be_visible(timeout=30000)  # the scan's page, previewed
    expect(daeps.get_by_text("la copie signée de la version 1 de « Lettre d'engagement d'un intervenant »")).to_be_visible()
    sans_traceback(daeps)
    daeps.screenshot(path=ARTEFACTS / "signes-2-relecture-daeps.png", full_page=True)
    daeps.close()
