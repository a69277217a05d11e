"""Issue 18 item 3: the pages a public service owes everyone, signed in or not, linked in every page's footer; the
statement prints the kept audit's figures, the data page the forms' fields and the configured retention."""

import pytest

from conformite import accessibilite
from tests.support.appli import ouvrir_application, textes_de
from workflow.navigation import PAGES_D_INFORMATION
from workflow.noyau.format import heures


@pytest.mark.parametrize("connecte", [False, True], ids=["sans-connexion", "connecte"])
@pytest.mark.parametrize("fichier", [p.fichier for p in PAGES_D_INFORMATION])
def test_chaque_page_d_information_s_ouvre(demo, acteurs, fichier, connecte):
    """(AppTest runs the page's own file: the footer that links them, drawn by app.py, is checked in Chromium by
    tests/navigateur/test_accessibilite.py.)"""
    at = ouvrir_application(acteurs["porteur"] if connecte else None, page=fichier)
    assert not at.exception, at.exception
    assert at.title and at.title[0].value
    assert "Rectorat de l'académie de Toulouse" in textes_de(at)


def test_la_declaration_imprime_le_dernier_audit(demo):
    at = ouvrir_application(None, page="pages/accessibilite.py")
    audit = accessibilite.dernier_audit()
    texte = textes_de(at)
    assert f"**{heures(audit.taux)} %**" in texte and f"porté sur {audit.pages} pages" in texte
    assert "dos5@ac-toulouse.fr" in texte  # the DAEPS office of the académie's profile


def test_les_donnees_personnelles_disent_les_champs_et_la_conservation(demo, monkeypatch):
    monkeypatch.setenv("OEPRE_CONSERVATION_MOIS", "18")
    from infra.settings import get_settings

    get_settings.cache_clear()
    try:
        texte = textes_de(ouvrir_application(None, page="pages/donnees_personnelles.py"))
    finally:
        get_settings.cache_clear()
    assert "Pays d'origine" in texte and "IBAN" in texte
    assert "puis 18 mois" in texte
    assert "jamais un nom" in texte and "dpd@ac-toulouse.fr" in texte
