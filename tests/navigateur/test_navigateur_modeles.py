"""Issue 17 items 1–2 in headless Chromium: the DAEPS uploads a modified attestation (the built-in one with a sentence
added, as it would in Word), sees the preview of its first pages, publishes it; a head produces an attestation and the
sentence is in the PDF; the DAEPS puts the built-in template back and the next attestation no longer has it
(screenshots modeles-*.png in tests/artefacts/)."""

import io
import sqlite3
import subprocess

import pytest
from docx import Document as Docx

from documents import render
from tests.support.chromium import ARTEFACTS, attendre, choisir, connecter, sans_traceback, serveur_demo

pytestmark = pytest.mark.navigateur
PHRASE = "Attestation délivrée selon le modèle académique de {{ academie }}."
IMPRIMEE = "Attestation délivrée selon le modèle académique de Toulouse."


def _aller(page, titre: str) -> None:
    from playwright.sync_api import expect

    page.get_by_role("link", name=titre, exact=True).click()
    expect(page.get_by_role("heading", name=titre)).to_be_visible(timeout=30000)
    attendre(page)


def _attestations_pdf(donnees) -> list[str]:
    with sqlite3.connect(donnees / "oepre.sqlite", timeout=30) as base:
        return [chemin for (chemin,) in base.execute("SELECT chemin FROM document WHERE type_document = 'attestation' "
                                                     "AND format = 'pdf' ORDER BY id")]


def _texte_nouvelle_attestation(page, donnees, avant: int) -> str:
    """The text of the attestation produced after `avant` were on record (the previous production's « Étape validée »
    may still be on the page when the new one is asked for: the record, not the message, says it is done)."""
    for _ in range(180):
        chemins = _attestations_pdf(donnees)
        if len(chemins) > avant:
            break
        page.wait_for_timeout(500)
    else:
        raise AssertionError("aucune nouvelle attestation enregistrée en 90 s")
    chemin = chemins[-1]
    return subprocess.run(["pdftotext", "-layout", str(donnees / "documents" / chemin), "-"], capture_output=True,
                          text=True, check=True).stdout


def _attester(page, donnees) -> str:
    from playwright.sync_api import expect

    _aller(page, "Parents et attestations")
    page.get_by_role("tab", name="Attestations").click()
    page.get_by_label("Fonction du signataire", exact=True).fill("Principal")
    avant = len(_attestations_pdf(donnees))
    page.get_by_role("button", name="Produire son attestation").click()
    texte = _texte_nouvelle_attestation(page, donnees, avant)
    expect(page.get_by_text("Étape validée").first).to_be_visible(timeout=90000)
    sans_traceback(page)
    return texte


def test_la_daeps_publie_son_attestation_puis_restaure_le_modele_integre(navigateur, tmp_path_factory, tmp_path):
    from playwright.sync_api import expect

    ARTEFACTS.mkdir(exist_ok=True)
    modele = Docx(io.BytesIO(render.octets_gabarit_integre("attestation")))
    modele.add_paragraph(PHRASE)
    fichier = tmp_path / "attestation-academie.docx"
    modele.save(fichier)
    donnees = tmp_path_factory.mktemp("modeles")
    with serveur_demo(donnees, date_du_jour="2026-01-13", semis="tests.support.semis_atelier") as url:
        chef = connecter(navigateur, url, "principal.jaures@ac-toulouse.fr")
        _aller(chef, "Séances et émargement")
        expect(chef.get_by_text("Présences (4 inscrit(s))")).to_be_visible(timeout=30000)
        chef.get_by_label("Contenu", exact=True).fill("Se présenter.")
        chef.get_by_text("Amina Haddad", exact=True).click()
        chef.get_by_role("button", name="Enregistrer la séance").click()
        expect(chef.get_by_text("2 h réalisées sur 140 h financées")).to_be_visible(timeout=60000)
        assert IMPRIMEE not in _attester(chef, donnees)

        daeps = connecter(navigateur, url, "daeps@ac-toulouse.fr", viewport=(1400, 1800))
        _aller(daeps, "Modèles de documents")
        choisir(daeps, "Document", "Attestation de suivi de formation")
        expect(daeps.get_by_role("combobox", name="Document", exact=True)).to_have_value("Attestation de suivi de formation",
                                                                                       timeout=30000)
        expect(daeps.get_by_text("En vigueur : le modèle intégré à l'application.")).to_be_visible(timeout=30000)
        # the rerun of the choice drawn (the previous document's uploader gone): a file dropped during it would be lost
        depot = daeps.locator("[data-testid='stFileUploaderDropzoneInput']")
        expect(depot).to_have_count(1, timeout=30000)
        daeps.wait_for_timeout(1000)
        attendre(daeps)
        depot.set_input_files(str(fichier))
        daeps.get_by_role("button", name="Vérifier et déposer le modèle").click(timeout=60000)
        expect(daeps.get_by_text("Aperçu des premières pages", exact=False)).to_be_visible(timeout=120000)
        attendre(daeps)
        expect(daeps.locator("[data-testid='stImage'] img").first).to_be_visible(timeout=30000)
        sans_traceback(daeps)
        daeps.screenshot(path=ARTEFACTS / "modeles-1-apercu.png", full_page=True)
        daeps.get_by_role("button", name="Publier la version 1").click()
        expect(daeps.get_by_text("En vigueur : version 1", exact=False)).to_be_visible(timeout=30000)
        sans_traceback(daeps)
        daeps.screenshot(path=ARTEFACTS / "modeles-2-publie.png", full_page=True)

        assert IMPRIMEE in " ".join(_attester(chef, donnees).split())
        chef.screenshot(path=ARTEFACTS / "modeles-3-attestation.png", full_page=True)

        choisir(daeps, "Version à remettre en vigueur", "Le modèle intégré à l'application")
        daeps.get_by_role("button", name="Restaurer", exact=True).click()
        expect(daeps.get_by_text("En vigueur : le modèle intégré à l'application.")).to_be_visible(timeout=30000)
        sans_traceback(daeps)
        attendre(daeps)
        daeps.wait_for_timeout(1500)  # the page after the restoration drawn, the one before gone
        daeps.get_by_role("tab", name="Catalogue des variables").last.click()
        expect(daeps.get_by_text("Filtres", exact=False).first).to_be_visible(timeout=30000)
        daeps.screenshot(path=ARTEFACTS / "modeles-4-restaure-catalogue.png", full_page=True)

        assert IMPRIMEE not in " ".join(_attester(chef, donnees).split())
        with sqlite3.connect(donnees / "oepre.sqlite", timeout=30) as base:
            modeles = [m for (m,) in base.execute("SELECT modele_id FROM document WHERE type_document = 'attestation' "
                                                  "AND format = 'pdf' ORDER BY id")]
        assert modeles[0] is None and modeles[1] is not None and modeles[2] is None
