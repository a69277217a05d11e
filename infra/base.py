"""The process-wide engine, built from the settings; sessions for pages and jobs."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.engine import make_engine, session_scope
from infra.settings import get_settings


@lru_cache
def moteur() -> Engine:
    return make_engine(get_settings().database_url)


@contextmanager
def session() -> Iterator[Session]:
    with session_scope(moteur()) as s:
        yield s
