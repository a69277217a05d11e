"""`python -m tests.semis_renouvellement`: on a freshly seeded demo database (OEPRE_* environment), the Tilleuls
school gets last year's dossier (campaign 2024-2025, closed), stored as a filing stores it, so that its head can take
it over (« Reprendre le dossier de l'an dernier »); used by the tests of the guided application's grids."""

from datetime import date

from sqlmodel import Session, select

from db.models import Campagne, Dossier
from forms.base import valider
from forms.candidature import CandidatureForm
from workflow.base import session
from workflow.demo import CALENDRIER_DEMO, ECOLE_PORTEUR, candidature_demo


def _an_dernier(jour: str) -> date:
    j = date.fromisoformat(jour)
    return j.replace(year=j.year - 1)


def semer_dans(s: Session) -> Dossier:
    courante = s.exec(select(Campagne)).one()
    dates = {k: _an_dernier(v) for k, v in CALENDRIER_DEMO.items() if k != "annee_scolaire"}
    ancienne = Campagne(annee_scolaire="2024-2025", academie_code=courante.academie_code, **dates)
    s.add(ancienne)
    s.flush()
    donnees = candidature_demo()
    for g in donnees["groupes"]:
        g["date_debut"], g["date_fin"] = _an_dernier(g["date_debut"]).isoformat(), _an_dernier(g["date_fin"]).isoformat()
    # as `deposer` stores it: ints as ints, Decimals as text, time slots as a list of {jour, debut, fin}
    dossier = Dossier(campagne_id=ancienne.id, uai=ECOLE_PORTEUR, etat="clos",
                      formulaire=valider(CandidatureForm, donnees).model_dump(mode="json"))
    s.add(dossier)
    s.commit()
    return dossier


def semer() -> None:
    with session() as s:
        semer_dans(s)


if __name__ == "__main__":
    semer()
