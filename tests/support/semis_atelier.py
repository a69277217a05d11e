"""`python -m tests.support.semis_atelier`: on a freshly seeded demo database (OEPRE_* environment), the Tarn
college's retained atelier gets its intervenant engaged and four parents registered, names in several
scripts (dates of the demo's school year, 2025-2026 on the tests' days); used by the browser tests of the running
atelier."""

from datetime import date

from sqlmodel import Session, select

from db.models import Campagne, Dossier, Utilisateur
from demarrage.demo import ANNEE_DEMO, COLLEGE_DU_TARN
from tests.support.fabrique import GROUPE, INTERVENANT, executeur
from tests.support.semis import semer_en_base
from workflow.noyau.auth import acteur_de
from workflow.selection.actions import decaler_annees

PARENTS = (("Haddad", "Amina"), ("O'Brien-Müller", "Léa"), ("Кузнецова", "Ольга"), ("النجار", "فاطمة"))


def semer_dans(s: Session) -> Dossier:
    """Seed the Tarn atelier in this session; returns its dossier."""
    porteur = acteur_de(s.exec(select(Utilisateur).where(Utilisateur.identifiant == "principal.jaures@ac-toulouse.fr")).one())
    dossier = s.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    ecart = int(s.get(Campagne, dossier.campagne_id).annee_scolaire[:4]) - ANNEE_DEMO

    def le(iso: str) -> str:
        return decaler_annees(date.fromisoformat(iso), ecart).isoformat()

    etape = executeur(s, porteur, dossier)

    etape("engager_intervenant", **INTERVENANT, groupe=GROUPE, date_debut=le("2025-11-17"), date_fin=le("2026-06-30"))
    for nom, prenom in PARENTS:
        etape("inscrire_parent", nom=nom, prenom=prenom, groupe=GROUPE, date_inscription=le("2025-11-17"),
              enfants=[{"prenom": "Yasmine", "classe": "CE1", "uai_ecole": "0819109L"}])
    s.refresh(dossier)
    return dossier


if __name__ == "__main__":
    semer_en_base(semer_dans)
