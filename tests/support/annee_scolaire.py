"""A school year told day by day for the reminder tests: two schools of the 2025-2026 campaign, one that never
files its dossier (Haute-Garonne), one that goes through the whole cycle (Tarn), the accounts that receive
mail, and the e-mails that must arrive, computed from the story (not from the code under test).

The Tarn college's transitions that concern someone are real steps, run by the engine on their day (filed, opinion,
decision with its notification's PDF, credits notified twice — a replay —, bilan), so their e-mails are among
those expected: at once for the head and the paying service, in the next morning's digest for the DSDEN, the
pilote and the DAEPS (workflow.automatismes.transitions).

`python -m tests.support.annee_scolaire` seeds it in the database of the OEPRE_* environment (for scheduler processes)."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlmodel import Session, select

from db.models import Campagne, Dossier, Engagement, Etablissement, Groupe, Intervenant, Seance, Utilisateur
from demarrage.demo import CALENDRIER_DEMO, candidature_demo, creer_compte, semer_referentiel, uai
from documents.render import date_fr
from forms.vocabulaire import Role
from infra.settings import get_settings
from tests.support.fabrique import DECISION_RETENUE, GROUPE, executer_etape
from workflow import services
from workflow.noyau.auth import acteur_de

DEBUT, FIN = date(2025, 9, 1), date(2026, 7, 31)
ECOLE_A, ECOLE_B = uai("31", 7001), uai("81", 7002)
COMPTES = [("pilote@ac.fr", Role.PILOTE, None, None), ("daeps@ac.fr", Role.DAEPS, None, None),
           ("comite@ac.fr", Role.COMITE, None, None), ("dsden31@ac.fr", Role.DSDEN, None, "31"),
           ("dsden81@ac.fr", Role.DSDEN, None, "81"), ("a@ecole.fr", Role.PORTEUR, ECOLE_A, None),
           ("b@college.fr", Role.PORTEUR, ECOLE_B, None), ("g@college.fr", Role.GESTIONNAIRE, ECOLE_B, None)]
INTERVENANTE = "sofia@intervenants.fr"
NUMERO_B = "2025-081-0002"  # the Tarn college's dossier, the second created
CREDITS = {"montant_p104": DECISION_RETENUE["montant_p104"], "montant_en": DECISION_RETENUE["montant_en"],
           "structure_payeuse": f"Collège Jean-Jaurès ({ECOLE_B})"}


def semer(s: Session) -> None:
    semer_referentiel(s)
    s.add_all([Etablissement(uai=ECOLE_A, nom="École des Lilas", type_structure="ecole_elementaire", commune="Muret",
                             departement_code="31"),
               Etablissement(uai=ECOLE_B, nom="Collège Jean-Jaurès", type_structure="college", commune="Albi",
                             departement_code="81")])
    s.flush()
    comptes = {ident: creer_compte(s, ident, ident, role, u, dep, "x") for ident, role, u, dep in COMPTES}
    s.commit()
    services.executer(s, acteur_de(comptes["pilote@ac.fr"]), "ouvrir_campagne", pdf_apres=False,
                      donnees=CALENDRIER_DEMO | {"budget_p104": "120000", "budget_en": "60000"})
    campagne = s.exec(select(Campagne)).one()
    s.add_all([Dossier(campagne_id=campagne.id, uai=ECOLE_A), Dossier(campagne_id=campagne.id, uai=ECOLE_B)])
    s.commit()


@contextmanager
def a_l_instant(quand: datetime) -> Iterator[None]:
    """The services of this process on the story's clock (a clock file of its own), then restored."""
    reglages = get_settings()
    avant = reglages.date_du_jour, reglages.horloge
    with tempfile.TemporaryDirectory() as dossier:
        horloge = Path(dossier) / "horloge.txt"
        horloge.write_text(quand.isoformat())
        reglages.date_du_jour, reglages.horloge = None, horloge
        try:
            yield
        finally:
            reglages.date_du_jour, reglages.horloge = avant


def _compte(s: Session, identifiant: str):
    return acteur_de(s.exec(select(Utilisateur).where(Utilisateur.identifiant == identifiant)).one())


