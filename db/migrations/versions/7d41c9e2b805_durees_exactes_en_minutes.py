"""durees exactes en minutes

Revision ID: 7d41c9e2b805
Revises: 25b0ee9eba1c
Create Date: 2026-12-01 10:00:00

A séance's duration and an intervenant's paid time were hours rounded to two decimals (1 h 20 stored as
1.33, paid 39,29 € instead of 39,39 € at 29,54 €/h). They become whole minutes. Existing rows: a séance's
minutes come from its start and end times; an intervenant's from the séance when their hours were the
séance's rounded duration (the only value the application wrote), otherwise from the stored hours × 60.
"""
from collections.abc import Sequence
from datetime import time
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from alembic import op

revision: str = '7d41c9e2b805'
down_revision: str | Sequence[str] | None = '25b0ee9eba1c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _minutes(debut: time, fin: time) -> int:
    return max(0, (fin.hour * 60 + fin.minute) - (debut.hour * 60 + debut.minute))


def _sans_cles_etrangeres(sens) -> None:
    """SQLite rebuilds a table to drop a column: dropping the old `seance` would fail while presences and vacations
    reference it. Foreign keys are suspended for the rebuild (pysqlite runs this DDL outside a transaction, where
    the pragma applies; inside one it is deferred to the commit instead), then every reference is checked again."""
    if op.get_bind().dialect.name != 'sqlite':
        sens()
        return
    op.execute('PRAGMA foreign_keys = OFF')
    op.execute('PRAGMA defer_foreign_keys = ON')
    try:
        sens()
    finally:
        op.execute('PRAGMA foreign_keys = ON')
    if op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').first() is not None:
        raise RuntimeError("durees exactes en minutes : une référence ne pointe plus sur une ligne existante")


def upgrade() -> None:
    _sans_cles_etrangeres(_vers_minutes)


def downgrade() -> None:
    _sans_cles_etrangeres(_vers_heures)


def _vers_minutes() -> None:
    with op.batch_alter_table('seance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes', sa.Integer(), nullable=True))
    with op.batch_alter_table('seanceintervenant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes', sa.Integer(), nullable=True))

    conn = op.get_bind()
    seance = sa.table('seance', sa.column('id', sa.Integer), sa.column('heure_debut', sa.Time),
                      sa.column('heure_fin', sa.Time), sa.column('duree', sa.Numeric(7, 2)),
                      sa.column('minutes', sa.Integer))
    travail = sa.table('seanceintervenant', sa.column('seance_id', sa.Integer), sa.column('intervenant_id', sa.Integer),
                       sa.column('heures', sa.Numeric(7, 2)), sa.column('minutes', sa.Integer))
    seances = {i: (_minutes(debut, fin), Decimal(duree)) for i, debut, fin, duree in conn.execute(
        sa.select(seance.c.id, seance.c.heure_debut, seance.c.heure_fin, seance.c.duree))}
    if seances:
        conn.execute(seance.update().where(seance.c.id == sa.bindparam('b_id')).values(minutes=sa.bindparam('b_minutes')),
                     [{'b_id': i, 'b_minutes': m} for i, (m, _) in seances.items()])
    lignes = []
    for seance_id, intervenant_id, heures in conn.execute(
            sa.select(travail.c.seance_id, travail.c.intervenant_id, travail.c.heures)):
        minutes_seance, duree = seances[seance_id]
        heures = Decimal(heures)
        minutes = minutes_seance if heures == duree else int((heures * 60).quantize(Decimal('1'), rounding=ROUND_HALF_UP))
        lignes.append({'b_seance': seance_id, 'b_intervenant': intervenant_id, 'b_minutes': minutes})
    if lignes:
        conn.execute(travail.update().where((travail.c.seance_id == sa.bindparam('b_seance'))
                                            & (travail.c.intervenant_id == sa.bindparam('b_intervenant')))
                     .values(minutes=sa.bindparam('b_minutes')), lignes)

    with op.batch_alter_table('seance', schema=None) as batch_op:
        batch_op.alter_column('minutes', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('duree')
    with op.batch_alter_table('seanceintervenant', schema=None) as batch_op:
        batch_op.alter_column('minutes', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('heures')


def _vers_heures() -> None:
    # Back to hours rounded to two decimals (the loss this revision removed).
    with op.batch_alter_table('seance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duree', sa.Numeric(precision=7, scale=2), nullable=True))
    with op.batch_alter_table('seanceintervenant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heures', sa.Numeric(precision=7, scale=2), nullable=True))
    op.execute("UPDATE seance SET duree = ROUND(minutes / 60.0, 2)")
    op.execute("UPDATE seanceintervenant SET heures = ROUND(minutes / 60.0, 2)")
    with op.batch_alter_table('seance', schema=None) as batch_op:
        batch_op.alter_column('duree', existing_type=sa.Numeric(precision=7, scale=2), nullable=False)
        batch_op.drop_column('minutes')
    with op.batch_alter_table('seanceintervenant', schema=None) as batch_op:
        batch_op.alter_column('heures', existing_type=sa.Numeric(precision=7, scale=2), nullable=False)
        batch_op.drop_column('minutes')
