"""`python -m tests.support.semis_brouillon`: on a freshly seeded demo database (OEPRE_* environment), the Tilleuls
school's draft holds the whole demo application but its head's name and the engagement of section 7, as a head would
leave it the day before filing; used by the keyboard-only journey (tests/navigateur/test_clavier.py)."""

from sqlmodel import Session, select

from db.models import Campagne, Dossier, Utilisateur
from demarrage.demo import ANNEE_DEMO, ECOLE_PORTEUR, candidature_demo
from tests.support.semis import semer_en_base
from workflow.noyau.auth import acteur_de
from workflow.selection import candidature


def semer_dans(s: Session) -> Dossier:
    campagne = s.exec(select(Campagne).where(Campagne.academie_code == "toulouse")).one()
    dossier = s.exec(select(Dossier).where(Dossier.campagne_id == campagne.id, Dossier.uai == ECOLE_PORTEUR)).one()
    directrice = acteur_de(s.exec(select(Utilisateur).where(Utilisateur.identifiant == "directrice.tilleuls@ac-toulouse.fr")).one())
    donnees = candidature_demo(ecart=int(campagne.annee_scolaire[:4]) - ANNEE_DEMO)
    donnees.pop("responsable_nom")
    donnees["inscrit_projet_etablissement"] = False
    candidature.enregistrer_brouillon(s, directrice, dossier_id=dossier.id, donnees=donnees, version=dossier.version)
    return dossier


if __name__ == "__main__":
    semer_en_base(semer_dans)
