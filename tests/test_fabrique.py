"""The factory of tests/support/fabrique.py: every state the step table reaches from a draft is built through the
engine, with one history row per step run, along a path found in the table."""

from dataclasses import replace

import pytest

from forms.vocabulaire import Etat
from tests.support import fabrique
from tests.support.fabrique import chemin, dossier_en_etat, etats_atteignables, historique


@pytest.mark.parametrize("etat", etats_atteignables(Etat.BROUILLON), ids=lambda e: e.value)
def test_la_fabrique_mene_un_brouillon_a_chaque_etat(demo, etat):
    fabrication = dossier_en_etat(demo, etat)
    assert Etat(fabrication.dossier.etat) == etat
    lignes = historique(demo, fabrication.dossier)
    assert [t.etape for t in lignes] == ["creer_dossier", *fabrication.etapes]
    assert [t.vers for t in lignes[:-1]] == [t.de for t in lignes[1:]] and lignes[-1].vers == etat.value


def test_chaque_etat_est_atteint_depuis_le_brouillon():
    assert etats_atteignables(Etat.BROUILLON) == list(Etat)


def test_le_chemin_vient_de_la_table(monkeypatch):
    """A row added to the table is a shorter path at once: nothing in the factory lists the steps of a state."""
    assert len(chemin(Etat.BROUILLON, Etat.ABANDONNE)) > 1
    abandonner = fabrique.ETAPES_PAR_CLE["abandonner"]
    monkeypatch.setattr(fabrique, "ETAPES", (*fabrique.ETAPES, replace(abandonner, cle="renoncer", depuis=(Etat.BROUILLON,))))
    assert [(e.cle, vers) for e, vers in chemin(Etat.BROUILLON, Etat.ABANDONNE)] == [("renoncer", Etat.ABANDONNE)]
