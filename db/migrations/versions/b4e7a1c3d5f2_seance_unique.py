"""seance unique

Revision ID: b4e7a1c3d5f2
Revises: 7d41c9e2b805
Create Date: 2026-12-08 10:00:00

A séance saved twice (a second click on « Enregistrer ») was stored twice and paid twice. A group has at most one
séance (not cancelled) per date and start time: a partial unique index. Existing duplicates are cancelled first,
keeping in each set the séance already paid, else the certified one, else the first recorded; the others are
marked cancelled with their reason (« doublon de la séance n° … »), so no row, presence or vacation is deleted.
The downgrade drops the index; the duplicates stay cancelled.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b4e7a1c3d5f2'
down_revision: str | Sequence[str] | None = '7d41c9e2b805'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = 'uq_seance_groupe_date_debut'


def upgrade() -> None:
    conn = op.get_bind()
    seance = sa.table('seance', sa.column('id', sa.Integer), sa.column('groupe_id', sa.Integer),
                      sa.column('date_seance', sa.Date), sa.column('heure_debut', sa.Time),
                      sa.column('annulee', sa.Boolean), sa.column('motif_annulation', sa.String),
                      sa.column('certifiee_par_id', sa.Integer))
    travail = sa.table('seanceintervenant', sa.column('seance_id', sa.Integer), sa.column('liquide_le', sa.Date))
    payees = set(conn.execute(sa.select(travail.c.seance_id).where(travail.c.liquide_le.is_not(None))).scalars())
    par_cle: dict[tuple, list[tuple]] = {}
    for i, groupe, jour, debut, certifiee in conn.execute(
            sa.select(seance.c.id, seance.c.groupe_id, seance.c.date_seance, seance.c.heure_debut, seance.c.certifiee_par_id)
            .where(seance.c.annulee == sa.false())):
        par_cle.setdefault((groupe, jour, debut), []).append((i not in payees, certifiee is None, i))
    doublons = []
    for lignes in par_cle.values():
        gardee, *autres = sorted(lignes)
        doublons += [{'b_id': i, 'b_motif': f"Doublon de la séance n° {gardee[2]} (même groupe, date et heure de début)"}
                     for *_, i in autres]
    if doublons:
        conn.execute(seance.update().where(seance.c.id == sa.bindparam('b_id'))
                     .values(annulee=True, motif_annulation=sa.bindparam('b_motif')), doublons)
    op.create_index(INDEX, 'seance', ['groupe_id', 'date_seance', 'heure_debut'], unique=True,
                    sqlite_where=sa.text('NOT annulee'), postgresql_where=sa.text('NOT annulee'))


def downgrade() -> None:
    op.drop_index(INDEX, table_name='seance', sqlite_where=sa.text('NOT annulee'), postgresql_where=sa.text('NOT annulee'))
