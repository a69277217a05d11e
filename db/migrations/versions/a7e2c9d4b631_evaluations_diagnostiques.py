"""diagnostic evaluations of parents (initial and final)

Revision ID: a7e2c9d4b631
Revises: e3a9c7b1d2f4
Create Date: 2026-12-03 08:00:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'a7e2c9d4b631'
down_revision: str | Sequence[str] | None = 'e3a9c7b1d2f4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema: one initial and one final evaluation per parent at most."""
    op.create_table(
        'evaluation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('auditeur_id', sa.Integer(), nullable=False),
        sa.Column('moment', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('date_evaluation', sa.Date(), nullable=False),
        sa.Column('niveau_oral', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column('niveau_ecrit', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column('lecture_ecriture_langue_origine', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column('commentaire', sa.Text(), server_default='', nullable=False),
        sa.Column('evaluateur_id', sa.Integer(), nullable=False),
        sa.Column('modifie_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['auditeur_id'], ['auditeur.id'], ),
        sa.ForeignKeyConstraint(['evaluateur_id'], ['utilisateur.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('auditeur_id', 'moment', name='uq_evaluation_auditeur_moment'),
    )
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_auditeur_id'), ['auditeur_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema: the evaluations are lost (the initial levels stay on the parents' records)."""
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_auditeur_id'))
    op.drop_table('evaluation')
