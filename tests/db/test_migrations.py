"""An empty database upgraded to head matches the models exactly, on SQLite and PostgreSQL."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

import db.models  # noqa: F401
from db.engine import make_engine
from db.migrations_api import upgrade_to_head
from tests.conftest import POSTGRES_URL, exiger_outil


def _sans_difference(url: str) -> None:
    engine = make_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_sqlite_vide_jusqu_a_head(tmp_path):
    url = f"sqlite:///{tmp_path / 'vide.sqlite'}"
    upgrade_to_head(url)
    _sans_difference(url)


@contextmanager
def schema_postgres(nom: str) -> Iterator[str]:
    """An empty schema of the test cluster, dropped afterwards; yields a URL whose search_path is that schema."""
    exiger_outil(bool(POSTGRES_URL), "PostgreSQL de test absent")

    def executer(*ordres: str) -> None:
        engine = make_engine(POSTGRES_URL)
        with engine.begin() as conn:
            for ordre in ordres:
                conn.execute(text(ordre))
        engine.dispose()

    executer(f"DROP SCHEMA IF EXISTS {nom} CASCADE", f"CREATE SCHEMA {nom}")
    try:
        yield POSTGRES_URL + ("&" if "?" in POSTGRES_URL else "?") + f"options=-csearch_path%3D{nom}"
    finally:
        executer(f"DROP SCHEMA {nom} CASCADE")


@pytest.mark.postgresql
def test_postgresql_vide_jusqu_a_head():
    with schema_postgres("migration_vide") as url:
        upgrade_to_head(url)
        _sans_difference(url)


def _remplir_minimum(conn, tables: dict, valeurs: dict[str, list[dict]]) -> None:
    """Insert the given rows, completing every NOT NULL column with a placeholder of its type (ids 1, codes 'x')."""
    import datetime as dt
    from decimal import Decimal

    import sqlalchemy as sa

    def defaut(col):
        t = col.type
        for genre, valeur in ((sa.Boolean, False), (sa.Integer, 1), (sa.Numeric, Decimal("0")), (sa.DateTime, dt.datetime(2025, 9, 1)),
                              (sa.Date, dt.date(2025, 9, 1)), (sa.Time, dt.time(14)), (sa.JSON, [])):
            if isinstance(t, genre):
                return valeur
        return "x"

    for nom, lignes in valeurs.items():
        table = tables[nom]
        for ligne in lignes:
            complete = {c.name: defaut(c) for c in table.columns if not c.nullable and c.name not in ligne}
            conn.execute(table.insert().values(**complete, **ligne))


def _durees_migrees(url: str) -> None:
    """Rows written when durations were hours rounded to two decimals come out as exact minutes, and back."""
    from datetime import time
    from decimal import Decimal

    import sqlalchemy as sa
    from alembic import command

    from db.migrations_api import alembic_config

    command.upgrade(alembic_config(url), "25b0ee9eba1c")
    engine = make_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    t = meta.tables
    with engine.begin() as conn:
        _remplir_minimum(conn, t, {
            "academie": [{}], "departement": [{}], "etablissement": [{}], "utilisateur": [{}], "campagne": [{"id": 1}],
            "dossier": [{"id": 1}], "groupe": [{"id": 1}], "intervenant": [{"id": 1}, {"id": 2}],
            "seance": [{"id": 1, "heure_debut": time(14), "heure_fin": time(15, 20), "duree": Decimal("1.33")},
                       {"id": 2, "heure_debut": time(9), "heure_fin": time(10, 45), "duree": Decimal("1.75")}],
            "seanceintervenant": [{"seance_id": 1, "intervenant_id": 1, "heures": Decimal("1.33")},
                                  {"seance_id": 2, "intervenant_id": 1, "heures": Decimal("1.75")},
                                  {"seance_id": 2, "intervenant_id": 2, "heures": Decimal("0.75")}]})
    engine.dispose()
    upgrade_to_head(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        assert sorted(conn.execute(text("SELECT id, minutes FROM seance"))) == [(1, 80), (2, 105)]
        assert sorted(conn.execute(text("SELECT seance_id, intervenant_id, minutes FROM seanceintervenant"))) == [
            (1, 1, 80), (2, 1, 105), (2, 2, 45)]  # 0,75 h that was not the séance's duration: 45 minutes
    engine.dispose()
    command.downgrade(alembic_config(url), "25b0ee9eba1c")
    engine = make_engine(url)
    with engine.connect() as conn:
        assert sorted((i, Decimal(str(h))) for i, h in conn.execute(text("SELECT id, duree FROM seance"))) == [
            (1, Decimal("1.33")), (2, Decimal("1.75"))]
    engine.dispose()


def test_sqlite_durees_en_minutes(tmp_path):
    _durees_migrees(f"sqlite:///{tmp_path / 'ancienne.sqlite'}")


@pytest.mark.postgresql
def test_postgresql_durees_en_minutes():
    with schema_postgres("migration_durees") as url:
        _durees_migrees(url)


def _doublons_annules(url: str) -> None:
    """Séances stored twice before the unique index (same group, date and start) are cancelled, the paid one kept;
    afterwards the database itself refuses a second one, not a cancelled one."""
    from datetime import date, time

    import sqlalchemy as sa
    from alembic import command

    from db.migrations_api import alembic_config

    command.upgrade(alembic_config(url), "7d41c9e2b805")
    engine = make_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    t = meta.tables
    jour = date(2026, 1, 13)
    with engine.begin() as conn:
        _remplir_minimum(conn, t, {
            "academie": [{}], "departement": [{}], "etablissement": [{}], "utilisateur": [{}], "campagne": [{"id": 1}],
            "dossier": [{"id": 1}], "groupe": [{"id": 1}], "intervenant": [{"id": 1}],
            "seance": [{"id": i, "date_seance": jour, "heure_debut": time(14), "heure_fin": time(16), "minutes": 120}
                       for i in (1, 2, 3)] + [{"id": 4, "date_seance": jour, "heure_debut": time(9), "minutes": 60}],
            "seanceintervenant": [{"seance_id": i, "intervenant_id": 1, "minutes": 120} for i in (1, 2)]
            + [{"seance_id": 3, "intervenant_id": 1, "minutes": 120, "liquide_le": date(2026, 2, 5)}]})
    engine.dispose()
    upgrade_to_head(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        lignes = sorted(conn.execute(text("SELECT id, annulee, motif_annulation FROM seance")))
        assert [(i, bool(a)) for i, a, _ in lignes] == [(1, True), (2, True), (3, False), (4, False)]
        assert lignes[0][2] == "Doublon de la séance n° 3 (même groupe, date et heure de début)"
    seance = sa.Table("seance", sa.MetaData(), autoload_with=engine)
    ligne = {"groupe_id": 1, "date_seance": jour, "heure_debut": time(14), "heure_fin": time(16), "minutes": 120,
             "axes": [], "contenu": ""}
    with engine.begin() as conn:
        conn.execute(seance.insert().values(id=5, annulee=True, **ligne))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(seance.insert().values(id=6, annulee=False, **ligne))
    engine.dispose()
    command.downgrade(alembic_config(url), "7d41c9e2b805")


def test_sqlite_seances_en_double(tmp_path):
    _doublons_annules(f"sqlite:///{tmp_path / 'doublons.sqlite'}")


@pytest.mark.postgresql
def test_postgresql_seances_en_double():
    with schema_postgres("migration_doublons") as url:
        _doublons_annules(url)
