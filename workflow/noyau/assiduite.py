"""A parent's attendance, the evidence for the attestation (spec §9.5): time attended out of the time
offered to the group between the parent's registration and exit, in exact minutes.

Attended time is always a part of the offered time, whatever the database holds: a presence counts only on a
séance of the parent's own group held between her registration and her exit (both days included), the very
séances the offered time adds up. A presence outside that period (ticked before the registration date was
checked, or a registration or exit date corrected afterwards) does not count: the attestation and the bilan
never read « 4 h sur 0 h » nor a rate above 100 %. A negative duration counts as zero.

Computed for all the parents of several dossiers at once in three queries, whatever their number: the
académie's batch of attestations reads a thousand parents this way."""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import accumulate

from sqlalchemy import and_, case, func
from sqlmodel import Session, select

from db.models import Auditeur, Groupe, Presence, Seance


@dataclass(frozen=True)
class Assiduite:
    minutes_presentes: int
    minutes_proposees: int
    premiere: date | None  # first and last séance attended
    derniere: date | None
    absences_excusees: int = 0  # séances of the period the parent missed with an excuse: never present time

    def pourcentage(self) -> Decimal:
        if not self.minutes_proposees:
            return Decimal("0")
        return (Decimal(self.minutes_presentes * 100) / self.minutes_proposees).quantize(Decimal("1"))


@dataclass(frozen=True)
class _SeancesDuGroupe:
    dates: list[date]  # sorted
    cumul: list[int]  # cumul[i] = minutes of the first i séances

    def minutes_entre(self, debut: date, fin: date | None) -> int:
        i = bisect_left(self.dates, debut)
        j = len(self.dates) if fin is None else bisect_right(self.dates, fin)
        return self.cumul[j] - self.cumul[i] if j > i else 0


def presence_comptee(*statuts: str):
    """The SQL condition for a presence that counts (see the module's docstring), on Presence joined to its Seance and
    its Auditeur: every figure of attendance (attestations, bilans, the batch's preview) reads presences through it.
    Only « present » is attended time; `statuts` widens it for what the bilan counts besides (excused absences)."""
    return and_(Presence.statut.in_(statuts or ("present",)), Seance.annulee.is_(False),
                Seance.groupe_id == Auditeur.groupe_id, Seance.date_seance >= Auditeur.date_inscription,
                Auditeur.date_sortie.is_(None) | (Seance.date_seance <= Auditeur.date_sortie))


def assiduites(session: Session, dossier_ids: Iterable[int]) -> dict[int, Assiduite]:
    """Attendance of every parent of these dossiers, by parent id."""
    ids = list(dossier_ids)
    if not ids:
        return {}
    par_groupe: dict[int, list[tuple[date, int]]] = {}
    for groupe_id, jour, minutes in session.exec(
            select(Seance.groupe_id, Seance.date_seance, Seance.minutes).join(Groupe, Groupe.id == Seance.groupe_id)
            .where(Groupe.dossier_id.in_(ids), Seance.annulee.is_(False)).order_by(Seance.date_seance)):
        par_groupe.setdefault(groupe_id, []).append((jour, max(0, int(minutes))))
    groupes = {g: _SeancesDuGroupe([d for d, _ in lignes], [0, *accumulate(m for _, m in lignes)])
               for g, lignes in par_groupe.items()}
    # Only the presences within the parent's period, on her group's séances (see the module's docstring).
    present = Presence.statut == "present"
    presences = {a: (int(m or 0), premiere, derniere, int(excusees or 0)) for a, m, premiere, derniere, excusees in session.exec(
        select(Presence.auditeur_id, func.sum(case((present & (Seance.minutes > 0), Seance.minutes), else_=0)),
               func.min(case((present, Seance.date_seance))), func.max(case((present, Seance.date_seance))),
               func.sum(case((Presence.statut == "absent_excuse", 1), else_=0)))
        .join(Seance, Seance.id == Presence.seance_id).join(Auditeur, Auditeur.id == Presence.auditeur_id)
        .where(Auditeur.dossier_id.in_(ids), presence_comptee("present", "absent_excuse"))
        .group_by(Presence.auditeur_id))}
    resultat = {}
    for parent_id, groupe_id, inscription, sortie in session.exec(
            select(Auditeur.id, Auditeur.groupe_id, Auditeur.date_inscription, Auditeur.date_sortie)
            .where(Auditeur.dossier_id.in_(ids))):
        seances = groupes.get(groupe_id)
        proposees = seances.minutes_entre(inscription, sortie) if seances else 0
        presentes, premiere, derniere, excusees = presences.get(parent_id, (0, None, None, 0))
        resultat[parent_id] = Assiduite(presentes, proposees, premiere, derniere, excusees)
    return resultat


def assiduite(session: Session, parent: Auditeur) -> Assiduite:
    return assiduites(session, [parent.dossier_id])[parent.id]
