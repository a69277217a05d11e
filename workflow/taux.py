"""The vacation rate in force on a date (spec §7.2): selected by the date of the séance."""

from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from db.models import TauxHoraire
from forms.base import arrondi_cent


class TauxManquant(LookupError):
    pass


def taux_depuis_im100(im100_annuel: Decimal) -> Decimal:
    """50/10 000 of the IM100 annual gross salary, rounded half up to the cent."""
    return arrondi_cent(Decimal(im100_annuel) * 50 / 10000)


def taux_a_la_date(session: Session, jour: date) -> Decimal:
    ligne = session.exec(
        select(TauxHoraire).where(TauxHoraire.date_effet <= jour).order_by(TauxHoraire.date_effet.desc())
    ).first()
    if ligne is None:
        raise TauxManquant(f"Aucun taux horaire de vacation n'est défini au {jour:%d/%m/%Y} : "
                           "l'administrateur doit ajouter la ligne de la table des taux.")
    return ligne.taux
