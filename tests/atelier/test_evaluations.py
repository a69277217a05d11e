"""The diagnostic evaluations (spec step 7): an initial and a final one per parent, their checks, their place in the
parents' rights and in the bilan's progress by level, recomputed here another way."""

import json
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from db.models import Auditeur, Dossier, Evaluation, Transition
from demarrage.demo import ECOLE_PORTEUR
from forms.base import ErreursSaisie
from forms.vocabulaire import Niveau, Role
from tests.atelier.test_atelier import _parent, atelier_tarn  # noqa: F401 (fixture)
from tests.support.fabrique import executer_etape
from workflow.automatismes import conservation
from workflow.cloture import bilans
from workflow.noyau import evaluation
from workflow.noyau.evaluation import ECHELLE, EvaluationsParent, niveaux_gagnes
from workflow.noyau.permissions import AccesRefuse

INITIALE = {"moment": "initiale", "date_evaluation": "2025-11-18", "niveau_oral": "A1.1", "niveau_ecrit": "alpha",
            "lecture_ecriture_langue_origine": "partiel", "scolarisation_anterieure": "primaire",
            "commentaire": "Comprend les consignes orales simples."}
FINALE = {"moment": "finale", "date_evaluation": "2026-02-20", "niveau_oral": "A2", "niveau_ecrit": "A1.1"}


def _evaluations(session, parent) -> dict[str, Evaluation]:
    return {e.moment: e for e in session.exec(select(Evaluation).where(Evaluation.auditeur_id == parent.id))}


def test_initiale_puis_finale_et_progres(demo, atelier_tarn):  # noqa: F811
    dossier, etape = atelier_tarn
    amina = _parent(demo, "Amina")
    etape("evaluer_parent", auditeur_id=amina.id, **INITIALE)
    demo.refresh(amina)
    # The initial evaluation is the parent's level on her record too (the fiche, the bilan's breakdown).
    assert (amina.niveau_oral, amina.niveau_ecrit, amina.lecture_ecriture_langue_origine,
            amina.scolarisation_anterieure) == ("A1.1", "alpha", "partiel", "primaire")
    etape("evaluer_parent", auditeur_id=amina.id, **FINALE)
    demo.refresh(amina)
    assert (amina.niveau_oral, amina.niveau_ecrit) == ("A1.1", "alpha")  # the final one leaves the record's level
    (suivi,) = evaluation.evaluations(demo, [dossier.id]).values()
    assert (suivi.progres("oral"), suivi.progres("ecrit")) == (2, 1)

    chiffres = bilans.chiffres_bilans(demo, [dossier.id])[dossier.id]
    assert (chiffres.evalues_initiale, chiffres.evalues_deux_fois) == (1, 1)
    assert [(p.libelle, p.evalues, p.en_progres) for p in chiffres.progression_oral] == [("A1.1", 1, 1)]
    assert [(p.libelle, p.evalues, p.en_progres) for p in chiffres.progression_ecrit] == [("Alphabétisation", 1, 1)]


def test_une_evaluation_enregistree_a_nouveau_est_corrigee_et_l_historique_ne_garde_que_l_identifiant(
        demo, atelier_tarn):  # noqa: F811
    dossier, etape = atelier_tarn
    lea = _parent(demo, "Léa")
    etape("evaluer_parent", auditeur_id=lea.id, **INITIALE)
    etape("evaluer_parent", auditeur_id=lea.id, **(INITIALE | {"niveau_oral": "A1", "commentaire": "Corrigé."}))
    (initiale,) = _evaluations(demo, lea).values()
    assert (initiale.niveau_oral, initiale.commentaire) == ("A1", "Corrigé.")
    demo.refresh(lea)
    assert lea.niveau_oral == "A1"
    traces = demo.exec(select(Transition).where(Transition.dossier_id == dossier.id,
                                                Transition.etape == "evaluer_parent")).all()
    assert [t.donnees for t in traces] == [{"auditeur_id": lea.id}] * 2  # who and when, never the levels or comment


@pytest.mark.parametrize("saisie, motif", [
    (FINALE, "enregistrez d'abord l'évaluation initiale"),
    (INITIALE | {"date_evaluation": "2025-11-10"}, "inscrit depuis le 17/11/2025 seulement"),
    (INITIALE | {"date_evaluation": "2026-03-02"}, "n'est pas encore arrivé"),
    (INITIALE | {"niveau_oral": "heterogene"}, "« Hétérogène » qualifie un groupe"),
])
def test_refus_en_francais_sans_rien_ecrire(demo, atelier_tarn, saisie, motif):  # noqa: F811
    _, etape = atelier_tarn
    amina = _parent(demo, "Amina")
    with pytest.raises(ErreursSaisie, match=motif):
        etape("evaluer_parent", auditeur_id=amina.id, **saisie)
    assert _evaluations(demo, amina) == {}


