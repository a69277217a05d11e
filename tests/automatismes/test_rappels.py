"""A whole school year of reminders with a controlled clock, against a real local SMTP server: exactly the expected
e-mails arrive, once each, even when the clock jumps forwards and back."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select

from db.models import Notification
from tests.conftest import exiger_outil, libreoffice_present
from tests.support import annee_scolaire as histoire
from workflow.automatismes import notifications
from workflow.automatismes.rappels import programmer_rappels
from workflow.automatismes.transitions import programmer_resumes


def _journee(session, jour, vecus):
    histoire.vivre_jusqu_a(session, jour, vecus)
    programmer_rappels(session, jour, histoire.instant(jour))
    programmer_resumes(session, jour, histoire.instant(jour))
    notifications.envoyer_en_attente(session, histoire.instant(jour, 8))


def _verifier(session, boite, attendus):
    assert boite.sujets() == attendus
    cles = Counter(m["X-OEPRE-Cle"] for m in boite.recus)
    assert max(cles.values()) == 1
    # Sent, or quoted in a digest sent (the transitions' messages for the DSDEN, the pilote, the DAEPS).
    assert {n.statut for n in session.exec(select(Notification))} <= {"envoye", "regroupe"}


def test_une_annee_scolaire(session, smtp):
    exiger_outil(libreoffice_present(), "LibreOffice absent (le PDF de la notification de décision)")
    histoire.semer(session)
    vecus: set = set()
    jour = histoire.DEBUT
    while jour <= histoire.FIN:
        _journee(session, jour, vecus)
        jour += timedelta(days=1)
    _verifier(session, smtp, histoire.attendus())
    assert len(smtp.recus) == len(histoire.attendus()) == 70
    histoire.verifier_la_decision(smtp.recus)


def test_horloge_qui_saute(session, smtp):
    """Forwards over the filing deadline (its reminders are not sent late; the overdue alert and the closing are),
    then back a fortnight twice: nothing is sent twice."""
    histoire.semer(session)
    vecus: set = set()
    sautes = {histoire.DEBUT + timedelta(days=n) for n in range((histoire.FIN - histoire.DEBUT).days + 1)
              if "2025-09-24" <= str(histoire.DEBUT + timedelta(days=n)) <= "2025-10-03"}
    jours = [j for j in (histoire.DEBUT + timedelta(days=n) for n in range((histoire.FIN - histoire.DEBUT).days + 1))
             if j not in sautes]
    retours = {histoire.DEBUT + timedelta(days=80): 14, histoire.DEBUT + timedelta(days=250): 14}
    for jour in jours:
        _journee(session, jour, vecus)
        if jour in retours:
            for arriere in range(retours[jour], 0, -1):
                _journee(session, jour - timedelta(days=arriere), vecus)
    perdus = [("a@ecole.fr", s) for s in (
        "OEPRE — Déposer le dossier de candidature : échéance dans 7 jours (3 octobre 2025)",
        "OEPRE — Déposer le dossier de candidature : échéance demain (3 octobre 2025)")] + [
        ("b@college.fr", "OEPRE — Déposer le dossier de candidature : échéance dans 7 jours (3 octobre 2025)")]
    attendus = sorted(x for x in histoire.attendus() if x not in perdus)
    attendus.remove(("daeps@ac.fr", "OEPRE — Synthèse de la semaine du 29 septembre 2025"))  # a Monday jumped over
    # The filing of 29 September, lived when the service wakes on 4 October, is in that morning's digest.
    attendus.remove(("dsden81@ac.fr", "OEPRE — Résumé du 29 septembre 2025 : 1 message(s)"))
    attendus = sorted([*attendus, ("dsden81@ac.fr", "OEPRE — Résumé du 4 octobre 2025 : 1 message(s)")])
    _verifier(session, smtp, attendus)


def test_tache_interrompue_puis_relancee(session, smtp, monkeypatch):
    """The morning task crashes half-way (after the filing reminders, before the rest): run again, it completes the
    day without sending anything twice."""
    from datetime import date

    from workflow.automatismes import rappels

    histoire.semer(session)
    vecus: set = set()
    jour = date(2025, 10, 29)  # the decision reminder, then the committee agenda
    histoire.vivre_jusqu_a(session, jour, vecus)

    def panne(*_):
        raise RuntimeError("processus interrompu")

    ordre_du_jour = rappels._ordre_du_jour
    monkeypatch.setattr(rappels, "_ordre_du_jour", panne)
    with pytest.raises(RuntimeError):
        programmer_rappels(session, jour, histoire.instant(jour))
    session.rollback()
    notifications.envoyer_en_attente(session, histoire.instant(jour, 8))
    monkeypatch.setattr(rappels, "_ordre_du_jour", ordre_du_jour)
    programmer_rappels(session, jour, histoire.instant(jour))
    programmer_resumes(session, jour, histoire.instant(jour))  # the morning's other task: the day's digests
    notifications.envoyer_en_attente(session, histoire.instant(jour, 9))
    _verifier(session, smtp, histoire.attendus({jour}))


def test_le_tableau_de_bord_et_le_courriel_du_pilote_disent_les_memes_retards(demo, acteurs):
    """One answer to « what is overdue »: the dashboard's items (by département) and the pilote's overdue e-mail
    count the same dossiers for each step, both derived from the table's deadlines (workflow.echeances)."""
    from db.models import Campagne
    from forms.vocabulaire import Etat
    from tests.support.fabrique import dossier_en_etat
    from workflow import echeances

    campagne = demo.exec(select(Campagne)).one()
    dossier_en_etat(demo, Etat.DEPOSE)
    jour = campagne.date_limite_avis_dasen + timedelta(days=2)
    tableau = Counter()
    for r in echeances.retards_visibles(demo, acteurs["pilote"], campagne, jour):
        tableau[r.libelle.split(" — ")[0]] += r.nombre
    assert tableau  # the DASEN's opinion is overdue
    programmer_rappels(demo, jour)
    courriels = {}
    for n in demo.exec(select(Notification).where(Notification.type_notification == "retards")):
        etape = n.sujet.split(" : ", 1)[1]
        courriels[etape] = sum(1 for ligne in n.corps.splitlines() if ligne.startswith("- "))
    assert courriels == dict(tableau)
