"""Indicators (spec §8.4): built from the same figures as the bilans, scoped, charted."""

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from bench.annee import semer_annee
from db.models import Auditeur, Campagne, Dossier, Etablissement
from forms.vocabulaire import FINANCES
from workflow.cloture import bilans, indicateurs
from workflow.noyau.permissions import AccesRefuse


@pytest.fixture
def annee(demo):
    campagne = demo.exec(select(Campagne)).one()
    return campagne, semer_annee(demo, campagne.id, ateliers=16, parents=240)


def test_indicateurs_concordent_avec_les_bilans(demo, acteurs, annee):
    campagne, ids = annee
    ind = indicateurs.indicateurs(demo, acteurs["pilote"], [campagne.id])
    chiffres = bilans.chiffres_bilans(demo, ids)
    total = ind.academie[campagne.annee_scolaire]
    demo_finances = total.ateliers - len(ids)  # the demo's own retained dossiers count too
    assert total.parents >= sum(c.inscrits_total for c in chiffres.values()) and demo_finances >= 0
    assert sum(x.parents for x in ind.lignes) == total.parents and sum(x.ateliers for x in ind.lignes) == total.ateliers
    haute_garonne = [x for x in ind.lignes if x.departement == "31"][0]
    attendus = [c for i, c in chiffres.items() if demo.get(Etablissement, demo.get(Dossier, i).uai).departement_code == "31"]
    assert haute_garonne.heures_realisees >= sum((c.heures_realisees for c in attendus), Decimal("0"))
    assert total.taux_completion == (Decimal(total.assidus) * 100 / total.parents).quantize(Decimal("0.1"))
    mois, actifs, _ = ind.attrition[campagne.annee_scolaire][-1]
    fin = campagne.date_fin_ateliers.replace(day=30)
    finances = [d.id for d in demo.exec(select(Dossier)) if d.etat in {e.value for e in FINANCES}]
    parents = demo.exec(select(Auditeur).where(Auditeur.dossier_id.in_(finances))).all()
    assert mois == date(2026, 6, 1) and actifs == sum(1 for a in parents if a.date_sortie is None or a.date_sortie > fin)


def test_dsden_ne_voit_que_son_departement_et_les_autres_roles_sont_refuses(demo, acteurs, annee):
    campagne, _ = annee
    ind = indicateurs.indicateurs(demo, acteurs["dsden81"], [campagne.id])
    assert {x.departement for x in ind.lignes} == {"81"}
    for nom in ("porteur", "intervenant", "gestionnaire", "interieur"):
        with pytest.raises(AccesRefuse):
            indicateurs.indicateurs(demo, acteurs[nom], [campagne.id])


def test_page_des_indicateurs_et_ses_graphiques(demo, acteurs, annee):

    from tests.support.appli import ouvrir_application

    at = ouvrir_application(acteurs["daeps"], "pages/indicateurs.py", delai=60)
    assert not at.exception
    graphiques = at.get("vega_lite_chart")
    assert len(graphiques) == 3
    for g in graphiques:  # French numbers and months (« 3,5 », « nov. 2025 »), not the charts' English default
        locale = json.loads(g.proto.spec)["config"]["locale"]
        assert locale["number"]["decimal"] == "," and locale["time"]["shortMonths"][10] == "nov."
    assert [m.label for m in at.metric][:2] == ["Ateliers financés", "Parents inscrits"]