def test_l_ordre_des_deux_evaluations_est_garde(demo, atelier_tarn):  # noqa: F811
    _, etape = atelier_tarn
    amina = _parent(demo, "Amina")
    etape("evaluer_parent", auditeur_id=amina.id, **(INITIALE | {"date_evaluation": "2025-12-01"}))
    with pytest.raises(ErreursSaisie, match="ne peut précéder l'évaluation initiale \\(le 01/12/2025\\)"):
        etape("evaluer_parent", auditeur_id=amina.id, **(FINALE | {"date_evaluation": "2025-11-30"}))
    etape("evaluer_parent", auditeur_id=amina.id, **FINALE)
    with pytest.raises(ErreursSaisie, match="ne peut suivre l'évaluation finale \\(le 20/02/2026\\)"):
        etape("evaluer_parent", auditeur_id=amina.id, **(INITIALE | {"date_evaluation": "2026-02-21"}))


def test_qui_peut_evaluer(demo, acteurs, atelier_tarn):  # noqa: F811
    """Every demo role on the Tarn parent: only the atelier's head and its intervenant may (step 7's row); the other
    school's head is out of scope."""
    dossier, _ = atelier_tarn
    amina = _parent(demo, "Amina")
    autorises = set()
    for nom, acteur in acteurs.items():
        dossier = demo.get(Dossier, dossier.id)
        try:
            executer_etape(demo, acteur, "evaluer_parent", dossier, auditeur_id=amina.id, **INITIALE)
            autorises.add(nom)
        except AccesRefuse:
            demo.rollback()
    assert autorises == {"porteur81", "intervenant"}
    assert {acteurs[n].role for n in autorises} == {Role.PORTEUR, Role.INTERVENANT}


def test_un_parent_d_un_autre_dossier_est_refuse(demo, acteurs, atelier_tarn):  # noqa: F811
    _, etape = atelier_tarn
    tilleuls = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).first()
    autre = Auditeur(dossier_id=tilleuls.id, nom="Autre", prenom="Parent", date_inscription=date(2025, 11, 17))
    demo.add(autre)
    demo.commit()
    with pytest.raises(ErreursSaisie, match="ce parent n'est pas inscrit dans ce dossier"):
        etape("evaluer_parent", auditeur_id=autre.id, **INITIALE)


def test_droits_du_parent_export_effacement_et_conservation(demo, acteurs, atelier_tarn):  # noqa: F811
    _, etape = atelier_tarn
    amina, lea = _parent(demo, "Amina"), _parent(demo, "Léa")
    for parent in (amina, lea):
        etape("evaluer_parent", auditeur_id=parent.id, **INITIALE)
    export = json.loads(conservation.exporter_parent(demo, acteurs["porteur81"], amina.id))
    assert [(e["moment"], e["niveau_oral"], e["commentaire"]) for e in export["evaluations"]] == [
        ("initiale", "A1.1", INITIALE["commentaire"])]
    conservation.effacer_parent(demo, acteurs["porteur81"], amina.id, "demande écrite du 12/03", datetime(2026, 3, 12, tzinfo=UTC))
    assert _evaluations(demo, amina) == {}
    # The retention purge keeps the levels (the bilans' figures) and drops the free text.
    conservation.appliquer(demo, date(2030, 1, 1), datetime(2030, 1, 1, tzinfo=UTC))
    (initiale,) = _evaluations(demo, lea).values()
    assert (initiale.niveau_oral, initiale.commentaire) == ("A1.1", "")


def _evaluation(moment: str, oral: str, ecrit: str) -> Evaluation:
    return Evaluation(auditeur_id=1, moment=moment, date_evaluation=date(2026, 1, 1), niveau_oral=oral, niveau_ecrit=ecrit,
                      evaluateur_id=1)


niveaux = st.sampled_from([*ECHELLE, "non_evalue"])


@given(st.lists(st.tuples(niveaux, niveaux, st.one_of(st.none(), st.tuples(niveaux, niveaux))), max_size=30))
def test_progression_par_niveau_recalculee_autrement(parents):
    """Random initial levels and, for some parents, final ones: the bilan's table against a count by hand over the
    scale's ranks (a level « gained » is a higher place on alphabétisation < A1.1 < … < B2)."""
    suivis = [EvaluationsParent(_evaluation("initiale", o, e), None if f is None else _evaluation("finale", *f))
              for o, e, f in parents]
    for competence, position in (("oral", 0), ("ecrit", 1)):
        attendu_evalues, attendu_progres = Counter(), Counter()
        for p in parents:
            initial, final = p[position], p[2][position] if p[2] else None
            if final is None or "non_evalue" in (initial, final):
                continue
            attendu_evalues[initial] += 1
            attendu_progres[initial] += [n.value for n in Niveau].index(final) > [n.value for n in Niveau].index(initial)
        lignes = bilans._progression(suivis, competence)
        assert [p.libelle for p in lignes] == [Niveau(n).libelle for n in ECHELLE if n in attendu_evalues]
        assert {p.libelle: (p.evalues, p.en_progres) for p in lignes} == {
            Niveau(n).libelle: (attendu_evalues[n], attendu_progres[n]) for n in attendu_evalues}


@given(niveaux, niveaux)
def test_niveaux_gagnes_antisymetrique(a, b):
    gain = niveaux_gagnes(a, b)
    if "non_evalue" in (a, b):
        assert gain is None
    else:
        assert gain == -niveaux_gagnes(b, a) and (gain == 0) == (a == b)
