"""A parent's attendance, the evidence for the attestation (spec §9.5): hours attended out of the hours
offered to the group between the parent's registration and exit."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Auditeur, Presence, Seance


@dataclass(frozen=True)
class Assiduite:
    heures_presentes: Decimal
    heures_proposees: Decimal
    premiere: date | None  # first and last séance attended
    derniere: date | None

    def pourcentage(self) -> Decimal:
        if not self.heures_proposees:
            return Decimal("0")
        return (self.heures_presentes * 100 / self.heures_proposees).quantize(Decimal("1"))


def assiduite(session: Session, parent: Auditeur) -> Assiduite:
    offertes = select(func.coalesce(func.sum(Seance.duree), 0)).where(
        Seance.groupe_id == parent.groupe_id, Seance.annulee.is_(False), Seance.date_seance >= parent.date_inscription)
    if parent.date_sortie:
        offertes = offertes.where(Seance.date_seance <= parent.date_sortie)
    presentes, premiere, derniere = session.exec(
        select(func.coalesce(func.sum(Seance.duree), 0), func.min(Seance.date_seance), func.max(Seance.date_seance))
        .join(Presence, Presence.seance_id == Seance.id)
        .where(Presence.auditeur_id == parent.id, Presence.statut == "present", Seance.annulee.is_(False))).one()
    return Assiduite(Decimal(presentes), Decimal(session.exec(offertes).one()), premiere, derniere)
