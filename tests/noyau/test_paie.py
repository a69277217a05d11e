"""Vacation pay through the service layer (spec §7): a year of séances for one intervenant in two ateliers
with a rate change in February, the monthly service fait, and the 250 h cap over 12 rolling months."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from db.models import Document, Dossier, Seance
from demarrage.demo import COLLEGE_DU_TARN
from forms.vocabulaire import Etat
from infra import settings
from tests.support.fabrique import dossier_en_etat, executer_etape
from workflow import consultation
from workflow.noyau import paie
from workflow.noyau.moteur import EtapeRefusee
from workflow.noyau.regles import Blocage
from workflow.noyau.taux import ajouter_taux

SOFIA = "Sofia ÁLVAREZ"


def _le(jour: str, monkeypatch) -> None:
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", jour)
    settings.get_settings.cache_clear()


def _engager(session, acteur, dossier, debut="2025-11-17", fin="2026-06-30"):
    executer_etape(session, acteur, "engager_intervenant", dossier, nom="Álvarez", prenom="Sofia", statut="enseignant_upe2a",
                   employeur_principal="EN", groupe="Groupe A — débutants", date_debut=debut, date_fin=fin, heures_prevues="80",
                   statut_cumul="accorde", atteste_hors_service=True)


def _jours(debut: date, fin: date, jour_semaine: int) -> list[date]:
    return [debut + timedelta(days=n) for n in range((fin - debut).days + 1)
            if (debut + timedelta(days=n)).weekday() == jour_semaine]


@pytest.fixture
def deux_ateliers(demo, acteurs, monkeypatch):
    """The Tarn dossier (retained in the demo) and the Tilleuls dossier, retained here; Sofia engaged on both."""
    tarn = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    tilleuls = dossier_en_etat(demo, Etat.RETENU).dossier
    _engager(demo, acteurs["porteur81"], tarn)
    _engager(demo, acteurs["porteur"], tilleuls)
    _le("2026-07-10", monkeypatch)  # the séances below are all in the past
    return tarn, tilleuls


def _seance(session, acteur, dossier, jour: date, debut: str, fin: str, groupe="Groupe A — débutants"):
    return executer_etape(session, acteur, "enregistrer_seance", dossier, groupe=groupe, date_seance=jour.isoformat(),
                          heure_debut=debut, heure_fin=fin, axes=["langue"], intervenants=[SOFIA])


def test_une_annee_de_paie_au_centime_sur_deux_ateliers_avec_revalorisation(demo, acteurs, deux_ateliers):
    tarn, tilleuls = deux_ateliers
    ajouter_taux(demo, acteurs["admin"], {"date_effet": "2026-02-01", "im100_annuel": "6000"})  # 30,00 € from February
    for jour in _jours(date(2025, 11, 18), date(2026, 6, 16), 1):  # Tuesdays in the Tarn: 2 h
        _seance(demo, acteurs["porteur81"], tarn, jour, "14:00", "16:00")
    for jour in _jours(date(2025, 11, 20), date(2026, 6, 18), 3):  # Thursdays at the Tilleuls: 1 h 45
        _seance(demo, acteurs["porteur"], tilleuls, jour, "09:00", "10:45")

    annee = paie.recapitulatif(demo, intervenant_id=_sofia(demo), debut=date(2025, 9, 1), fin=date(2026, 8, 31))
    par_mois: dict[date, tuple[int, Decimal]] = {}
    for ligne in annee:  # one line per month and atelier, in exact minutes
        m, b = par_mois.get(ligne.mois, (0, Decimal("0")))
        par_mois[ligne.mois] = (m + ligne.minutes, b + ligne.brut)
    assert {ligne.atelier for ligne in annee} == {"Collège Jean-Jaurès (Albi)", "École élémentaire des Tilleuls (Toulouse)"}
    # December: 5 Tuesdays × 2 h × 29,54 + 4 Thursdays × (1,75 × 29,54 = 51,695 → 51,70)
    assert par_mois[date(2025, 12, 1)] == (17 * 60, Decimal("295.40") + Decimal("206.80"))
    # March, after the revaluation: 5 × 2 h × 30,00 + 4 × 1,75 × 30,00
    assert par_mois[date(2026, 3, 1)] == (17 * 60, Decimal("300.00") + Decimal("210.00"))
    # The year: 11 + 20 Tuesdays (59,08 / 60,00) and 11 + 20 Thursdays (51,70 / 52,50)
    assert sum(m for m, _ in par_mois.values()) == 116 * 60 + 15
    assert sum(b for _, b in par_mois.values()) == Decimal("649.88") + Decimal("1200.00") + Decimal("568.70") + Decimal("1050.00")

    # The yearly récapitulatif for the agent and the employer: the same figures, month by month and atelier by atelier.
    executer_etape(demo, acteurs["porteur"], "recapituler_vacations", tilleuls, intervenant="Sofia Álvarez")
    recap = demo.exec(select(Document).where(Document.type_document == "recapitulatif_annuel")).one()
    texte = _texte(demo, acteurs["porteur"], recap.id)
    assert "Total |  | 116 h 15 | 3 468,58 €" in texte.replace("\u202f", " ")
    assert "décembre 2025 | Collège Jean-Jaurès (Albi) | 10 h | 295,40 €" in texte.replace("\u202f", " ")

    # The head of the Tilleuls certifies January: its séances only, at the old rate, with the 12-month total.
    executer_etape(demo, acteurs["porteur"], "certifier_service_fait", tilleuls, intervenant="sofia álvarez", mois="2026-01-15",
                   certifie_par="Claire Martin, directrice")
    certifiees = demo.exec(select(Seance).where(Seance.certifiee_par_id.is_not(None))).all()
    assert sorted(s.date_seance.day for s in certifiees) == [1, 8, 15, 22, 29]  # 1 January: warned, not refused
    etat = demo.exec(select(Document).where(Document.type_document == "etat_service_fait")).one()
    texte = _texte(demo, acteurs["porteur"], etat.id)
    assert "Sofia ÁLVAREZ — janvier 2026" in texte
    assert "Total |  |  | 8 h 45 |  | 258,50 €" in texte and "| 1 h 45 | 29,54 € | 51,70 €" in texte
    assert "sur les 12 derniers mois (toutes structures) : 41 h 15 sur 250 h" in texte  # 11 Tuesdays + 11 Thursdays to 31 January


def _sofia(session) -> int:
    from db.models import Intervenant

    return session.exec(select(Intervenant.id).where(Intervenant.nom == "ÁLVAREZ")).one()


def _lire(session, acteur, document_id) -> bytes:

    return consultation.lire_document(session, acteur, document_id).contenu


def test_la_seance_qui_franchirait_250_heures_est_refusee(demo, acteurs, deux_ateliers):
    tarn, tilleuls = deux_ateliers
    jours = [j for j in (date(2025, 11, 17) + timedelta(days=n) for n in range(200)) if j.weekday() < 5][:62]
    for n, jour in enumerate(jours):  # 4 h a day, alternating ateliers: 248 h
        dossier, acteur = (tarn, acteurs["porteur81"]) if n % 2 else (tilleuls, acteurs["porteur"])
        _seance(demo, acteur, dossier, jour, "08:00", "12:00")
    lendemain = jours[-1] + timedelta(days=1 if jours[-1].weekday() < 4 else 3)
    with pytest.raises(EtapeRefusee) as refus:
        _seance(demo, acteurs["porteur"], tilleuls, lendemain, "14:00", "17:00")
    (motif,) = [b.message for b in refus.value.blocages if b.bloquant]
    assert "Sofia ÁLVAREZ dépasserait le plafond de 250 h de vacation sur 12 mois glissants (251 h" in motif
    assert "tous ateliers confondus" in motif
    resultat = _seance(demo, acteurs["porteur"], tilleuls, lendemain, "14:00", "16:00")  # exactly 250 h: allowed, warned
    assert any("atteint 250 h" in b.message for b in resultat.avertissements)


def test_cumul_sur_douze_mois_glissants():
    minutes = [(date(2025, 1, 10), 100 * 60), (date(2025, 6, 1), 100 * 60), (date(2026, 1, 10), 60 * 60)]
    # 10 January 2026: the window (10/01/2025, 10/01/2026] no longer holds the first 100 h
    assert paie.cumul_max_12_mois(minutes) == (200 * 60, date(2025, 6, 1))
    assert paie.cumul_max_12_mois([*minutes, (date(2026, 1, 9), 80)])[0] == 201 * 60 + 20
    assert paie.un_an_avant(date(2028, 2, 29)) == date(2027, 2, 28)


@pytest.mark.parametrize(("jour", "debut", "fin", "attendu"), [
    ("2026-03-07", "10:00", "12:00", "est un week-end"),
    ("2026-05-14", "10:00", "12:00", "est un jour férié (Ascension)"),
    ("2026-07-02", "10:00", "12:00", "n'est pas engagé(e) le 02/07/2026"),
    ("2026-07-20", "10:00", "12:00", "est à venir"),
])
def test_seance_hors_norme_signalee(demo, acteurs, deux_ateliers, jour, debut, fin, attendu):
    _, tilleuls = deux_ateliers
    try:
        resultat = _seance(demo, acteurs["porteur"], tilleuls, date.fromisoformat(jour), debut, fin)
        messages = [b.message for b in resultat.avertissements]
    except EtapeRefusee as exc:
        messages = [b.message for b in exc.blocages]
    assert any(attendu in m for m in messages), messages


def test_une_seance_finissant_avant_son_debut_est_refusee_en_francais(demo, acteurs, deux_ateliers):
    from forms.base import ErreursSaisie

    _, tilleuls = deux_ateliers
    with pytest.raises(ErreursSaisie, match="La séance doit finir après son début."):
        _seance(demo, acteurs["porteur"], tilleuls, date(2026, 3, 3), "16:00", "14:00")


def test_alerte_a_90_pour_cent_des_heures_financees():
    from types import SimpleNamespace

    from forms.atelier import SeanceForm
    from workflow.atelier.regles import blocages_seance
    from workflow.noyau.regles import Situation

    campagne = SimpleNamespace(date_debut_ateliers_min=date(2025, 11, 17), date_fin_ateliers=date(2026, 6, 26),
                               plafond_heures_vacation_12_mois=Decimal("250"))
    form = SeanceForm(groupe="A", date_seance=date(2026, 3, 3), heure_debut="14:00", heure_fin="16:00", axes=["langue"],
                      intervenants=[SOFIA])
    def messages(realisees):
        s = Situation(aujourdhui=date(2026, 7, 1), campagne=campagne, form=form,
                      minutes_dossier=(int(realisees) * 60, Decimal("140")))
        return [b.message for b in blocages_seance(s) if isinstance(b, Blocage)]
    assert messages("100") == []
    assert "soit 90 % ou plus des 140 h financées" in messages("124")[0]
    assert "les heures au-delà ne sont pas payables" in messages("139")[0]


def test_etat_liquidatif_apres_certification_et_jamais_deux_fois(demo, acteurs, deux_ateliers):
    from forms.base import ErreursSaisie
    from workflow.noyau.permissions import AccesRefuse

    tarn, tilleuls = deux_ateliers
    for jour in _jours(date(2026, 1, 1), date(2026, 1, 31), 3):
        _seance(demo, acteurs["porteur"], tilleuls, jour, "09:00", "10:45")
    etat = {"structure_payeuse": "DSDEN de la Haute-Garonne", "mois": "2026-01-01", "imputation": "P104 — 0104-12"}
    with pytest.raises(EtapeRefusee, match="le service fait des séances du 01/01, 08/01, 15/01, 22/01, 29/01 n'est pas certifié"):
        executer_etape(demo, acteurs["paie31"], "liquider", tilleuls, **etat)
    executer_etape(demo, acteurs["porteur"], "certifier_service_fait", tilleuls, intervenant=SOFIA, mois="2026-01-01",
                   certifie_par="Claire Martin")
    resultat = executer_etape(demo, acteurs["paie31"], "liquider", tilleuls, **etat)
    (document,) = [demo.get(Document, i) for i in resultat.documents]
    texte = _texte(demo, acteurs["paie31"], document.id)
    assert "Sofia ÁLVAREZ | Enseignant UPE2A | 8 h 45 | 29,54 € | 258,50 €" in texte and "Total |  |  |  | 258,50 €" in texte
    ajouter_taux(demo, acteurs["admin"], {"date_effet": "2026-01-01", "im100_annuel": "6000"})  # a late revaluation…
    from db.models import SeanceIntervenant

    payes = demo.exec(select(SeanceIntervenant).where(SeanceIntervenant.liquide_le.is_not(None))).all()
    assert {(p.taux_paye, p.montant_paye) for p in payes} == {(Decimal("29.54"), Decimal("51.70"))}  # …changes nothing paid
    with pytest.raises(ErreursSaisie, match="aucune vacation à liquider en 01/2026"):
        executer_etape(demo, acteurs["paie31"], "liquider", tilleuls, **etat)
    with pytest.raises(AccesRefuse):  # the Haute-Garonne paying service does not pay the Tarn
        executer_etape(demo, acteurs["paie31"], "liquider", tarn, **etat)


def test_agent_public_sans_autorisation_de_cumul_non_paye(demo, acteurs, deux_ateliers):
    _, tilleuls = deux_ateliers
    executer_etape(demo, acteurs["porteur"], "engager_intervenant", tilleuls, nom="Dubois", prenom="Marc",
                   statut="professeur_hg", employeur_principal="EN", groupe="Groupe B — intermédiaires", date_debut="2025-11-17",
                   date_fin="2026-06-30", heures_prevues="60", statut_cumul="demande", atteste_hors_service=False)
    executer_etape(demo, acteurs["porteur"], "enregistrer_seance", tilleuls, groupe="Groupe B — intermédiaires",
                   date_seance="2026-02-05", heure_debut="09:00", heure_fin="11:00", axes=["ecole"], intervenants=["Marc DUBOIS"])
    executer_etape(demo, acteurs["porteur"], "certifier_service_fait", tilleuls, intervenant="Marc DUBOIS", mois="2026-02-01",
                   certifie_par="Claire Martin")
    with pytest.raises(EtapeRefusee) as refus:
        executer_etape(demo, acteurs["paie31"], "liquider", tilleuls, structure_payeuse="DSDEN 31", mois="2026-02-01")
    messages = " ".join(b.message for b in refus.value.blocages)
    assert "l'autorisation de cumul d'activités n'est pas accordée (« demande »)" in messages
    assert "n'a pas attesté effectuer ces heures en dehors de ses obligations de service" in messages


def _texte(session, acteur, document_id) -> str:
    import io

    from tests.support.chromium import texte_docx

    return texte_docx(io.BytesIO(_lire(session, acteur, document_id)))


def test_autorisation_de_cumul_suivie_et_sa_periode_controlee(demo, acteurs, deux_ateliers):
    from forms.base import ErreursSaisie

    _, tilleuls = deux_ateliers
    with pytest.raises(ErreursSaisie, match="« Accordée le » est obligatoire"):
        executer_etape(demo, acteurs["porteur"], "suivre_cumul", tilleuls, intervenant=SOFIA, statut_cumul="accorde")
    executer_etape(demo, acteurs["porteur"], "suivre_cumul", tilleuls, intervenant=SOFIA, statut_cumul="accorde",
                   demande_le="2025-11-03", accorde_le="2025-12-01", fin_validite="2026-06-30")
    for jour in ("2025-11-25", "2025-12-02"):
        _seance(demo, acteurs["porteur"], tilleuls, date.fromisoformat(jour), "09:00", "11:00")
    for mois in ("2025-11-01", "2025-12-01"):
        executer_etape(demo, acteurs["porteur"], "certifier_service_fait", tilleuls, intervenant=SOFIA, mois=mois,
                       certifie_par="Claire Martin")
    with pytest.raises(EtapeRefusee, match="l'autorisation de cumul ne couvre pas les séances du 25/11"):
        executer_etape(demo, acteurs["paie31"], "liquider", tilleuls, structure_payeuse="DSDEN 31", mois="2025-11-01")
    resultat = executer_etape(demo, acteurs["paie31"], "liquider", tilleuls, structure_payeuse="DSDEN 31", mois="2025-12-01")
    assert resultat.documents
