"""The vacation rate in force on a date (spec §7.2): selected by the date of the séance."""

from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from db.models import TauxHoraire
from forms.base import ErreursSaisie, FormModel, arrondi_cent, valider
from forms.campagne import TauxForm
from infra.settings import aujourdhui
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import ADMINISTRATEURS


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


def avec_taux_du_jour(session: Session, campagne, dossier, form: FormModel) -> FormModel:
    """Completer of the steps whose documents print the vacation rate: the rate in force today."""
    return form.model_copy(update={"taux_horaire": taux_a_la_date(session, aujourdhui())})


def table_des_taux(session: Session) -> list[TauxHoraire]:
    """Every row, newest first (public: the rate is printed in the appel à projets)."""
    return list(session.exec(select(TauxHoraire).order_by(TauxHoraire.date_effet.desc())))


@operation("ajouter_taux", "Ajouter un taux de vacation", ADMINISTRATEURS)
def ajouter_taux(ecriture: Ecriture, donnees: dict) -> TauxHoraire:
    """The administrator adds a row; rows are never changed, so past pay keeps the rate of its date."""
    session = ecriture.session
    form = valider(TauxForm, donnees)
    if session.exec(select(TauxHoraire).where(TauxHoraire.date_effet == form.date_effet)).first() is not None:
        raise ErreursSaisie([f"Date d'effet : un taux existe déjà au {form.date_effet:%d/%m/%Y} ; "
                             "choisissez la date de la nouvelle revalorisation."])
    ligne = TauxHoraire(date_effet=form.date_effet, im100_annuel=form.im100_annuel, taux=taux_depuis_im100(form.im100_annuel))
    session.add(ligne)
    ecriture.journaliser(f"taux:{form.date_effet.isoformat()}", im100_annuel=str(form.im100_annuel), taux=str(ligne.taux))
    session.flush()
    return ligne
