"""document versions counted per person concerned

Revision ID: e3a9c7b1d2f4
Revises: d0c5f1e2a7b3
Create Date: 2026-12-02 03:40:00.000000

"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'e3a9c7b1d2f4'
down_revision: str | Sequence[str] | None = 'd0c5f1e2a7b3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema: three parents' fiches are each « v1 », not v1, v2, v3 of one document."""
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint('uq_document_version', type_='unique')
        batch_op.create_unique_constraint('uq_document_version', ['sujet', 'type_document', 'format', 'concerne', 'version'])


def downgrade() -> None:
    """Downgrade schema (fails if two persons' documents of one subject already share a version number)."""
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint('uq_document_version', type_='unique')
        batch_op.create_unique_constraint('uq_document_version', ['sujet', 'type_document', 'format', 'version'])
