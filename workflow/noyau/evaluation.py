"""The diagnostic evaluations of parents (spec step 7): an initial one before the start, a final one at the year's end,
and progress as the number of levels gained from the one to the other (alphabétisation < A1.1 < A1 < A2 < B1 < B2).

Read for many dossiers at once in one query (the bilans of a whole académie read them this way)."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, select

from db.models import Auditeur, Evaluation
from forms.vocabulaire import NIVEAUX_D_UNE_PERSONNE, MomentEvaluation

ECHELLE = [n.value for n in NIVEAUX_D_UNE_PERSONNE]


def rang(niveau: str | None) -> int | None:
    """The level's place on the scale, None for « non évalué » or anything else."""
    return ECHELLE.index(niveau) if niveau in ECHELLE else None


def niveaux_gagnes(initial: str | None, final: str | None) -> int | None:
    """Levels gained (negative if lost), None unless both levels are on the scale."""
    debut, fin = rang(initial), rang(final)
    return None if debut is None or fin is None else fin - debut


@dataclass(frozen=True)
class EvaluationsParent:
    initiale: Evaluation | None
    finale: Evaluation | None

    def progres(self, competence: str) -> int | None:
        """Levels gained at the oral (« oral ») or in writing (« ecrit »), None without both evaluations."""
        if self.initiale is None or self.finale is None:
            return None
        champ = f"niveau_{competence}"
        return niveaux_gagnes(getattr(self.initiale, champ), getattr(self.finale, champ))


AUCUNE = EvaluationsParent(None, None)


def evaluations(session: Session, dossier_ids: Iterable[int]) -> dict[int, EvaluationsParent]:
    """Per parent of these dossiers who has at least one evaluation: their initial and final evaluations."""
    par_parent: dict[int, dict[str, Evaluation]] = {}
    for e in session.exec(select(Evaluation).join(Auditeur, Auditeur.id == Evaluation.auditeur_id)
                          .where(Auditeur.dossier_id.in_(list(dossier_ids)))):
        par_parent.setdefault(e.auditeur_id, {})[e.moment] = e
    return {a: EvaluationsParent(m.get(MomentEvaluation.INITIALE.value), m.get(MomentEvaluation.FINALE.value))
            for a, m in par_parent.items()}
