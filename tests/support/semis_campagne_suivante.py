"""`python -m tests.support.semis_campagne_suivante`: on a freshly seeded demo database (OEPRE_* environment, « today » in the
spring or June of the demo's school year), the Tarn atelier runs (tests/support/semis_atelier.py) and the pilote has opened
next year's campaign through the service, with the pre-filled calendar of the page; used by the browser test of the
rollover."""

from sqlmodel import select

from db.models import Campagne, Utilisateur
from infra.base import session
from tests.support.semis_atelier import semer_dans
from workflow import services
from workflow.noyau.auth import acteur_de
from workflow.selection.actions import campagne_suivante


def semer() -> None:
    with session() as s:
        semer_dans(s)
        pilote = acteur_de(s.exec(select(Utilisateur).where(Utilisateur.identifiant == "pilote@ac-toulouse.fr")).one())
        ancienne = s.exec(select(Campagne).where(Campagne.academie_code == "toulouse")).one()  # the Toulouse demo
        services.executer(s, pilote, "ouvrir_campagne", donnees=campagne_suivante(ancienne), pdf_apres=False)


if __name__ == "__main__":
    semer()
