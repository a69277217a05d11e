"""The scheduler (APScheduler 3): one table declares every task and its trigger; tasks call the same services as
the pages. Jobs are kept in the application's database (SQLAlchemyJobStore), so a restart loses none.

Where it runs (setting OEPRE_PLANIFICATEUR):
- « application » (embedded default): started once per app process, at the first page served (app.py keeps it
  with st.cache_resource, so a page rerun never starts another);
- « processus »: the app starts none; run the worker `python -m workflow.automatismes.planification` once, beside the app
  instances that share a PostgreSQL database;
- « aucun »: nothing runs by itself (tests drive the tasks).
Two schedulers running at once are safe anyway: every task is idempotent (see workflow.automatismes.notifications).
"""

import logging
import signal
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler

from infra.base import moteur, session
from infra.settings import aujourdhui, get_settings, maintenant
from workflow.automatismes.balayage import balayer
from workflow.automatismes.conservation import appliquer
from workflow.automatismes.notifications import envoyer_en_attente
from workflow.automatismes.rappels import programmer_rappels
from workflow.automatismes.transitions import programmer_resumes

journal = logging.getLogger("oepre.planification")


@dataclass(frozen=True)
class Tache:
    id: str
    fonction: str  # « module:function »: APScheduler stores the reference, not the function
    declencheur: str  # cron | interval
    parametres: dict = field(default_factory=dict)
    description: str = ""


TACHES: tuple[Tache, ...] = (
    Tache("rappels", "workflow.automatismes.planification:tache_rappels", "cron", {"hour": 7, "minute": 0},
          "Rappels d'échéance, retards, ordre du jour, service fait, synthèse de la DAEPS (chaque matin)"),
    Tache("resumes", "workflow.automatismes.planification:tache_resumes", "cron", {"hour": 7, "minute": 0},
          "Résumé du jour : les messages des transitions gardés pour chacun, en un courriel (chaque matin)"),
    Tache("envoi", "workflow.automatismes.planification:tache_envoi", "interval", {"minutes": 1},
          "Envoi des messages de la boîte d'envoi, avec nouvel essai espacé en cas d'échec"),
    Tache("conservation", "workflow.automatismes.planification:tache_conservation", "cron", {"hour": 3, "minute": 30},
          "Avis aux écoles 30 jours avant, puis anonymisation des données des parents (chaque nuit)"),
    Tache("balayage", "workflow.automatismes.planification:tache_balayage", "interval", {"hours": 1},
          "Fichiers laissés par une action interrompue (sans enregistrement, temporaires) supprimés (au démarrage, "
          "puis chaque heure)"),
)


def tache_rappels() -> int:

    with session() as s:
        return programmer_rappels(s, aujourdhui(), maintenant())


def tache_resumes() -> int:

    with session() as s:
        return programmer_resumes(s, aujourdhui(), maintenant())


def tache_envoi():

    with session() as s:
        return envoyer_en_attente(s, maintenant())


def tache_conservation():

    with session() as s:
        return appliquer(s, aujourdhui(), maintenant())


def tache_balayage():

    with session() as s:
        return balayer(s).total


def creer(planificateur: BaseScheduler | None = None) -> BaseScheduler:
    """A scheduler on the database's job store with every task of the table (replacing stored ones by id)."""
    reglages = get_settings()
    planificateur = planificateur or BackgroundScheduler()
    planificateur.configure(
        jobstores={"default": SQLAlchemyJobStore(engine=moteur(), tablename="apscheduler_jobs")},
        timezone="Europe/Paris",
        # A task missed while the process was down runs once when it comes back (within a day).
        job_defaults={"coalesce": True, "misfire_grace_time": 24 * 3600, "max_instances": 1})
    for tache in TACHES:
        if reglages.planificateur_intervalle_s:
            declencheur, parametres = "interval", {"seconds": reglages.planificateur_intervalle_s}
        else:
            declencheur, parametres = tache.declencheur, tache.parametres
        au_demarrage = {"next_run_time": datetime.now(UTC)} if tache.id == "balayage" else {}  # the scheduler's clock
        planificateur.add_job(tache.fonction, declencheur, id=tache.id, name=tache.description, replace_existing=True,
                              **au_demarrage, **parametres)
    return planificateur


def demarrer_dans_l_application() -> BaseScheduler | None:
    """The embedded scheduler, or None when another process runs it (or none should)."""
    if get_settings().planificateur != "application":
        return None
    planificateur = creer()
    planificateur.start()
    journal.info("Planificateur démarré dans l'application")
    return planificateur


def executer_processus() -> None:
    """The worker: runs the tasks until SIGTERM/SIGINT."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    arret = threading.Event()
    for signal_ in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_, lambda *_: arret.set())
    planificateur = creer()
    planificateur.start()
    journal.info("Planificateur démarré : %s", ", ".join(t.id for t in TACHES))
    arret.wait()
    planificateur.shutdown(wait=True)


if __name__ == "__main__":
    executer_processus()
