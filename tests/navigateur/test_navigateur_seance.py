"""Issues 13 and 14 in headless Chromium: the head of the Tarn college records a séance and double-clicks « Enregistrer » (then
clicks it once more): the séance is stored once, the séances list and the service fait show it once (2 h, not 4 h);
then attaches odd signed sheets, each refused with its French reason, and the right one."""

import pytest

from tests.support.chromium import ARTEFACTS, attendre, connecter, sans_traceback, serveur_demo, televerseur

pytestmark = pytest.mark.navigateur


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    with serveur_demo(tmp_path_factory.mktemp("seance"), date_du_jour="2026-01-13", semis="tests.support.semis_atelier") as adresse:
        yield adresse


def test_double_clic_sur_enregistrer_une_seule_seance(navigateur, url):
    from playwright.sync_api import expect

    page = connecter(navigateur, url, "principal.jaures@ac-toulouse.fr")
    page.get_by_role("link", name="Séances et émargement").click()
    attendre(page)
    expect(page.get_by_text("Présences (4 inscrit(s))")).to_be_visible(timeout=30000)
    contenu = page.get_by_label("Contenu", exact=True).first  # the recording form's (the correction form has its own)
    contenu.fill("Se présenter ; le cahier de liaison.")
    page.get_by_text("Amina Haddad", exact=True).click()
    bouton = page.get_by_role("button", name="Enregistrer la séance")
    bouton.scroll_into_view_if_needed()
    bouton.dblclick()
    expect(page.get_by_text("2 h réalisées sur 140 h financées")).to_be_visible(timeout=60000)
    attendre(page)
    # Cleared after the success: nothing ticked, nothing typed; the same séance clicked again is refused.
    expect(contenu).to_have_value("")
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


def test_feuilles_signees_douteuses_dites_en_francais(navigateur, url, tmp_path):
    """Issue 14 through the page: odd files are refused with what is wrong (a password, a picture renamed .pdf, a
    truncated scan), the form still there; then the right sheet is attached. Runs after the séance above."""
    from playwright.sync_api import expect

    from tests.atelier.test_televersements import MOT_DE_PASSE, UNE_PAGE, _image

    page = connecter(navigateur, url, "principal.jaures@ac-toulouse.fr")
    page.get_by_role("link", name="Séances et émargement").click()
    attendre(page)
    expect(page.get_by_text("Feuilles d'émargement signées")).to_be_visible(timeout=30000)
    champ = televerseur(page, "Feuille signée")
    precedent = None
    for nom, contenu, raison in (("protege.pdf", MOT_DE_PASSE, "est protégé par un mot de passe"),
                                 ("photo.pdf", _image("PNG"), "porte l'extension .pdf mais contient une image PNG"),
                                 ("coupe.pdf", UNE_PAGE[: len(UNE_PAGE) // 2], "est endommagé (incomplet ou tronqué ?)"),
                                 ("feuille.pdf", UNE_PAGE, None)):
        (tmp_path / nom).write_bytes(contenu)
        bouton = page.get_by_role("button", name="Joindre la feuille signée")
        if precedent is not None:  # the button shows only while a file is chosen: remove the last one first
            page.get_by_role("button", name=f"Remove {precedent}").click()
            expect(bouton).to_be_hidden(timeout=30000)
        champ.set_input_files(str(tmp_path / nom))
        # the upload reruns the page, which then offers the button: a click before that rerun would be lost
        expect(bouton).to_be_visible(timeout=30000)
        attendre(page)
        bouton.click()
        precedent = nom
        attendu = f"« {nom} » {raison}" if raison else "Feuille signée jointe à la séance du 13/01/2026."
        expect(page.get_by_text(attendu).first).to_be_visible(timeout=30000)
        sans_traceback(page)
    page.screenshot(path=ARTEFACTS / "seance-feuille-signee.png", full_page=True)
    expect(page.get_by_role("combobox", name="Séance", exact=True)).to_have_value("13/01/2026 — 2 h — feuille jointe", timeout=30000)
