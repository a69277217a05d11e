"""What the closing's steps write (step 11): each bilan, kept once per type and corrected in place when sent again."""

from sqlmodel import select

from db.models import Bilan
from forms.base import FormModel
from forms.vocabulaire import Etat, TypeBilan
from workflow.noyau.etape import Execution


def clos_si_dernier_bilan(form: FormModel) -> Etat:
    """The second bilan transmitted closes the dossier (its form says whether it is the last one)."""
    return Etat.CLOS if form.dernier_bilan else Etat.ATELIERS_TERMINES


def _transmettre(x: Execution, type_bilan: TypeBilan) -> None:
    bilan = x.session.exec(select(Bilan).where(Bilan.dossier_id == x.dossier.id, Bilan.type_bilan == type_bilan.value)).first()
    bilan = bilan or Bilan(dossier_id=x.dossier.id, type_bilan=type_bilan.value)
    bilan.donnees, bilan.transmis_le = x.form.model_dump(mode="json"), x.form.date_envoi
    x.session.add(bilan)


def transmettre_bilan_pedagogique(x: Execution) -> None:
    _transmettre(x, TypeBilan.PEDAGOGIQUE)


def transmettre_bilan_financier(x: Execution) -> None:
    _transmettre(x, TypeBilan.FINANCIER)
