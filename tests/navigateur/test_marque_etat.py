"""Issue 18 item 2: the State's brand behind a setting. Off by default (the DSFR's terms reserve it to the State's
services): the header band says the service and its académie, with no bloc-marque. On (OEPRE_MARQUE_ETAT=true, a
rectorat's deployment): the bloc-marque « République française » and the Marianne font served from static/dsfr, the
icons kept in their own font, no serious axe violation, no horizontal scroll on a phone (screenshots
marque-etat-*.png in tests/artefacts/)."""

import pytest

from tests.conftest import exiger_outil
from tests.navigateur.test_accessibilite import AXE, _auditer
from tests.support.chromium import ARTEFACTS, attendre, connecter, serveur_demo

pytestmark = pytest.mark.navigateur

POLICES = """async () => {
  await document.fonts.ready;
  const famille = (s) => getComputedStyle(document.querySelector(s)).fontFamily;
  return {chargees: [...document.fonts].filter(f => f.family.replaceAll('"', '') === 'Marianne' && f.status === 'loaded').length,
          titre: famille('h1'), bouton: famille('button'),
          icone: famille('[data-testid="stIconMaterial"]')};
}"""


def test_la_marque_de_l_etat_derriere_son_reglage(navigateur, tmp_path):
    from playwright.sync_api import expect

    exiger_outil(AXE.exists(), "axe-core absent : make test l'installe (scripts/install-node.sh)")
    ARTEFACTS.mkdir(exist_ok=True)
    with serveur_demo(tmp_path, reglages={"OEPRE_MARQUE_ETAT": "true"}) as url:
        page = navigateur.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        expect(page.locator(".fr-logo")).to_have_text("Républiquefrançaise", timeout=30000)
        expect(page.locator(".oepre-entete")).to_contain_text("Rectorat de l'académie de Toulouse")
        attendre(page)
        polices = page.evaluate(POLICES)
        assert polices["chargees"] >= 2, polices  # regular and bold at least, fetched from /app/static/dsfr
        assert polices["titre"].startswith("Marianne") and polices["bouton"].startswith("Marianne"), polices
        assert "Material" in polices["icone"], polices  # an icon's ligature is not written out in Marianne
        visites = [_auditer(page, "public", "Connexion")]
        page.screenshot(path=ARTEFACTS / "marque-etat-connexion.png")
        page.close()
        page = connecter(navigateur, url, "directrice.tilleuls@ac-toulouse.fr", viewport=(360, 780))
        expect(page.locator(".fr-logo")).to_be_visible()
        visites.append(_auditer(page, "Porteur", "Tableau de bord"))
        largeur = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert largeur[0] <= largeur[1], largeur
        page.screenshot(path=ARTEFACTS / "marque-etat-telephone.png")
    graves = [(v.page, regle) for v in visites for regle, impact in v.violees.items() if impact in ("serious", "critical")]
    assert graves == []
