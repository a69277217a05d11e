"""`python -m tests.support.pannes preparer | atelier`: the real processes of tests/test_pannes.py.

- `preparer` (OEPRE_* environment): on a freshly seeded demo database, the Tarn atelier running in February, with
  two January séances certified: every action of the matrix is possible on it.
- `atelier`: imports the application once, then for each case read on stdin (one JSON line) forks a child that
  arms a fault at a chosen point of one action and runs it; at that point the child either dies by SIGKILL
  (« tuer ») or has its database connection terminated by the server (« couper », PostgreSQL). One JSON line per
  case on stdout: the child's exit status (-9 killed, 0 done, 3 failed with an exception).
"""

import io
import json
import os
import signal
import sys
from collections.abc import Callable
from datetime import date

from workflow import services

JOUR = "2026-02-27"  # the demo's school year 2025-2026; January's séances certified, payable
MOIS = date(2026, 1, 1)
PARENT = {"nom": "Martin", "prenom": "Zoé"}
ACTIONS = ("document", "paiement", "lot", "televersement")
POINTS = ("avant_verrou", "apres_rendu", "apres_fichiers", "avant_commit", "apres_commit")


def acteur(s, identifiant: str):
    from sqlmodel import select

    from db.models import Utilisateur
    from workflow.noyau.auth import acteur_de

    return acteur_de(s.exec(select(Utilisateur).where(Utilisateur.identifiant == identifiant)).one())


def dossier_tarn(s):
    from sqlmodel import select

    from db.models import Dossier
    from demarrage.demo import COLLEGE_DU_TARN

    return s.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()


def feuille_signee() -> bytes:
    from pypdf import PdfWriter

    sortie, tampon = PdfWriter(), io.BytesIO()
    sortie.add_blank_page(width=595, height=842)
    sortie.write(tampon)
    return tampon.getvalue()


def agir(s, action: str) -> None:
    """The action of the matrix, as its page runs it (PDF included for a step)."""
    from sqlmodel import select

    from db.models import Seance
    from tests.support.semis_atelier import GROUPE
    from workflow.atelier import attestations, emargement

    dossier = dossier_tarn(s)
    if action == "document":
        services.executer(s, acteur(s, "principal.jaures@ac-toulouse.fr"), "inscrire_parent", dossier_id=dossier.id,
                          version=dossier.version, donnees=PARENT | {"groupe": GROUPE, "date_inscription": JOUR,
                                                                     "enfants": [{"prenom": "Léo", "classe": "CP", "uai_ecole": "0819109L"}]})
    elif action == "paiement":
        services.executer(s, acteur(s, "gestionnaire.jaures@ac-toulouse.fr"), "liquider", dossier_id=dossier.id,
                          version=dossier.version, donnees={"structure_payeuse": "Collège Jean-Jaurès (Albi)",
                                                            "mois": MOIS.isoformat()})
    elif action == "lot":
        attestations.produire_lot(s, acteur(s, "principal.jaures@ac-toulouse.fr"), campagne_id=dossier.campagne_id,
                                  dossier_id=dossier.id)
    else:
        seance = s.exec(select(Seance).order_by(Seance.date_seance)).first()
        emargement.joindre_feuille_signee(s, acteur(s, "principal.jaures@ac-toulouse.fr"), seance_id=seance.id,
                                          nom="feuille.pdf", contenu=feuille_signee())


def preparer() -> None:
    from infra.base import session
    from tests.support import semis_atelier

    with session() as s:
        dossier = semis_atelier.semer_dans(s)
        etape = semis_atelier.executeur(s, acteur(s, "principal.jaures@ac-toulouse.fr"), dossier)
        for jour in ("2026-01-13", "2026-01-20"):
            etape("enregistrer_seance", groupe=semis_atelier.GROUPE, date_seance=jour, heure_debut="14:00",
                  heure_fin="16:00", axes=["langue"], intervenants=["Sofia ÁLVAREZ"],
                  presences=[{"nom": n, "prenom": p, "statut": "present"} for n, p in semis_atelier.PARENTS])
        etape("certifier_service_fait", intervenant="Sofia ÁLVAREZ", mois=MOIS.isoformat(), certifie_par="Le principal")


def _couper() -> None:
    """The server terminates this database's connections (what a restart or a failover does)."""
    from sqlalchemy import create_engine, text

    from infra.settings import get_settings

    moteur = create_engine(get_settings().database_url, isolation_level="AUTOCOMMIT")
    with moteur.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    moteur.dispose()


def _armer(action: str, point: str, panne: Callable[[], None]) -> None:
    """Wrap the function the point is about; the fault fires once, before or after its first call."""
    from sqlmodel import Session

    from documents import lot, render, stockage
    from workflow.atelier import attestations, emargement
    from workflow.noyau import moteur

    declenche = []

    def envelopper(module, nom: str, apres: bool) -> None:
        origine = getattr(module, nom)

        def enveloppe(*args, **kwargs):
            if not apres and not declenche:
                declenche.append(1)
                panne()
            resultat = origine(*args, **kwargs)
            if apres and not declenche:
                declenche.append(1)
                panne()
            return resultat

        setattr(module, nom, enveloppe)

    ecrit_par = {"lot": attestations, "televersement": emargement}
    if point == "avant_verrou":
        if action in ecrit_par:  # its lock is the first statement of enregistrer_fichier
            envelopper(ecrit_par[action], "enregistrer_fichier", apres=False)
        else:
            envelopper(moteur, "verrouiller", apres=False)
    elif point == "apres_rendu":
        module, nom = {"lot": (lot, "produire"), "televersement": (emargement, "verifier_scan")}.get(action, (render, "rendre"))
        envelopper(module, nom, apres=True)
    elif point == "apres_fichiers":
        envelopper(stockage.DepotFichiers, "ecrire", apres=True)
    else:
        envelopper(Session, "commit", apres=point == "apres_commit")


def _enfant(cas: dict) -> None:
    os.environ.update({"OEPRE_DATABASE_URL": cas["database_url"], "OEPRE_DATA_DIR": cas["data_dir"],
                       "OEPRE_DATE_DU_JOUR": JOUR, "OEPRE_PLANIFICATEUR": "aucun", "OEPRE_CONVERSION": "froide"})
    from infra import base, settings

    settings.get_settings.cache_clear()
    base.moteur.cache_clear()
    if cas["mode"] != "aucune":  # « aucune »: the action as it runs every day
        _armer(cas["action"], cas["point"], (lambda: os.kill(os.getpid(), signal.SIGKILL)) if cas["mode"] == "tuer" else _couper)
    try:
        with base.session() as s:
            agir(s, cas["action"])
    except Exception as exc:  # noqa: BLE001 - reported to the test
        print(f"{type(exc).__name__}: {exc}"[:300], file=sys.stderr)
        os._exit(3)
    os._exit(0)


def atelier() -> None:
    # Everything the children need, imported once: a fork then starts in milliseconds.
    import documents.lot  # noqa: F401
    import tests.support.semis_atelier  # noqa: F401
    import workflow.atelier.attestations  # noqa: F401
    import workflow.atelier.emargement  # noqa: F401
    import workflow.services  # noqa: F401

    for ligne in sys.stdin:
        cas = json.loads(ligne)
        pid = os.fork()
        if pid == 0:
            _enfant(cas)
        _, statut = os.waitpid(pid, 0)
        code = -os.WTERMSIG(statut) if os.WIFSIGNALED(statut) else os.WEXITSTATUS(statut)
        print(json.dumps({"code": code}), flush=True)


if __name__ == "__main__":
    {"preparer": preparer, "atelier": atelier}[sys.argv[1]]()
