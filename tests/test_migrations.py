"""An empty database upgraded to head matches the models exactly, on SQLite and PostgreSQL."""

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


@pytest.mark.postgresql
def test_postgresql_vide_jusqu_a_head():
    exiger_outil(bool(POSTGRES_URL), "PostgreSQL de test absent")
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migration_vide CASCADE"))
        conn.execute(text("CREATE SCHEMA migration_vide"))
    engine.dispose()
    url = POSTGRES_URL + ("&" if "?" in POSTGRES_URL else "?") + "options=-csearch_path%3Dmigration_vide"
    try:
        upgrade_to_head(url)
        _sans_difference(url)
    finally:
        engine = make_engine(POSTGRES_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA migration_vide CASCADE"))
        engine.dispose()
