"""accounts: deactivation date, the team an account belongs to, password links

Revision ID: f4b8d2c6a1e9
Revises: e3a9c7b1d2f4
Create Date: 2026-12-03 07:45:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'f4b8d2c6a1e9'
down_revision: str | Sequence[str] | None = 'f1b2c3d4e5a6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'jetoncompte',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('utilisateur_id', sa.Integer(), nullable=False),
        sa.Column('empreinte', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('nature', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('cree_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('expire_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('utilise_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('cree_par_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['cree_par_id'], ['utilisateur.id']),
        sa.ForeignKeyConstraint(['utilisateur_id'], ['utilisateur.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('empreinte'),
    )
    with op.batch_alter_table('jetoncompte', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jetoncompte_utilisateur_id'), ['utilisateur_id'], unique=False)
    with op.batch_alter_table('utilisateur', schema=None) as batch_op:
        batch_op.add_column(sa.Column('desactive_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('equipe_uai', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f('ix_utilisateur_equipe_uai'), ['equipe_uai'], unique=False)
        batch_op.create_foreign_key('fk_utilisateur_equipe_uai', 'etablissement', ['equipe_uai'], ['uai'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('utilisateur', schema=None) as batch_op:
        batch_op.drop_constraint('fk_utilisateur_equipe_uai', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_utilisateur_equipe_uai'))
        batch_op.drop_column('equipe_uai')
        batch_op.drop_column('desactive_at')
    with op.batch_alter_table('jetoncompte', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jetoncompte_utilisateur_id'))
    op.drop_table('jetoncompte')
