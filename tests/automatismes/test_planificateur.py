"""The scheduler as it runs in production: worker processes (`python -m workflow.automatismes.planification`) with their jobs
in the database, a clock file the test moves day by day, a real local SMTP server. Restarted in the middle of the
year; on PostgreSQL, two workers at once. Exactly the expected e-mails arrive, once each."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import TABLE_TACHES, Notification
from tests.conftest import RACINE, exiger_outil, libreoffice_present
from tests.support import annee_scolaire as histoire
from tests.support.smtp import serveur_smtp
from workflow.automatismes import planification

JOURS = [date(2025, 9, 26), date(2025, 10, 2), date(2025, 10, 4), date(2025, 10, 10), date(2025, 10, 29),
         date(2025, 11, 5), date(2025, 12, 1), date(2026, 1, 1), date(2026, 6, 19), date(2026, 6, 26), date(2026, 7, 3),
         date(2026, 7, 9), date(2026, 7, 11)]


def _ouvrier(env: dict) -> subprocess.Popen:
    """The worker, its log in a file (a pipe nobody reads fills up with the jobs' log lines and blocks it)."""
    journal = tempfile.NamedTemporaryFile("w+", prefix="ouvrier-", suffix=".log", delete=False,
                                          dir=Path(env["OEPRE_DATA_DIR"]).parent)
    processus = subprocess.Popen([sys.executable, "-m", "workflow.automatismes.planification"], cwd=RACINE, env=env,
                                 stdout=subprocess.DEVNULL, stderr=journal, text=True)
    processus.journal = Path(journal.name)
    return processus


def _attendre(session, boite, combien: int, ouvriers) -> None:
    """Until `combien` e-mails have arrived and the outbox is drained, then a moment more to catch any extra."""
    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        session.expire_all()
        # Sent on its own, or quoted in a daily digest sent (a transition's e-mail to the DSDEN, the pilote, the DAEPS).
        en_cours = session.exec(select(Notification).where(Notification.statut.not_in(("envoye", "regroupe")))).all()
        if len(boite.recus) >= combien and not en_cours:
            time.sleep(1.0)
            return
        for o in ouvriers:
            assert o.poll() is None, o.journal.read_text()[-5000:]
        time.sleep(0.1)
    raise AssertionError(f"{len(boite.recus)} message(s) reçus sur {combien} attendus ; restent "
                         f"{[(n.destinataire, n.sujet, n.statut) for n in en_cours]}")


def test_redemarrage_et_deux_ouvriers(session, reglages, database_url, tmp_path):
    exiger_outil(libreoffice_present(), "LibreOffice absent (le PDF de la notification de décision)")
    histoire.semer(session)
    horloge = tmp_path / "horloge.txt"
    horloge.write_text(histoire.instant(date(2025, 9, 1)).isoformat())
    with serveur_smtp() as (port, boite):
        env = os.environ | {"OEPRE_DATABASE_URL": database_url, "OEPRE_DATA_DIR": str(tmp_path / "data"),
                            "OEPRE_HORLOGE": str(horloge), "OEPRE_PLANIFICATEUR_INTERVALLE_S": "0.3",
                            "OEPRE_SMTP_HOST": "127.0.0.1", "OEPRE_SMTP_PORT": str(port)}
        env.pop("OEPRE_DATE_DU_JOUR", None)
        ouvriers = [_ouvrier(env)]
        vecus: set = set()
        vus: list[date] = []
        try:
            for k, jour in enumerate(JOURS):
                if k == len(JOURS) // 2:  # mid-year: the worker is killed, then started again (jobs kept in the database)
                    ouvriers[0].send_signal(signal.SIGKILL)
                    ouvriers[0].wait(timeout=10)
                    ouvriers = [_ouvrier(env)]
                    if database_url.startswith("postgresql"):
                        ouvriers.append(_ouvrier(env))  # and a second one on the same database
                histoire.vivre_jusqu_a(session, jour, vecus)
                horloge.write_text(histoire.instant(jour).isoformat())
                vus.append(jour)
                _attendre(session, boite, len(histoire.attendus(set(vus))), ouvriers)
        finally:
            for o in ouvriers:
                o.send_signal(signal.SIGTERM)
            for o in ouvriers:  # a graceful stop waits for the running job: generous on a loaded machine
                o.wait(timeout=90)
        assert boite.sujets() == histoire.attendus(set(JOURS))
        histoire.verifier_la_decision(boite.recus)
        assert max(Counter(m["X-OEPRE-Cle"] for m in boite.recus).values()) == 1
    session.expire_all()
    stockees = {ligne[0] for ligne in session.execute(select(TABLE_TACHES.c.id))}
    assert stockees == {t.id for t in planification.TACHES}  # the job store holds each task once


@pytest.mark.parametrize("mode", ["application", "processus", "aucun"])
def test_un_seul_planificateur_par_processus(reglages, monkeypatch, mode):
    """The app starts the embedded scheduler once per process whatever the number of page reruns, only in
    « application » mode."""
    from infra import settings

    monkeypatch.setenv("OEPRE_PLANIFICATEUR", mode)
    settings.get_settings.cache_clear()
    premier = planification.demarrer_dans_l_application()
    try:
        assert (premier is not None) == (mode == "application")
        if premier:
            assert {j.id for j in premier.get_jobs()} == {t.id for t in planification.TACHES}
    finally:
        if premier:
            premier.shutdown(wait=False)


def test_l_application_ne_le_demarre_qu_une_fois(demo, monkeypatch):
    """Reruns and new sessions of the app find the scheduler started by the first page served."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.support.appli import APP

    demarrages = []
    monkeypatch.setattr(planification, "demarrer_dans_l_application", lambda: demarrages.append(1) or "planificateur")
    st.cache_resource.clear()
    try:
        premiere = AppTest.from_file(APP, default_timeout=30).run()
        premiere.run()
        AppTest.from_file(APP, default_timeout=30).run()
        assert demarrages == [1] and not premiere.exception
    finally:
        st.cache_resource.clear()
