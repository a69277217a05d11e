"""Issue 16, item 5 in headless Chromium: the head of the Tarn college records a séance, then corrects its end time and
a presence (« absent excusé ») with a reason, sees the new values and the new pay on the service-fait page; once the
paying service has liquidated the month, the séance says why it can no longer be corrected."""

from pathlib import Path

import pytest

from tests.support.chromium import attendre, connecter, sans_traceback, serveur_demo

pytestmark = pytest.mark.navigateur
CAPTURES = Path("/tmp/captures")


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    with serveur_demo(tmp_path_factory.mktemp("corrections"), date_du_jour="2026-02-26",
                      semis="tests.support.semis_atelier") as adresse:
        yield adresse


def test_le_porteur_corrige_une_seance_puis_elle_se_verrouille_une_fois_liquidee(navigateur, url):
    from playwright.sync_api import expect

    page = connecter(navigateur, url, "principal.jaures@ac-toulouse.fr")
    page.get_by_role("link", name="Séances et émargement").click()
    attendre(page)
    expect(page.get_by_text("Présences (4 inscrit(s))")).to_be_visible(timeout=30000)
    page.get_by_text("Amina Haddad", exact=True).click()
    page.get_by_text("Léa O'Brien-Müller", exact=True).click()
    page.get_by_role("button", name="Enregistrer la séance").click()
    expect(page.get_by_text("2 h réalisées sur 140 h financées")).to_be_visible(timeout=60000)
    attendre(page)

    # The correction form starts from the séance's values: 14:00 – 16:00, two present.
    expect(page.get_by_text("14:00 – 16:00 (2 h), 2 présent(s)")).to_be_visible(timeout=30000)
    fin = page.get_by_label("Heure de fin", exact=True).nth(1)
    fin.scroll_into_view_if_needed()
    fin.get_by_role("spinbutton").first.click()
    page.keyboard.type("1520")
    lea = page.get_by_role("radiogroup", name="Léa O'Brien-Müller")
    lea.get_by_text("Absent(e) excusé(e)", exact=True).click()
    page.get_by_label("Motif (obligatoire)").fill("Heure de fin mal saisie ; Léa excusée")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_text("1 h 20 réalisées sur 140 h financées")).to_be_visible(timeout=60000)
    attendre(page)
    expect(page.get_by_text("14:00 – 15:20 (1 h 20), 1 présent(s)")).to_be_visible(timeout=30000)
    expect(page.get_by_text("Motif : Heure de fin mal saisie ; Léa excusée")).to_be_visible()
    sans_traceback(page)
    CAPTURES.mkdir(parents=True, exist_ok=True)
    page.get_by_text("Corriger ou annuler une séance").scroll_into_view_if_needed()
    page.screenshot(path=CAPTURES / "seance_corrigee.png", full_page=True)

    page.get_by_role("link", name="Service fait et paie").click()
    attendre(page)
    expect(page.get_by_text("Sofia ÁLVAREZ — 1 h 20, 39,39 € brut — à certifier")).to_be_visible(timeout=30000)
    page.get_by_role("button", name="Certifier le service fait").click()
    expect(page.get_by_text("Sofia ÁLVAREZ — 1 h 20, 39,39 € brut — certifié")).to_be_visible(timeout=60000)

    payeur = connecter(navigateur, url, "gestionnaire.jaures@ac-toulouse.fr")
    payeur.get_by_role("link", name="Service fait et paie").click()
    attendre(payeur)
    payeur.get_by_role("button", name="Établir l'état liquidatif").click()
    expect(payeur.get_by_text("Rien à liquider ce mois-ci")).to_be_visible(timeout=60000)

    page.get_by_role("link", name="Séances et émargement").click()
    attendre(page)
    expect(page.get_by_text("Séance liquidée le 26/02/2026 (état liquidatif) : ses heures sont payées, elle ne peut plus "
                            "être corrigée ni annulée.")).to_be_visible(timeout=30000)
    expect(page.get_by_role("button", name="Enregistrer la correction")).to_have_count(0)
    sans_traceback(page)
    page.screenshot(path=CAPTURES / "seance_liquidee.png", full_page=True)
