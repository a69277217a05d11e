"""A school year told day by day for the reminder tests: two schools of the 2025-2026 campaign, one that never
files its dossier (Haute-Garonne), one that goes through the whole cycle (Tarn), the accounts that receive
mail, and the e-mails that must arrive, computed from the story (not from the code under test).

`python -m tests.support.annee_scolaire` seeds it in the database of the OEPRE_* environment (for scheduler processes)."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from db.models import Campagne, Document, Dossier, Engagement, Etablissement, Groupe, Intervenant, Seance
from demarrage.demo import CALENDRIER_DEMO, creer_compte, semer_referentiel, uai
from documents.render import date_fr
from forms.vocabulaire import Role
from workflow import services
from workflow.noyau.auth import acteur_de

DEBUT, FIN = date(2025, 9, 1), date(2026, 7, 31)
ECOLE_A, ECOLE_B = uai("31", 7001), uai("81", 7002)
COMPTES = [("pilote@ac.fr", Role.PILOTE, None, None), ("daeps@ac.fr", Role.DAEPS, None, None),
           ("comite@ac.fr", Role.COMITE, None, None), ("dsden31@ac.fr", Role.DSDEN, None, "31"),
           ("dsden81@ac.fr", Role.DSDEN, None, "81"), ("a@ecole.fr", Role.PORTEUR, ECOLE_A, None),
           ("b@college.fr", Role.PORTEUR, ECOLE_B, None)]
INTERVENANTE = "sofia@intervenants.fr"


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
    b = _dossier(s, ECOLE_B)
    groupe = Groupe(dossier_id=b.id, libelle="Groupe A", heures_prevues=Decimal("60"))
    sofia = Intervenant(nom="Álvarez", prenom="Sofia", statut="enseignant_upe2a", email=INTERVENANTE)
    s.add_all([groupe, sofia])
    s.flush()
    s.add(Engagement(intervenant_id=sofia.id, dossier_id=b.id, groupe_id=groupe.id, engage=True))
    s.add_all([Seance(groupe_id=groupe.id, date_seance=jour, heure_debut=time(14), heure_fin=time(16), minutes=120)
               for jour in (date(2025, 11, 18), date(2025, 12, 2))])
    s.commit()


def _dossier(s: Session, code: str) -> Dossier:
    return s.exec(select(Dossier).where(Dossier.uai == code)).one()


def _etat(etat: str):
    def changer(s: Session) -> None:
        b = _dossier(s, ECOLE_B)
        b.etat = etat
        s.add(b)
    return changer


def _document(type_document: str):
    def produire(s: Session) -> None:
        b = _dossier(s, ECOLE_B)
        s.add(Document(sujet=f"dossier:{b.id}", dossier_id=b.id, campagne_id=b.campagne_id, etape=type_document,
                       type_document=type_document, format="docx", version=1, sha256="0" * 64, taille=1,
                       chemin=f"test/{type_document}.docx", nom_fichier=f"{type_document}.docx"))
    return produire


# What happens to the Tarn college's dossier, at the start of each day.
EVENEMENTS = {
    date(2025, 9, 29): [_etat("depose")],
    date(2025, 10, 16): [_etat("avis_donne")],
    date(2025, 11, 5): [_etat("retenu")],
    date(2025, 11, 10): [_document("notification_credits")],
    date(2025, 11, 18): [_etat("en_cours")],
    date(2026, 6, 24): [_etat("ateliers_termines")],
    date(2026, 7, 2): [_document("bilan_pedagogique")],
}


def vivre_jusqu_a(s: Session, jour: date, vecus: set[date]) -> None:
    """What happened to the dossier up to this day (the world goes on whatever the service's clock says)."""
    for quand in sorted(EVENEMENTS):
        if quand <= jour and quand not in vecus:
            for evenement in EVENEMENTS[quand]:
                evenement(s)
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
    return sorted((qui, sujet) for jour, qui, sujet in liste if jours is None or jour in jours)


def instant(jour: date, heure: int = 7) -> datetime:
    return datetime.combine(jour, time(heure), tzinfo=UTC)


if __name__ == "__main__":
    from infra.base import session

    with session() as s:
        semer(s)
