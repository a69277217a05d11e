"""`python -m tests.support.semis_renouvellement`: on a freshly seeded demo database (OEPRE_* environment), the Tilleuls
school gets last year's dossier (the campaign before the demo's, e.g. 2024-2025, closed), stored as a filing stores it, so that its head can take
it over (« Reprendre le dossier de l'an dernier »); used by the tests of the guided application's grids."""

from datetime import date

from sqlmodel import Session, select

from db.models import Campagne, Dossier
from demarrage.demo import ANNEE_DEMO, ECOLE_PORTEUR, calendrier_demo, candidature_demo
from forms.base import valider
from forms.candidature import CandidatureForm
from tests.support.semis import semer_en_base


def semer_dans(s: Session) -> Dossier:
    courante = s.exec(select(Campagne).where(Campagne.academie_code == "toulouse")).one()  # the Toulouse demo
    ecart = int(courante.annee_scolaire[:4]) - ANNEE_DEMO - 1  # last year, from the demo's school year
    calendrier = calendrier_demo(date(ANNEE_DEMO + ecart, 9, 1))
    dates = {k: date.fromisoformat(v) for k, v in calendrier.items() if k != "annee_scolaire"}
    ancienne = Campagne(annee_scolaire=calendrier["annee_scolaire"], academie_code=courante.academie_code, **dates)
    s.add(ancienne)
    s.flush()
    donnees = candidature_demo(ecart=ecart)
    # as `deposer` stores it: ints as ints, Decimals as text, time slots as a list of {jour, debut, fin}
    dossier = Dossier(campagne_id=ancienne.id, uai=ECOLE_PORTEUR, etat="clos",
                      formulaire=valider(CandidatureForm, donnees).model_dump(mode="json"))
    s.add(dossier)
    s.commit()
    return dossier


if __name__ == "__main__":
    semer_en_base(semer_dans)
