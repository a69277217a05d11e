"""Issue 18: axe-core (WCAG 2.0 and 2.1, A and AA), injected by Playwright into Chromium, over every page of every
role and the public pages, on a demo mid-year (an atelier running, parents registered). Prints the rule × impact table,
writes the measured summary to tests/artefacts/audit-accessibilite.json, fails on a serious or critical violation,
and checks that the summary the « Accessibilité » statement prints (conformite/audit_accessibilite.json) is the one
measured."""

import json
import re
from datetime import date

import pytest

from conformite import accessibilite
from conformite.accessibilite import NORMES, Visite
from demarrage.demo import COMPTES
from forms.vocabulaire import Role
from tests.conftest import RACINE, exiger_outil
from tests.support.chromium import ARTEFACTS, attendre, choisir, connecter, serveur_demo
from workflow.navigation import PAGES_D_INFORMATION, PAGES_PUBLIQUES, pages_du_role

pytestmark = pytest.mark.navigateur
AXE = RACINE / "node_modules" / "axe-core" / "axe.min.js"
COMPTE_DU_ROLE = {role: next(c[0] for c in COMPTES if c[2] == role) for role in Role}
PUBLIQUES = (("Connexion", ""), ("Carte des ateliers", "carte"), *((p.titre, p.url) for p in PAGES_PUBLIQUES))


def _auditer(page, role: str, titre: str) -> Visite:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    for information in PAGES_D_INFORMATION:  # the footer of every page links the pages a public service owes everyone
        expect(page.get_by_role("link", name=information.titre, exact=True).first).to_be_visible(timeout=10000)
    expect(page.locator("html")).to_have_attribute("lang", "fr", timeout=10000)
    expect(page).to_have_title(re.compile("^" + re.escape(titre) + " — "), timeout=10000)  # one title per page
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    resultat = page.evaluate("""async (normes) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: normes}, resultTypes: ['violations']});
        return {respectees: r.passes.map(p => p.id),
                violees: r.violations.map(v => ({id: v.id, impact: v.impact, aide: v.help,
                                                  cibles: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))};
    }""", list(NORMES))
    niveaux = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] h1, [data-testid="stMain"] h2,'
        + '[data-testid="stMain"] h3, [data-testid="stMain"] h4, [data-testid="stMain"] h5, [data-testid="stMain"] h6')]
        .filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]))""")
    if not _hierarchie_de_titres(niveaux):
        resultat["violees"].append({"id": TITRES, "impact": "serious", "cibles": [str(niveaux)],
                                    "aide": "Les titres de la page forment une hiérarchie (un h1, puis sans saut de niveau)"})
    else:
        resultat["respectees"].append(TITRES)
    try:  # a grid's screen-reader table is drawn with its codes, and oepre.js writes the labels in the next frame
        page.wait_for_function(f"() => ({CELLULES_BRUTES})().length === 0", timeout=3000)
    except PlaywrightTimeout:
        pass
    bruts = page.evaluate(CELLULES_BRUTES)
    if bruts:
        resultat["violees"].append({"id": CELLULES, "impact": "serious", "cibles": bruts[:3],
                                    "aide": "Les cellules des tableaux sont en français (ni « None », ni valeur codée)"})
    else:
        resultat["respectees"].append(CELLULES)
    for v in resultat["violees"]:
        print(f"  {role} — {titre} : {v['id']} ({v['impact']}) {v['cibles']}")
    return Visite(role, titre, frozenset(resultat["respectees"]),
                  {v["id"]: v["impact"] or "minor" for v in resultat["violees"]}, {v["id"]: v["aide"] for v in resultat["violees"]})


TITRES = "rgaa-9.1-titres"  # RGAA 9.1, which axe does not check: one h1, then no level skipped


CELLULES = "contenu-des-tableaux"  # what a screen reader reads in a table's cells: words, not Python's values
CELLULES_BRUTES = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] td, [data-testid="stTable"] td')]
  .map(td => td.innerText.trim())
  .filter(t => ["None", "nan", "NaN", "NaT", "<NA>", "True", "False", "null"].includes(t) || /^[a-z0-9]+(_[a-z0-9]+)+$/.test(t))"""


def _hierarchie_de_titres(niveaux: list[int]) -> bool:
    if not niveaux or niveaux[0] != 1 or niveaux.count(1) != 1:
        return False
    return all(b <= a + 1 for a, b in zip(niveaux, niveaux[1:], strict=False))


