"""scans signés hors application : la lettre, la demande de cumul ou l'état liquidatif signés sur papier

Revision ID: c7e2a9f4b5d1
Revises: f4b2d8e6a1c3
Create Date: 2026-12-03 18:45:00.000000

A document signed outside the tool is stored as a new version beside the generated one, pointing at it
(`signe_de_id`); `source_id` keeps its one meaning, the DOCX a PDF was converted from.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c7e2a9f4b5d1'
down_revision: str | Sequence[str] | None = 'f4b2d8e6a1c3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signe_de_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_document_signe_de_id_document', 'document', ['signe_de_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint('fk_document_signe_de_id_document', type_='foreignkey')
        batch_op.drop_column('signe_de_id')
