"""`python -m tests.support.semis_avis`: on a freshly seeded demo database (OEPRE_* environment), two Haute-Garonne schools have
filed their application — the Tilleuls (its demo dossier) and the Jean-Moulin school of Colomiers, whose head gets an
account — and wait for the DASEN's opinion; used by the browser journeys of the opinion and the committee
(tests/navigateur/test_navigateur_comite.py). Only what precedes the opinion is seeded: the rest goes through the pages."""

from sqlmodel import select

from db.models import Dossier, Utilisateur
from demarrage.demo import ECOLE_PORTEUR, MOT_DE_PASSE_DEMO, candidature_demo, creer_compte, uai
from forms.vocabulaire import Role
from infra.base import session
from workflow import services
from workflow.noyau.auth import acteur_de, hacher
from workflow.selection import candidature

ECOLE_MOULIN = uai("31", 9102)
DIRECTEUR_MOULIN = "directeur.moulin@ac-toulouse.fr"


def _deposer(s, acteur, dossier_id: int, donnees: dict) -> None:
    version = s.get(Dossier, dossier_id).version
    services.executer(s, acteur, "deposer", dossier_id=dossier_id, version=version, donnees=donnees, pdf_apres=False)


def semer() -> None:
    with session() as s:
        tilleuls = s.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
        directrice = acteur_de(s.exec(select(Utilisateur).where(
            Utilisateur.identifiant == "directrice.tilleuls@ac-toulouse.fr")).one())
        _deposer(s, directrice, tilleuls.id, candidature_demo())

        compte = creer_compte(s, DIRECTEUR_MOULIN, "Luc Moreau, directeur de l'école Jean-Moulin", Role.PORTEUR,
                              ECOLE_MOULIN, None, hacher(MOT_DE_PASSE_DEMO))
        s.commit()
        directeur = acteur_de(compte)
        moulin = candidature.creer_dossier(s, directeur, campagne_id=tilleuls.campagne_id, uai=ECOLE_MOULIN)
        _deposer(s, directeur, moulin, candidature_demo(heures="60", effectif=12, nom_intervenant="LEROY") | {
            "responsable_nom": "Luc Moreau", "responsable_email": "direction.moulin@ac-toulouse.fr",
            "upe2a_dans_structure": False, "nb_parents_prevus": 24, "nb_primo_arrivants_prevus": 10})


if __name__ == "__main__":
    semer()
