"""What a seed module (`python -m tests.support.semis_…`) runs: its seeding, in one session of the database of the
OEPRE_* environment (the app a browser test serves, the scheduler's processes)."""

from collections.abc import Callable

from sqlmodel import Session

from infra.base import session


def semer_en_base(semer_dans: Callable[[Session], object]) -> None:
    with session() as s:
        semer_dans(s)
