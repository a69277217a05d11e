"""Guards are pure: each rule of spec §12 that applies to selection, checked on plain objects."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from demarrage.demo import candidature_demo
from forms.base import valider
from forms.candidature import CandidatureForm
from forms.selection import AvisForm, DecisionForm
from workflow.noyau.regles import Situation
from workflow.selection import regles

CAMPAGNE = SimpleNamespace(
    date_ouverture=date(2025, 9, 8), date_limite_depot=date(2025, 10, 3), depot_prolonge_jusqu_au=None,
    date_limite_avis_dasen=date(2025, 10, 17), date_debut_ateliers_min=date(2025, 11, 17), date_fin_ateliers=date(2026, 6, 26),
    taille_groupe_min=12, taille_groupe_max=15, heures_min_par_groupe=Decimal("60"), heures_max_par_groupe=Decimal("120"),
    heures_max_bloquant=False, plafond_heures_vacation_12_mois=Decimal("250"),
    budget_p104=Decimal("10000"), budget_en=Decimal("5000"))


def _situation(form=None, **kw) -> Situation:
    return Situation(aujourdhui=kw.pop("aujourdhui", date(2025, 9, 20)), campagne=kw.pop("campagne", CAMPAGNE), form=form, **kw)


def _candidature(**modifs) -> CandidatureForm:
    return valider(CandidatureForm, candidature_demo() | modifs)


def _messages(blocages, niveau=None):
    return [b.message for b in blocages if niveau is None or b.niveau == niveau]


@pytest.mark.parametrize(("jour", "bloque"), [(date(2025, 9, 7), True), (date(2025, 9, 8), False),
                                              (date(2025, 10, 3), False), (date(2025, 10, 4), True)])
def test_calendrier_de_depot(jour, bloque):
    assert bool(regles.blocages_calendrier_depot(_situation(aujourdhui=jour))) == bloque


def test_depot_rouvert_par_le_pilote():
    campagne = SimpleNamespace(**(vars(CAMPAGNE) | {"depot_prolonge_jusqu_au": date(2025, 10, 20)}))
    assert regles.blocages_calendrier_depot(_situation(aujourdhui=date(2025, 10, 15), campagne=campagne)) == []


def test_groupes_effectif_et_heures():
    g = candidature_demo()["groupes"][0]
    form = _candidature(groupes=[g | {"effectif_prevu": 11, "heures_prevues": "59.5"},
                                 g | {"libelle": "G2", "effectif_prevu": 16, "heures_prevues": "121"},
                                 g | {"libelle": "G3", "effectif_prevu": 12, "heures_prevues": "60",
                                      "creneaux": [{"jour": "samedi", "debut": "10:00", "fin": "12:00"}],
                                      "date_debut": "2025-10-01"}])
    b = regles.blocages_groupes(_situation(form))
    erreurs = _messages(b, "erreur")
    assert len(erreurs) == 2
    assert "effectif prévu 11, le minimum est de 12" in erreurs[0] and "59,5 h prévues" in erreurs[1]  # French figures
    avert = _messages(b, "avertissement")
    assert any("au-delà des 15 parents" in m for m in avert)
    assert any("121 h prévues, au-delà du maximum de 120" in m for m in avert)
    assert any("week-end" in m for m in avert) and any("avant la date d'ouverture" in m for m in avert)


def test_heures_max_configurable_en_erreur():
    g = candidature_demo()["groupes"][0]
    campagne = SimpleNamespace(**(vars(CAMPAGNE) | {"heures_max_bloquant": True}))
    b = regles.blocages_groupes(_situation(_candidature(groupes=[g | {"heures_prevues": "121"}]), campagne=campagne))
    assert _messages(b, "erreur") == ["Groupe « Groupe A — débutants » : 121 h prévues, au-delà du maximum de 120 h."]


def test_trois_axes_obligatoires():
    b = regles.blocages_programme(_situation(_candidature(programme_axe_valeurs="  ", programme_axe_ecole="")))
    assert len(b) == 2 and all(x.bloquant for x in b)


def test_plafond_250_heures_cumule_sur_la_campagne():
    form = _candidature()
    ok = regles.blocages_intervenants(_situation(form, heures_intervenants_ailleurs={"ÁLVAREZ Sofia": Decimal("170")}))
    assert _messages(ok, "erreur") == []  # 80 + 170 = 250: allowed
    trop = regles.blocages_intervenants(_situation(form, heures_intervenants_ailleurs={"ÁLVAREZ Sofia": Decimal("170.25")}))
    assert _messages(trop, "erreur") == ["ÁLVAREZ Sofia : 250.25 h de vacation prévues dans la campagne, au-delà du plafond de 250 h sur 12 mois."]


def test_engagements_et_renouvellement_sans_bilans():
    b = regles.blocages_engagements(_situation(_candidature(inscrit_projet_etablissement=False, renouvellement=True),
                                               degre=2, bilans_annee_precedente={"pedagogique"}))
    assert len(_messages(b, "erreur")) == 1
    assert len(_messages(b, "avertissement")) == 2  # date of the CA for an EPLE; missing bilan


def test_avis_rang_unique_et_retard():
    form = valider(AvisForm, {"avis": "favorable", "priorite_departementale": 2, "signataire": "X"})
    b = regles.blocages_avis(_situation(form, rangs_pris={1, 2}, aujourdhui=date(2025, 10, 18)))
    assert _messages(b, "erreur") == ["Le rang 2 est déjà attribué à un autre dossier du département."]
    assert _messages(b, "avertissement") == ["Avis rendu après la date limite du 17/10/2025."]


def _decision(**d):
    return valider(DecisionForm, {"decision": "retenu", "heures_financees": "100", "montant_p104": "2000",
                                  "montant_en": "954"} | d)


def test_decision_enveloppes_par_ligne():
    dossier = SimpleNamespace(heures_total=Decimal("140"))
    assert regles.blocages_decision(_situation(_decision(), dossier=dossier, engage_p104=Decimal("8000"))) == []
    b = regles.blocages_decision(_situation(_decision(), dossier=dossier, engage_p104=Decimal("8000.01"),
                                            engage_en=Decimal("4046.01")))
    assert len(b) == 2


def test_decision_heures_financees_plafonnees_par_la_demande():
    b = regles.blocages_decision(_situation(_decision(heures_financees="141"), dossier=SimpleNamespace(heures_total=Decimal("140"))))
    assert _messages(b) == ["Les heures financées (141) dépassent les heures demandées (140)."]


@pytest.mark.parametrize(("bilans", "derogation", "bloque"), [
    (None, "", False),  # no dossier last year: not a renewal
    ({"pedagogique", "financier"}, "", False),
    ({"pedagogique"}, "", True),
    (set(), "Bilans transmis hors application, vérifiés par la DAEPS.", False),
])
def test_renouvellement_exige_les_deux_bilans(bilans, derogation, bloque):
    s = _situation(_decision(derogation_bilans_motif=derogation), dossier=SimpleNamespace(heures_total=Decimal("140")),
                   bilans_annee_precedente=bilans)
    assert bool(regles.blocages_decision(s)) == bloque


def test_non_retenu_jamais_bloque_par_les_bilans():
    form = valider(DecisionForm, {"decision": "non_retenu", "motif_refus": "Bilans absents."})
    assert regles.blocages_decision(_situation(form, bilans_annee_precedente=set())) == []