def _ouvrir(page, titre: str) -> None:
    from playwright.sync_api import expect

    page.get_by_role("link", name=titre, exact=True).first.click()
    expect(page.locator("h1").first).to_be_visible(timeout=30000)
    attendre(page)
    page.wait_for_timeout(800)  # the page's grids and charts drawn
    attendre(page)


def test_audit_axe_de_chaque_page_de_chaque_role(navigateur, tmp_path):
    from playwright.sync_api import expect

    exiger_outil(AXE.exists(), "axe-core absent : make test l'installe (scripts/install-node.sh)")
    visites: list[Visite] = []
    with serveur_demo(tmp_path, date_du_jour="2026-01-13", semis="tests.support.semis_atelier") as url:
        for titre, chemin in PUBLIQUES:
            page = navigateur.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/{chemin}")
            page.locator("h1").first.wait_for(timeout=30000)
            attendre(page)
            # The header band on every page; the State's brand only where its setting says so (test_marque_etat.py)
            expect(page.locator(".oepre-entete")).to_contain_text("Rectorat de l'académie de Toulouse")
            assert page.locator(".fr-logo").count() == 0
            visites.append(_auditer(page, "public", titre))
            page.close()
        for role in Role:
            page = connecter(navigateur, url, COMPTE_DU_ROLE[role])
            for p in pages_du_role(role):
                _ouvrir(page, p.titre)
                visites.append(_auditer(page, role.libelle, p.titre))
            page.close()
    audit = accessibilite.synthese(visites, date.today().isoformat(), f"axe-core {_version()}")
    print("\n" + accessibilite.tableau(audit))
    ARTEFACTS.mkdir(exist_ok=True)
    (ARTEFACTS / "audit-accessibilite.json").write_text(json.dumps(audit.en_json(), ensure_ascii=False, indent=1),
                                                       encoding="utf-8")
    assert audit.bloquants() == [], "\n".join(f"{m.regle} ({m.impact_fr}) : {', '.join(m.pages)}"
                                              for m in audit.bloquants())
    garde = accessibilite.dernier_audit()
    assert garde is not None and (garde.pages, garde.comptes(), garde.taux) == (audit.pages, audit.comptes(), audit.taux), (
        "la déclaration d'accessibilité n'imprime plus l'audit mesuré : copiez tests/artefacts/audit-accessibilite.json "
        "dans conformite/audit_accessibilite.json")


def _version() -> str:
    return json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))["version"]


def test_champs_obligatoires_et_refus_lies_aux_champs(navigateur, tmp_path):
    """RGAA 11.10: the required fields are said (the caption, « * », aria-required); a refused field is marked
    invalid, described by the refusal's message, and gets the focus; the mark goes when the refusal does."""
    from playwright.sync_api import expect

    with serveur_demo(tmp_path, date_du_jour="2025-10-15", semis="tests.support.semis_avis") as url:
        page = connecter(navigateur, url, "dsden31@ac-toulouse.fr")
        _ouvrir(page, "Avis du DASEN")
        expect(page.get_by_text("Les champs marqués d'un astérisque (*) sont obligatoires.").first).to_be_visible()
        avis = page.get_by_label("Avis", exact=True)
        expect(avis).to_have_attribute("aria-required", "true", timeout=10000)
        expect(page.get_by_label("Motivation", exact=True)).not_to_have_attribute("aria-required", "true")
        page.get_by_label("Motivation", exact=True).fill("Quartier prioritaire.")
        page.get_by_role("button", name="Enregistrer l'avis").click()
        expect(page.get_by_text("« Avis » : est obligatoire.")).to_be_visible(timeout=30000)
        expect(avis).to_have_attribute("aria-invalid", "true", timeout=10000)
        expect(avis).to_be_focused()
        description = page.evaluate("""() => { const e = document.querySelector('[aria-invalid="true"]');
                                               return document.getElementById(e.getAttribute('aria-describedby')).innerText; }""")
        assert "« Avis » : est obligatoire." in description
        page.screenshot(path=ARTEFACTS / "accessibilite-champ-refuse.png", full_page=True)
        choisir(page, "Avis", "Favorable")  # inside the form: the refusal stays said until the form is sent again
        page.get_by_role("button", name="Enregistrer l'avis").click()
        expect(page.get_by_text("Étape validée").first).to_be_visible(timeout=60000)
        expect(page.locator('[aria-invalid="true"]')).to_have_count(0, timeout=10000)
