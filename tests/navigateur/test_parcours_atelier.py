"""Issue 4 in headless Chromium on a phone-sized screen: the head of the Tarn college records a séance and
ticks who came, attaches the photo of the signed sheet, then downloads a parent's attestation, whose hours
are those of the attendance, and the whole atelier's attestations as a ZIP."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from tests.support.chromium import ARTEFACTS, aller_au_telephone, attendre, connecter, serveur_demo, televerseur, texte_docx

pytestmark = pytest.mark.navigateur
TELEPHONE = (390, 844)


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    with serveur_demo(tmp_path_factory.mktemp("atelier"), date_du_jour="2026-01-13", semis="tests.support.semis_atelier") as adresse:
        yield adresse


def test_seance_au_telephone_puis_attestation(navigateur, url, tmp_path):
    from PIL import Image
    from playwright.sync_api import expect

    page = connecter(navigateur, url, "principal.jaures@ac-toulouse.fr", viewport=TELEPHONE)
    aller_au_telephone(page, "Séances et émargement")
    expect(page.get_by_text("Présences (4 inscrit(s))")).to_be_visible(timeout=30000)
    page.get_by_label("Contenu", exact=True).fill("Se présenter ; lire un mot du cahier de liaison.")
    for parent in ("Amina Haddad", "فاطمة النجار"):
        page.get_by_text(parent, exact=True).click()
    bouton = page.get_by_role("button", name="Enregistrer la séance")
    bouton.scroll_into_view_if_needed()
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTEFACTS / "atelier-1-seance-telephone.png")
    bouton.click()
    expect(page.get_by_text("Étape validée")).to_be_visible(timeout=60000)
    expect(page.get_by_text("2 h réalisées sur 140 h financées")).to_be_visible(timeout=30000)

    scan = tmp_path / "feuille-signee.png"  # the signed paper sheet, photographed with the phone
    Image.new("RGB", (600, 800), "white").save(scan)
    televerseur(page, "Feuille signée").set_input_files(str(scan))
    page.get_by_role("button", name="Joindre la feuille signée").click(timeout=30000)
    expect(page.get_by_text("Feuille signée jointe à la séance du 13/01/2026.")).to_be_visible(timeout=30000)

    aller_au_telephone(page, "Parents et attestations")
    page.get_by_role("tab", name="Attestations").click()
    page.get_by_label("Fonction du signataire", exact=True).fill("Principal")
    page.get_by_role("button", name="Produire son attestation").click()
    expect(page.get_by_text("Étape validée")).to_be_visible(timeout=60000)
    bouton_docx = page.get_by_role("button", name="Télécharger").first
    bouton_docx.wait_for(timeout=30000)
    bouton_docx.scroll_into_view_if_needed()
    page.screenshot(path=ARTEFACTS / "atelier-2-attestation-telephone.png")
    with page.expect_download() as telechargement:
        bouton_docx.click()
    page.screenshot(path=ARTEFACTS / "atelier-2-attestation-telephone.png")
    texte = texte_docx(telechargement.value.path())
    assert "Amina Haddad" in texte
    assert "le 13 janvier 2026, soit 2 h de formation sur 2 h proposées" in texte

    # Then the whole atelier at once: a progress bar, a print file and a ZIP with one PDF per parent who came.
    page.get_by_role("button", name="Produire les attestations (2)").click()
    expect(page.get_by_text("2 attestation(s) produite(s)")).to_be_visible(timeout=90000)
    expect(page.get_by_text("Attestations en lot — version 1 (ZIP)")).to_be_visible(timeout=30000)
    attendre(page)
    boutons = page.get_by_role("button", name="Télécharger")
    expect(boutons).to_have_count(2, timeout=30000)
    boutons.last.scroll_into_view_if_needed()
    page.screenshot(path=ARTEFACTS / "atelier-3-attestations-en-lot-telephone.png")
    with page.expect_download() as telechargement:
        boutons.last.click()
    archive = zipfile.ZipFile(telechargement.value.path())
    assert len(archive.namelist()) == 3 and archive.namelist()[-1] == "CONTENU.csv"  # two parents and the manifest
    textes = {n: PdfReader(io.BytesIO(archive.read(n))).pages[0].extract_text() for n in archive.namelist()[:-1]}
    (amina,) = [n for n in textes if n.endswith("Amina Haddad.pdf")]
    assert "2 h de formation sur 2 h" in " ".join(textes[amina].split())
    page.close()
