"""Issue 13, items 4 to 6: two campaigns at once (this year's ateliers still running when the pilote opens next year's
call in spring), the rollover's calendar moved to the future, and the demo seeded in the school year of today."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from db.models import Auditeur, Campagne, Dossier, Engagement, Groupe
from demarrage.demo import CALENDRIER_DEMO, COLLEGE_DU_TARN, ECOLE_PORTEUR, calendrier_demo, candidature_demo
from forms.base import valider
from forms.campagne import CampagneForm
from workflow import revue, services
from workflow.noyau import requetes
from workflow.noyau.moteur import EtapeRefusee
from workflow.selection.actions import campagne_suivante, premiere_campagne


def _le(monkeypatch, jour: str) -> None:
    """« Today » for the services and the pages from now on."""
    from infra import settings

    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", jour)
    settings.get_settings.cache_clear()


@pytest.fixture
def deux_campagnes(demo, acteurs, monkeypatch):
    """June 2026: the Tarn atelier of 2025-2026 runs (intervenant engaged, four parents registered), and the pilote has
    just opened the 2026-2027 call through the service."""
    from tests.support.semis_atelier import semer_dans

    dossier = semer_dans(demo)
    _le(monkeypatch, "2026-06-10")
    ancienne = demo.exec(select(Campagne)).one()
    res = services.executer(demo, acteurs["pilote"], "ouvrir_campagne", pdf_apres=False,
                            donnees=campagne_suivante(ancienne) | {"budget_p104": "100000", "budget_en": "50000"})
    return ancienne, demo.get(Campagne, res.campagne_id), dossier


def test_campagnes_en_cours_apres_l_ouverture_de_la_suivante(deux_campagnes, demo, acteurs):
    ancienne, nouvelle, dossier = deux_campagnes
    assert nouvelle.annee_scolaire == "2026-2027"
    assert requetes.campagne_courante(demo).id == nouvelle.id  # the call being filed
    assert [c.annee_scolaire for c in requetes.campagnes_en_cours(demo)] == ["2026-2027", "2025-2026"]
    # The DAEPS review lists this year's documents too (the Tarn application, the engagement letter), not only the new call's.
    en_cours = [c.id for c in requetes.campagnes_en_cours(demo)]
    types = {(x.document.campagne_id, x.document.type_document) for x in revue.documents(demo, acteurs["daeps"], campagne_ids=en_cours)}
    assert (ancienne.id, "lettre_engagement") in types and (nouvelle.id, "lettre_appel_a_projets") in types
    # Once this year's dossiers are closed, only the new call has work.
    for d in demo.exec(select(Dossier).where(Dossier.campagne_id == ancienne.id)):
        d.etat = "clos" if d.id == dossier.id else "brouillon"
        demo.add(d)
    demo.commit()
    assert [c.annee_scolaire for c in requetes.campagnes_en_cours(demo)] == ["2026-2027"]


def test_campagne_courante_de_l_academie_du_deploiement(demo, monkeypatch):
    from infra import settings

    assert requetes.campagne_courante(demo).annee_scolaire == "2025-2026"
    monkeypatch.setenv("OEPRE_ACADEMIE", "montpellier")
    settings.get_settings.cache_clear()
    assert requetes.campagne_courante(demo) is None and requetes.campagnes_en_cours(demo) == []


def test_pages_de_l_atelier_apres_l_ouverture_de_la_campagne_suivante(deux_campagnes, demo, acteurs):
    """Séances, parents, service fait, dossiers and the DAEPS review still show the 2025-2026 atelier in June."""
    from tests.support.appli import ouvrir_application, textes_de

    ancienne, _, dossier = deux_campagnes
    for page in ("pages/seances.py", "pages/parents.py", "pages/paie.py", "pages/dossier.py", "pages/documents.py"):
        at = ouvrir_application(acteurs["porteur81"], page)
        assert not at.exception, (page, at.exception)
        assert "Aucun atelier retenu ou en cours" not in textes_de(at), page
        assert "Aucun dossier dans votre périmètre" not in textes_de(at), page
    at = ouvrir_application(acteurs["porteur81"], "pages/seances.py")
    assert at.selectbox(key="seance_groupe").value.libelle == "Groupe A — débutants"
    at = ouvrir_application(acteurs["porteur81"], "pages/parents.py")
    assert "Haddad" in str(at.dataframe[0].value)
    at = ouvrir_application(acteurs["daeps"], "pages/revue.py")
    assert not at.exception, at.exception
    lignes = at.dataframe[0].value
    assert "2025-2026" in set(lignes["Campagne"]) and "Collège Jean-Jaurès" in set(lignes["Établissement"])
    assert len(demo.exec(select(Auditeur).where(Auditeur.dossier_id == dossier.id)).all()) == 4


def test_campagne_suivante_apres_le_calendrier(demo, acteurs, monkeypatch):
    """December 2026, the 2025-2026 settings taken over: moved one year the deadline (03/10/2026) would be past, so
    two years; a deadline typed in the past is refused in French."""
    ancienne = demo.exec(select(Campagne)).one()
    assert campagne_suivante(ancienne, date(2025, 9, 20))["date_limite_depot"] == date(2026, 10, 3)  # spring: one year
    jour = date(2026, 12, 1)
    valeurs = campagne_suivante(ancienne, jour)
    assert valeurs["annee_scolaire"] == "2027-2028"
    assert valeurs["date_ouverture"] > jour and valeurs["date_limite_depot"] == date(2027, 10, 3)
    valider(CampagneForm, valeurs)  # the calendar kept its order
    _le(monkeypatch, jour.isoformat())
    passee = valeurs | {k: v.replace(year=v.year - 1) for k, v in valeurs.items() if isinstance(v, date)} | {
        "annee_scolaire": "2026-2027"}
    with pytest.raises(EtapeRefusee) as refus:
        services.executer(demo, acteurs["pilote"], "ouvrir_campagne", pdf_apres=False, donnees=passee)
    assert [b.message for b in refus.value.blocages] == [
        "La date limite de dépôt (03/10/2026) est déjà passée : aucun établissement ne pourrait déposer de dossier pour "
        "la campagne 2026-2027. Choisissez une date limite à venir (et un calendrier qui la suit)."]
    res = services.executer(demo, acteurs["pilote"], "ouvrir_campagne", pdf_apres=False, donnees=valeurs)
    assert demo.get(Campagne, res.campagne_id).annee_scolaire == "2027-2028"


def test_formulaire_de_la_campagne_suivante_a_venir(demo, acteurs, monkeypatch):
    """The pilote's page pre-fills a calendar ahead of today."""
    from tests.support.appli import ouvrir_application

    _le(monkeypatch, "2026-12-01")
    at = ouvrir_application(acteurs["pilote"], "pages/campagne.py")
    assert not at.exception, at.exception
    assert at.text_input(key="campagne_nouvelle_annee_scolaire").value == "2027-2028"
    assert at.date_input(key="campagne_nouvelle_date_limite_depot").value == date(2027, 10, 3)


