"""`python -m tests.support.semis_atelier`: on a freshly seeded demo database (OEPRE_* environment), the Tarn
college's retained atelier gets its intervenant engaged and four parents registered, names in several
scripts (dates of the demo's school year, 2025-2026 on the tests' days); used by the browser tests of the running
atelier."""

from collections.abc import Callable
from datetime import date

from sqlmodel import Session, select

from db.models import Campagne, Dossier, Utilisateur
from demarrage.demo import ANNEE_DEMO, ECOLE_PORTEUR
from infra.base import session
from workflow import services
from workflow.noyau import moteur
from workflow.noyau.auth import acteur_de
from workflow.noyau.permissions import Acteur
from workflow.selection.actions import decaler_annees

GROUPE = "Groupe A — débutants"
PARENTS = (("Haddad", "Amina"), ("O'Brien-Müller", "Léa"), ("Кузнецова", "Ольга"), ("النجار", "فاطمة"))


def executeur(s: Session, acteur: Acteur, dossier: Dossier) -> Callable[..., moteur.Resultat]:
    """etape(cle, **donnees): runs that step on the dossier as the actor, at the dossier's current version."""

    def etape(cle: str, **donnees) -> moteur.Resultat:
        s.refresh(dossier)
        return services.executer(s, acteur, cle, dossier_id=dossier.id, version=dossier.version, donnees=donnees,
                                 pdf_apres=False)

    return etape


def semer_dans(s: Session) -> Dossier:
    """Seed the Tarn atelier in this session; returns its dossier."""
    porteur = acteur_de(s.exec(select(Utilisateur).where(Utilisateur.identifiant == "principal.jaures@ac-toulouse.fr")).one())
    dossier = s.exec(select(Dossier).where(Dossier.uai != ECOLE_PORTEUR)).one()
    ecart = int(s.get(Campagne, dossier.campagne_id).annee_scolaire[:4]) - ANNEE_DEMO

    def le(iso: str) -> str:
        return decaler_annees(date.fromisoformat(iso), ecart).isoformat()

    etape = executeur(s, porteur, dossier)

    etape("engager_intervenant", nom="Álvarez", prenom="Sofia", statut="enseignant_upe2a", employeur_principal="EN",
          groupe=GROUPE, date_debut=le("2025-11-17"), date_fin=le("2026-06-30"), heures_prevues="80",
          statut_cumul="accorde", atteste_hors_service=True)
    for nom, prenom in PARENTS:
        etape("inscrire_parent", nom=nom, prenom=prenom, groupe=GROUPE, date_inscription=le("2025-11-17"),
              enfants=[{"prenom": "Yasmine", "classe": "CE1", "uai_ecole": "0819109L"}])
    s.refresh(dossier)
    return dossier


def retenir_les_tilleuls(s: Session, acteurs: dict) -> Dossier:
    """The Haute-Garonne school's demo dossier filed, given a favourable opinion and retained (140 h); returns it."""
    from demarrage.demo import candidature_demo

    dossier = s.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    for acteur, cle, donnees in (("porteur", "deposer", candidature_demo()),
                                 ("dsden31", "emettre_avis", {"avis": "favorable", "signataire": "DASEN 31"}),
                                 ("pilote", "decider", {"decision": "retenu", "heures_financees": "140", "montant_p104": "3000",
                                                        "montant_en": "1286.10"})):
        s.refresh(dossier)
        services.executer(s, acteurs[acteur], cle, dossier_id=dossier.id, version=dossier.version, donnees=donnees, pdf_apres=False)
    s.refresh(dossier)
    return dossier


def semer() -> None:
    with session() as s:
        semer_dans(s)


if __name__ == "__main__":
    semer()
