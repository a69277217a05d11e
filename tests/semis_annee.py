"""`python -m tests.semis_annee`: on a freshly seeded demo database (OEPRE_* environment), a finished year of
60 ateliers (bench/annee.py) and an account for the head of the first of them; used by the browser tests
of the year's closing."""

from sqlmodel import select

from bench.annee import semer_annee
from db.models import Campagne, Dossier, Utilisateur
from workflow.auth import hacher
from workflow.base import session
from workflow.demo import MOT_DE_PASSE_DEMO

DIRECTRICE = "directrice.foix@ac-toulouse.fr"


def semer() -> None:
    with session() as s:
        campagne = s.exec(select(Campagne)).one()
        premier = s.get(Dossier, semer_annee(s, campagne.id)[0])
        s.add(Utilisateur(identifiant=DIRECTRICE, nom_affiche="Mme Directrice (Foix)", role="porteur", uai=premier.uai,
                          mot_de_passe_hash=hacher(MOT_DE_PASSE_DEMO)))
        s.commit()


if __name__ == "__main__":
    semer()