def _etape(identifiant: str, cle: str, donnees, *, pdf: bool = False):
    """A real step on the Tarn dossier, by that account (`donnees`: the form, or what makes it from the day)."""
    def executer(s: Session, jour: date) -> None:
        b = _dossier(s, ECOLE_B)
        formulaire = donnees(jour) if callable(donnees) else donnees
        if pdf:
            s.refresh(b)
            services.executer(s, _compte(s, identifiant), cle, dossier_id=b.id, version=b.version, donnees=formulaire)
        else:
            executer_etape(s, _compte(s, identifiant), cle, b, **formulaire)
    return executer


def _atelier(s: Session, jour: date) -> None:
    """Sofia engaged on the first group of the filed application, its first two séances (the ateliers' start)."""
    b = _dossier(s, ECOLE_B)
    groupe = s.exec(select(Groupe).where(Groupe.dossier_id == b.id, Groupe.libelle == GROUPE)).one()
    sofia = Intervenant(nom="Álvarez", prenom="Sofia", statut="enseignant_upe2a", email=INTERVENANTE)
    s.add(sofia)
    s.flush()
    s.add(Engagement(intervenant_id=sofia.id, dossier_id=b.id, groupe_id=groupe.id, engage=True))
    s.add_all([Seance(groupe_id=groupe.id, date_seance=jour, heure_debut=time(14), heure_fin=time(16), minutes=120)
               for jour in (date(2025, 11, 18), date(2025, 12, 2))])


def _dossier(s: Session, code: str) -> Dossier:
    return s.exec(select(Dossier).where(Dossier.uai == code)).one()


def _etat(etat: str):
    def changer(s: Session, jour: date) -> None:
        b = _dossier(s, ECOLE_B)
        b.etat = etat
        s.add(b)
    return changer


def _depot(jour: date) -> dict:
    return candidature_demo() | {"date_ca": CALENDRIER_DEMO["date_ouverture"]}  # a college: its board's decision


# What happens to the Tarn college's dossier, at the start of each day (at 7:00, before the morning's tasks).
EVENEMENTS = {
    date(2025, 9, 29): [_etape("b@college.fr", "deposer", _depot)],
    date(2025, 10, 16): [_etape("dsden81@ac.fr", "emettre_avis", {"avis": "favorable", "signataire": "DASEN du Tarn"})],
    date(2025, 11, 5): [_etape("pilote@ac.fr", "decider", {"decision": "retenu", **DECISION_RETENUE}, pdf=True)],
    date(2025, 11, 10): [_etape("daeps@ac.fr", "notifier_credits", CREDITS),
                         _etape("daeps@ac.fr", "notifier_credits", CREDITS),  # notified again, the same: no new e-mail
                         _atelier],
    date(2025, 11, 18): [_etat("en_cours")],
    date(2026, 6, 24): [_etat("ateliers_termines")],
    date(2026, 7, 2): [_etape("b@college.fr", "transmettre_bilan_pedagogique", lambda j: {"date_envoi": j.isoformat()})],
}
# The day's transition e-mails kept for a digest, and those sent at once: (day, recipients, subject).
RESUMES = [(date(2025, 9, 29), "dsden81@ac.fr"), (date(2025, 10, 16), "pilote@ac.fr"), (date(2026, 7, 2), "daeps@ac.fr")]
IMMEDIATS = [(date(2025, 11, 5), "b@college.fr", f"OEPRE — Décision du comité de pilotage : Retenu ({NUMERO_B})"),
             (date(2025, 11, 10), "g@college.fr", f"OEPRE — Crédits notifiés : Collège Jean-Jaurès ({NUMERO_B})")]


def vivre_jusqu_a(s: Session, jour: date, vecus: set[date]) -> None:
    """What happened to the dossier up to this day (the world goes on whatever the service's clock says), each
    event on its own day's clock."""
    for quand in sorted(EVENEMENTS):
        if quand <= jour and quand not in vecus:
            with a_l_instant(instant(quand)):
                for evenement in EVENEMENTS[quand]:
                    evenement(s, quand)
                s.commit()
            vecus.add(quand)
    s.commit()


