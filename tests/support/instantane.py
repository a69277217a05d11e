"""The demo seeded once per settings, then restored: a test asking for the demo gets the very database and files that
seeding through the services wrote (a snapshot of the first test's seeding, taken right after it), in a fraction of
the time. 1,041 tests ask for it; seeding costs 1.5–2.7 s, restoring ~0.05 s (SQLite file copy, PostgreSQL database
cloned from a template).

A snapshot is reused only when everything seeding reads is the same: the settings (the day, the académie, the
encryption key…) and an empty database and data folder to start from. Otherwise the test seeds as before."""

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from infra import base, settings

_PROPRES_AU_TEST = {"database_url", "data_dir"}


def _cle(reglages: settings.Settings) -> str | None:
    """What seeding depends on besides the database and the folder; None when it cannot be told (a moving clock)."""
    if reglages.horloge is not None:
        return None
    valeurs = {nom: getattr(reglages, nom) for nom in type(reglages).model_fields if nom not in _PROPRES_AU_TEST}
    return repr(sorted((nom, v.get_secret_value() if isinstance(v, SecretStr) else v) for nom, v in valeurs.items()))


def _vierge(session: Session, dossier: Path) -> bool:
    if dossier.exists() and any(dossier.iterdir()):
        return False
    return all(session.exec(text(f'SELECT 1 FROM "{t}" LIMIT 1')).first() is None for t in SQLModel.metadata.tables)


class Instantanes:
    """The snapshots of one pytest process, under `racine` (a session temp folder)."""

    def __init__(self, racine: Path):
        self.racine = racine
        self._connus: dict[tuple[str, str], Path] = {}

    def demo(self, session: Session, semer: Callable[[Session], None]) -> Session:
        reglages = settings.get_settings()
        url, dossier = reglages.database_url, reglages.data_dir
        cle = _cle(reglages)
        moteur_sql = "sqlite" if url.startswith("sqlite") else "postgresql"
        if cle is None or not _vierge(session, dossier):
            semer(session)
            return session
        session.close()
        connu = self._connus.get((moteur_sql, cle))
        if connu is not None:
            self._restaurer(connu, url, dossier)
            return session
        semer(session)
        session.commit()
        session.close()
        cible = self.racine / f"demo-{len(self._connus)}"
        self._prendre(cible, url, dossier)
        self._connus[(moteur_sql, cle)] = cible
        return session

    def _prendre(self, cible: Path, url: str, dossier: Path) -> None:
        base.moteur().dispose()
        cible.mkdir(parents=True)
        if dossier.exists():
            shutil.copytree(dossier, cible / "data", symlinks=True)
        if url.startswith("sqlite"):
            with sqlite3.connect(make_url(url).database) as source, sqlite3.connect(cible / "base.sqlite") as copie:
                source.backup(copie)
        else:
            _postgres(url, lambda nom: [f'DROP DATABASE IF EXISTS "{_gabarit(nom, cible)}"',  # left by an earlier run
                                        f'CREATE DATABASE "{_gabarit(nom, cible)}" TEMPLATE "{nom}"'])

    def _restaurer(self, source: Path, url: str, dossier: Path) -> None:
        base.moteur().dispose()
        if (source / "data").exists():
            shutil.copytree(source / "data", dossier, symlinks=True, dirs_exist_ok=True)
        if url.startswith("sqlite"):
            chemin = Path(make_url(url).database)
            for suffixe in ("-wal", "-shm"):
                Path(f"{chemin}{suffixe}").unlink(missing_ok=True)
            with sqlite3.connect(source / "base.sqlite") as copie, sqlite3.connect(chemin) as destination:
                copie.backup(destination)
        else:
            _postgres(url, lambda nom: [f'DROP DATABASE "{nom}" WITH (FORCE)',
                                        f'CREATE DATABASE "{nom}" TEMPLATE "{_gabarit(nom, source)}"'])


def _gabarit(nom: str, dossier: Path) -> str:
    return f"{nom}_{dossier.name.replace('-', '_')}"


def _postgres(url: str, ordres: Callable[[str], list[str]]) -> None:
    """Run database-level statements from the server's maintenance database (a database cannot copy or drop itself)."""
    cible = make_url(url)
    moteur = create_engine(cible.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with moteur.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :nom "
                              "AND pid <> pg_backend_pid()"), {"nom": cible.database})
            for ordre in ordres(cible.database):
                conn.execute(text(ordre))
    finally:
        moteur.dispose()
