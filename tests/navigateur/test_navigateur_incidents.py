"""Issue 14, item 3, in headless Chromium on PostgreSQL: the database goes away under a signed-in person (its
connections terminated, new ones refused, as during a server restart). The page says so in French — no traceback —
and works again once the database is back (screenshot incident-base-absente.png in tests/artefacts/)."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL, exiger_outil
from tests.support.chromium import ARTEFACTS, attendre, connecter, sans_traceback, serveur_demo

pytestmark = [pytest.mark.navigateur, pytest.mark.postgresql]


def _admin():
    return create_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="module")
def base_a_couper():
    exiger_outil(bool(POSTGRES_URL), "PostgreSQL de test absent (lancez les tests avec `make test`)")
    nom = f"{make_url(POSTGRES_URL).database}_incident"
    moteur = _admin()
    with moteur.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{nom}"'))
    yield nom, make_url(POSTGRES_URL).set(database=nom).render_as_string(hide_password=False)
    with moteur.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
    moteur.dispose()


def _disponible(nom: str, oui: bool) -> None:
    moteur = _admin()
    with moteur.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{nom}" ALLOW_CONNECTIONS {"true" if oui else "false"}'))
        if not oui:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :nom"), {"nom": nom})
    moteur.dispose()


def test_la_base_disparait_puis_revient(navigateur, base_a_couper, tmp_path):
    from playwright.sync_api import expect

    nom, url_base = base_a_couper
    ARTEFACTS.mkdir(exist_ok=True)
    with serveur_demo(tmp_path, database_url=url_base) as url:
        page = connecter(navigateur, url, "pilote@ac-toulouse.fr")
        _disponible(nom, False)
        try:
            page.get_by_role("link", name="Dossiers", exact=True).click()
            expect(page.get_by_text("Cette page n'a pas pu s'afficher : la connexion à la base de données a été "
                                    "interrompue.")).to_be_visible(timeout=60000)
            sans_traceback(page)
            expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
            page.screenshot(path=ARTEFACTS / "incident-base-absente.png", full_page=True)
        finally:
            _disponible(nom, True)
        page.get_by_role("link", name="Tableau de bord", exact=True).click()
        expect(page.get_by_role("heading", name="Tableau de bord", exact=True, level=1)).to_be_visible(timeout=60000)
        page.get_by_role("link", name="Dossiers", exact=True).click()
        expect(page.get_by_role("heading", name="Dossiers", exact=True, level=1)).to_be_visible(timeout=60000)
        attendre(page)
        sans_traceback(page)
        expect(page.get_by_text("n'a pas pu s'afficher")).to_have_count(0)
        page.close()


def test_import_de_l_annuaire_fautif_dit_en_francais(navigateur, base_a_couper, tmp_path):
    """The directory import through its page on PostgreSQL: an e-mail over 120 characters (SQLite would have kept it,
    PostgreSQL answered StringDataRightTruncation) and a cell over the CSV reader's limit (_csv.Error) are each refused
    with their line, nothing imported; a right file then goes in."""
    from playwright.sync_api import expect

    from demarrage.demo import ECOLE_PORTEUR, uai
    from tests.selection.test_carte import ENTETE

    _, url_base = base_a_couper
    nouveau = uai("31", 4777)
    fichiers = {
        "mail.csv": (ENTETE + f"{nouveau};École Jean Moulin;Ecole;Blagnac;031;;{'a' * 106}@ac-toulouse.fr;43.6;1.4\n",
                     "Ligne 2 : « Mail » : est trop long"),
        "cellule.csv": (ENTETE + f"{ECOLE_PORTEUR};{'x' * 140_000};;;;;;43.6;1.4\n", "Ligne 2 : une cellule dépasse 128 Kio"),
        "bon.csv": (ENTETE + f"{nouveau};École Jean Moulin;Ecole;Blagnac;031;;ce.{nouveau}@ac-toulouse.fr;43.6;1.4\n",
                    "1 ligne(s) lues : 0 établissement(s) mis à jour, 1 ajouté(s)"),
    }
    with serveur_demo(tmp_path, database_url=url_base) as url:
        page = connecter(navigateur, url, "admin@ac-toulouse.fr")
        page.get_by_role("link", name="Carte des ateliers", exact=True).click()
        attendre(page)
        page.get_by_text("Importer l'annuaire de l'éducation (CSV)").click()
        bouton, precedent = page.get_by_role("button", name="Importer", exact=True), None
        for nom, (contenu, attendu) in fichiers.items():
            (tmp_path / nom).write_text(contenu, encoding="utf-8")
            if precedent is not None:  # the button shows only while a file is chosen: remove the last one first
                page.get_by_role("button", name=f"Remove {precedent}").click()
                expect(bouton).to_be_hidden(timeout=30000)
            page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(tmp_path / nom))
            expect(bouton).to_be_visible(timeout=30000)  # the upload's rerun is over: a click now is not lost
            attendre(page)
            bouton.click()
            precedent = nom
            expect(page.get_by_text(attendu).first).to_be_visible(timeout=30000)
            sans_traceback(page)
            if nom != "bon.csv":
                expect(page.get_by_text("Rien n'a été importé").first).to_be_visible()
        page.screenshot(path=ARTEFACTS / "incident-import-annuaire.png", full_page=True)
        page.close()
