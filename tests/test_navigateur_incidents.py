"""Issue 14, item 3, in headless Chromium on PostgreSQL: the database goes away under a signed-in person (its
connections terminated, new ones refused, as during a server restart). The page says so in French — no traceback —
and works again once the database is back (screenshot incident-base-absente.png in tests/artefacts/)."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL, exiger_outil
from tests.navigateur import ARTEFACTS, attendre, connecter, sans_traceback, serveur_demo

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
        expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible(timeout=60000)
        page.get_by_role("link", name="Dossiers", exact=True).click()
        expect(page.get_by_role("heading", name="Dossiers")).to_be_visible(timeout=60000)
        attendre(page)
        sans_traceback(page)
        expect(page.get_by_text("n'a pas pu s'afficher")).to_have_count(0)
        page.close()
