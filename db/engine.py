"""Engine and sessions. The URL is passed in: db/ reads no settings and knows no business rule."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, create_engine

from db.models import APPEND_ONLY


class EcritureInterdite(RuntimeError):
    """Raised when code tries to modify or delete a row of an append-only table."""


def make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # pragma: no cover - exercised by every SQLite test
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


@event.listens_for(OrmSession, "before_flush")
def _refuser_modification_historique(session, _flush_context, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, APPEND_ONLY) and (obj in session.deleted or session.is_modified(obj)):
            raise EcritureInterdite(f"{type(obj).__name__} est en ajout seul : modification refusée.")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that rolls back on error; the caller commits (once) when its work is complete."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
