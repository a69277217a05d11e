"""an académie's profile (rules and contacts), accounts by académie, one campaign per year in each académie

Revision ID: f1b2c3d4e5a6
Revises: a7e2c9d4b631
Create Date: 2026-12-03 07:55:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'f1b2c3d4e5a6'
down_revision: str | Sequence[str] | None = 'a7e2c9d4b631'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The initial schema left the campaign's unique school year unnamed: SQLite reflects it without a name, which this
# convention gives it so that the batch copy can drop it (PostgreSQL named it itself, found by inspection).
_CONVENTION = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _unique_annee(colonnes: list[str]) -> str | None:
    for uq in sa.inspect(op.get_bind()).get_unique_constraints('campagne'):
        if uq['column_names'] == colonnes:
            return uq['name']
    return None


def _sans_cles_etrangeres(sens) -> None:
    """SQLite rebuilds `campagne` to change its unique constraint: dropping the old table would fail while dossiers
    reference it. Foreign keys are suspended for the rebuild, then every reference is checked again (as in
    7d41c9e2b805). The pragma applies outside a transaction only: one an earlier revision of the same upgrade opened
    by writing rows (b4e7a1c3d5f2 cancelling doubled séances) is committed first, the rows it wrote being final."""
    if op.get_bind().dialect.name != 'sqlite':
        sens()
        return
    brute = op.get_bind().connection.dbapi_connection
    if brute.in_transaction:
        brute.commit()
    op.execute('PRAGMA foreign_keys = OFF')
    op.execute('PRAGMA defer_foreign_keys = ON')
    try:
        sens()
    finally:
        op.execute('PRAGMA foreign_keys = ON')
    if op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').first() is not None:
        raise RuntimeError("profil de l'académie : une référence ne pointe plus sur une ligne existante")


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('profilacademie',
    sa.Column('academie_code', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('heures_min_par_groupe', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('heures_max_par_groupe', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('taille_groupe_min', sa.Integer(), nullable=False),
    sa.Column('references_reglementaires', sa.JSON(), nullable=False),
    sa.Column('antennes_casnav', sa.JSON(), nullable=False),
    sa.Column('contacts', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('modifie_par_id', sa.Integer(), nullable=True),
    sa.Column('modifie_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['academie_code'], ['academie.code'], ),
    sa.ForeignKeyConstraint(['modifie_par_id'], ['utilisateur.id'], ),
    sa.PrimaryKeyConstraint('academie_code')
    )
    with op.batch_alter_table('utilisateur', schema=None) as batch_op:
        batch_op.add_column(sa.Column('academie_code', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True))
        batch_op.create_foreign_key('fk_utilisateur_academie', 'academie', ['academie_code'], ['code'])
    nom = _unique_annee(['annee_scolaire']) or 'uq_campagne_annee_scolaire'

    def par_academie() -> None:
        with op.batch_alter_table('campagne', schema=None, naming_convention=_CONVENTION) as batch_op:
            batch_op.drop_constraint(nom, type_='unique')
            batch_op.create_unique_constraint('uq_campagne_academie_annee', ['academie_code', 'annee_scolaire'])

    _sans_cles_etrangeres(par_academie)


def downgrade() -> None:
    """Downgrade schema (fails if two académies already have a campaign of the same school year)."""
    def par_annee() -> None:
        with op.batch_alter_table('campagne', schema=None) as batch_op:
            batch_op.drop_constraint('uq_campagne_academie_annee', type_='unique')
            batch_op.create_unique_constraint('campagne_annee_scolaire_key', ['annee_scolaire'])

    _sans_cles_etrangeres(par_annee)
    with op.batch_alter_table('utilisateur', schema=None) as batch_op:
        batch_op.drop_constraint('fk_utilisateur_academie', type_='foreignkey')
        batch_op.drop_column('academie_code')
    op.drop_table('profilacademie')
