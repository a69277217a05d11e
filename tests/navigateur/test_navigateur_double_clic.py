"""Issue 13 in headless Chromium: the primary buttons of a running atelier double-clicked, as people do on a slow
line: the service fait certified once, the parent's attestation produced once (one transition, one document version
each), never a traceback (screenshots double-clic-*.png in tests/artefacts/). The séance form: test_navigateur_seance."""

import sqlite3

import pytest

from tests.support.chromium import ARTEFACTS, attendre, connecter, sans_traceback, serveur_demo

pytestmark = pytest.mark.navigateur


@pytest.fixture(scope="module")
def serveur(tmp_path_factory):
    donnees = tmp_path_factory.mktemp("double-clic")
    with serveur_demo(donnees, date_du_jour="2026-01-13", semis="tests.support.semis_atelier") as url:
        yield url, donnees


def _compter(donnees, etape: str) -> tuple[int, list[int]]:
    """Transitions of the step, and the versions of the DOCX documents it produced."""
    with sqlite3.connect(donnees / "oepre.sqlite") as base:
        (transitions,) = base.execute("SELECT count(*) FROM transition WHERE etape = ?", (etape,)).fetchone()
        versions = [v for (v,) in base.execute("SELECT version FROM document WHERE etape = ? AND format = 'docx' "
                                                "ORDER BY version", (etape,))]
    return transitions, versions


def _aller(page, titre: str) -> None:
    from playwright.sync_api import expect

    page.get_by_role("link", name=titre, exact=True).click()
    expect(page.get_by_role("heading", name=titre)).to_be_visible(timeout=30000)
    attendre(page)


def test_double_clic_service_fait_et_attestation(navigateur, serveur):
    from playwright.sync_api import expect

    url, donnees = serveur
    ARTEFACTS.mkdir(exist_ok=True)
    page = connecter(navigateur, url, "principal.jaures@ac-toulouse.fr")
    _aller(page, "Séances et émargement")
    expect(page.get_by_text("Présences (4 inscrit(s))")).to_be_visible(timeout=30000)
    page.get_by_label("Contenu", exact=True).fill("Se présenter.")
    page.get_by_text("Amina Haddad", exact=True).click()
    page.get_by_role("button", name="Enregistrer la séance").click()
    expect(page.get_by_text("2 h réalisées sur 140 h financées")).to_be_visible(timeout=60000)

    _aller(page, "Service fait et paie")
    bouton = page.get_by_role("button", name="Certifier le service fait")
    bouton.scroll_into_view_if_needed()
    bouton.dblclick()
    expect(page.get_by_text("Sofia ÁLVAREZ — 2 h, 59,08 € brut — certifié")).to_be_visible(timeout=60000)
    sans_traceback(page)
    page.screenshot(path=ARTEFACTS / "double-clic-service-fait.png", full_page=True)
    assert _compter(donnees, "certifier_service_fait") == (1, [1])

    _aller(page, "Parents et attestations")
    page.get_by_role("tab", name="Attestations").click()
    page.get_by_label("Fonction du signataire", exact=True).fill("Principal")
    bouton = page.get_by_role("button", name="Produire son attestation")
    bouton.scroll_into_view_if_needed()
    bouton.dblclick()
    expect(page.get_by_text("Étape validée").first).to_be_visible(timeout=60000)
    sans_traceback(page)
    page.wait_for_timeout(1000)  # a second run, if the second click started one
    sans_traceback(page)
    page.screenshot(path=ARTEFACTS / "double-clic-attestation.png", full_page=True)
    assert _compter(donnees, "attester") == (1, [1])
    page.close()