def attendus(jours=None) -> list[tuple[str, str]]:
    """(recipient, subject) of every e-mail the story calls for, each once: all of them, or those due on the given
    days only (a run that visits only these days)."""
    def rappel(etape: str, quand: str, echeance: date) -> str:
        return f"OEPRE — {etape} : échéance {quand} ({date_fr(echeance)})"

    depot, avis, copil, credits = date(2025, 10, 3), date(2025, 10, 17), date(2025, 11, 5), date(2025, 11, 12)
    fin, ped, fin_bilan = date(2026, 6, 26), date(2026, 7, 3), date(2026, 7, 10)
    liste = [
        (date(2025, 9, 26), "a@ecole.fr", rappel("Déposer le dossier de candidature", "dans 7 jours", depot)),
        (date(2025, 9, 26), "b@college.fr", rappel("Déposer le dossier de candidature", "dans 7 jours", depot)),
        (date(2025, 10, 2), "a@ecole.fr", rappel("Déposer le dossier de candidature", "demain", depot)),
        (date(2025, 10, 4), "pilote@ac.fr", f"OEPRE — En retard au {date_fr(depot)} : Déposer le dossier de candidature"),
        (date(2025, 10, 4), "a@ecole.fr", "OEPRE — Le dépôt des dossiers est clos"),
        (date(2025, 10, 10), "dsden81@ac.fr", rappel("Émettre l'avis du DASEN", "dans 7 jours", avis)),
        (date(2025, 10, 29), "pilote@ac.fr", rappel("Décision du comité de pilotage", "dans 7 jours", copil)),
        (date(2025, 10, 29), "comite@ac.fr", f"OEPRE — Ordre du jour du comité du {date_fr(copil)}"),
        (date(2025, 10, 29), "pilote@ac.fr", f"OEPRE — Ordre du jour du comité du {date_fr(copil)}"),
        (date(2025, 11, 4), "pilote@ac.fr", rappel("Décision du comité de pilotage", "demain", copil)),
        (date(2025, 11, 5), "daeps@ac.fr", rappel("Notifier les crédits", "dans 7 jours", credits)),
        (date(2025, 12, 1), "b@college.fr", "OEPRE — Service fait de novembre 2025 à certifier"),
        (date(2025, 12, 1), INTERVENANTE, "OEPRE — Service fait de novembre 2025 à certifier"),
        (date(2026, 1, 1), "b@college.fr", "OEPRE — Service fait de décembre 2025 à certifier"),
        (date(2026, 1, 1), INTERVENANTE, "OEPRE — Service fait de décembre 2025 à certifier"),
        (date(2026, 6, 19), "b@college.fr", rappel("Terminer les ateliers", "dans 7 jours", fin)),
        (date(2026, 6, 26), "b@college.fr", rappel("Transmettre le bilan pédagogique", "dans 7 jours", ped)),
        (date(2026, 7, 3), "b@college.fr", rappel("Transmettre le bilan financier", "dans 7 jours", fin_bilan)),
        (date(2026, 7, 9), "b@college.fr", rappel("Transmettre le bilan financier", "demain", fin_bilan)),
        (date(2026, 7, 11), "pilote@ac.fr", f"OEPRE — En retard au {date_fr(fin_bilan)} : Transmettre le bilan financier"),
    ]
    lundi = date(2025, 9, 8)
    while lundi <= date(2026, 7, 17):
        liste.append((lundi, "daeps@ac.fr", f"OEPRE — Synthèse de la semaine du {date_fr(lundi)}"))
        lundi += timedelta(days=7)
    def matin(evenement: date) -> date | None:
        """The first morning the service lives from that day on: when it sends what the day's step wrote."""
        return evenement if jours is None else min((j for j in jours if j >= evenement), default=None)

    liste += [(matin(jour), qui, sujet) for jour, qui, sujet in IMMEDIATS]
    liste += [(matin(jour), qui, f"OEPRE — Résumé du {date_fr(matin(jour))} : 1 message(s)") for jour, qui in RESUMES
              if matin(jour) is not None]
    return sorted((qui, sujet) for jour, qui, sujet in liste if jours is None or jour in jours)


def verifier_la_decision(recus) -> None:
    """The decision's e-mail, received once, carries the notification's PDF (the received MIME parsed)."""
    (decision,) = [m for m in recus if m["Subject"] == IMMEDIATS[0][2]]
    (piece,) = list(decision.iter_attachments())
    assert piece.get_content_type() == "application/pdf" and piece.get_filename().startswith("notification_decision-")
    assert piece.get_content().startswith(b"%PDF")
    assert "La notification de la décision est jointe" in decision.get_body(("plain",)).get_content()


def instant(jour: date, heure: int = 7) -> datetime:
    return datetime.combine(jour, time(heure), tzinfo=UTC)


if __name__ == "__main__":
    from infra.base import session

    with session() as s:
        semer(s)