def _semer(session):
    from demarrage.demo import semer_demo, semer_referentiel

    semer_referentiel(session)
    semer_demo(session)


def test_demo_dans_l_annee_scolaire_du_jour(session, acteurs_non_semes, monkeypatch):
    """`make run` on 2026-12-01: the 2026-2027 campaign, filing deadline 03/10/2026 (reopened for the demo), the Tarn
    atelier retained with its groups in the school year; the Tilleuls head files with this year's dates."""
    from infra.settings import aujourdhui
    from tests.support.semis_atelier import semer_dans

    _le(monkeypatch, "2026-12-01")
    _semer(session)
    (campagne,) = session.exec(select(Campagne)).all()
    assert campagne.annee_scolaire == "2026-2027" and calendrier_demo()["annee_scolaire"] == "2026-2027"
    assert (campagne.date_ouverture, campagne.date_limite_depot) == (date(2026, 9, 8), date(2026, 10, 3))
    valider(CampagneForm, {**calendrier_demo(), "budget_p104": "1", "budget_en": "1"})
    assert campagne.depot_prolonge_jusqu_au > aujourdhui()
    assert campagne.date_fin_ateliers > aujourdhui() and campagne.date_limite_bilan_financier > aujourdhui()
    debut, fin = date(2026, 9, 1), date(2027, 8, 31)
    tarn = session.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    assert tarn.etat == "retenu"
    groupes = session.exec(select(Groupe).where(Groupe.dossier_id == tarn.id)).all()
    assert groupes and all(debut <= g.date_debut < g.date_fin <= fin for g in groupes)
    assert tarn.formulaire["date_ca"] == "2026-09-25"
    semer_dans(session)  # the browser tests' running atelier follows the demo's year
    engagement = session.exec(select(Engagement).where(Engagement.engage.is_(True))).one()
    assert debut <= engagement.date_debut < engagement.date_fin <= fin
    assert {a.date_inscription for a in session.exec(select(Auditeur))} == {date(2026, 11, 17)}
    porteur = acteurs_non_semes(session)["directrice.tilleuls@ac-toulouse.fr"]
    tilleuls = session.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    res = services.executer(session, porteur, "deposer", dossier_id=tilleuls.id, version=tilleuls.version,
                            donnees=candidature_demo(ecart=1), pdf_apres=False)
    assert res.etat == "depose"


def test_demo_des_tests_inchangee(session):
    """On the tests' day (2025-09-20) the demo is the fixed 2025-2026 one."""
    _semer(session)
    (campagne,) = session.exec(select(Campagne)).all()
    assert calendrier_demo() == CALENDRIER_DEMO
    assert {k: getattr(campagne, k) for k in CALENDRIER_DEMO} == {
        k: v if k == "annee_scolaire" else date.fromisoformat(v) for k, v in CALENDRIER_DEMO.items()}
    assert campagne.depot_prolonge_jusqu_au == date(2025, 9, 20) + timedelta(days=365)
    tarn = session.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    assert [(g.date_debut.isoformat(), g.date_fin.isoformat()) for g in session.exec(
        select(Groupe).where(Groupe.dossier_id == tarn.id).order_by(Groupe.id))] == [
        (g["date_debut"], g["date_fin"]) for g in candidature_demo()["groupes"]] == [
        ("2025-11-17", "2026-06-19"), ("2025-11-20", "2026-06-18")]
    assert tarn.formulaire["date_ca"] == "2025-09-25"


@pytest.fixture
def acteurs_non_semes():
    """The demo's actors by account, read after the test seeded the demo itself."""
    from db.models import Utilisateur
    from workflow.noyau.auth import acteur_de

    return lambda s: {u.identifiant: acteur_de(u) for u in s.exec(select(Utilisateur))}


@given(jour=st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31)))
def test_la_premiere_campagne_propose_un_calendrier_a_venir_et_dans_l_ordre(jour):
    """Whatever the day an académie opens its first campaign: a filing deadline not yet past, the school year the
    ateliers run in, the usual calendar's order kept, no later than needed (the year before would be past)."""
    valeurs = premiere_campagne(jour)
    form = CampagneForm.model_validate(valeurs | {"budget_p104": "1", "budget_en": "1"})  # the form's own order check
    assert form.date_limite_depot >= jour
    debut = int(form.annee_scolaire[:4])
    assert form.date_debut_ateliers_min.year == debut and form.date_fin_ateliers.year == debut + 1
    assert date(debut - 1, 10, 3) < jour  # a year earlier, the deadline would already be past
