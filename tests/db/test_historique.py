"""History, audit log and documents are append-only: the ORM refuses updates and deletes."""

import pytest
from sqlmodel import select

from db.engine import EcritureInterdite
from db.models import Document, JournalAudit, Transition


@pytest.mark.parametrize("table", [Transition, Document])
def test_modification_refusee(demo, table):
    ligne = demo.exec(select(table)).first()
    ligne.etape = "falsifiee"
    with pytest.raises(EcritureInterdite, match="ajout seul"):
        demo.commit()
    demo.rollback()


def test_suppression_refusee(demo):
    from workflow.noyau.transaction import journaliser

    journaliser(demo, None, "test")
    demo.commit()
    ligne = demo.exec(select(JournalAudit)).first()
    demo.delete(ligne)
    with pytest.raises(EcritureInterdite):
        demo.commit()
    demo.rollback()
