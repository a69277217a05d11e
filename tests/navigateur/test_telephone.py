"""Issue 18 item 5: the head's main pages and the séance page on a 360 px wide phone — no horizontal scroll of the
page (a wide table scrolls inside its own frame), every control a finger can hit at least 44 × 44 px (a link inside
a sentence excepted, as WCAG 2.5.5 does) — with a screenshot of each (telephone-*.png in tests/artefacts/)."""

import pytest

from tests.support.chromium import ARTEFACTS, aller_au_telephone, attendre, connecter, serveur_demo

pytestmark = pytest.mark.navigateur
TELEPHONE = (360, 780)
PAGES_DU_CHEF = ("Tableau de bord", "Séances et émargement", "Parents et attestations", "Intervenants",
                 "Service fait et paie", "Dossiers")
CIBLE_MIN = 44

# The controls seen on the page whose box is smaller than a finger; a link inside a sentence (its paragraph has
# other text) is exempt.
PETITES_CIBLES = """(minimum) => {
  const controles = document.querySelectorAll(
    'button, a[href], input:not([type=hidden]), textarea, [role=combobox], [role=tab], ' +
    '[data-testid="stCheckbox"] label, [data-testid="stRadioOption"], [data-baseweb="select"] > div');
  const petites = [];
  for (const e of controles) {
    if (e.closest('[data-testid="stCheckbox"] label, [data-testid="stRadioOption"]') && !e.matches('label')) continue;
    if (e.matches("input, [role=combobox]") && e.closest('[data-baseweb="select"]')) continue;  // the box is the target
    let cible = e;  // a field's target is its box (a multiselect's typing input is narrow inside it)
    for (let x = e, i = 0; e.matches("input") && x && i < 4; x = x.parentElement, i++) {
      if (x.getBoundingClientRect().width >= minimum) { cible = x; break; }
    }
    const r = cible.getBoundingClientRect(), s = getComputedStyle(e);
    if (r.width === 0 || r.height === 0 || s.visibility === "hidden" || s.opacity === "0") continue;
    if (s.clip !== "auto" || (r.width <= 2 && r.height <= 2)) continue;  // visually hidden (its label is the target)
    if (r.right <= 0 || r.left >= window.innerWidth) continue;  // the folded menu, off the screen
    if (e.tagName === "A" && e.closest("p") && e.closest("p").innerText.trim() !== e.innerText.trim()) continue;
    if (r.width < minimum || r.height < minimum) {
      const nom = (e.getAttribute("aria-label") || e.innerText || e.value || "").trim().slice(0, 40);
      petites.push(`${e.tagName.toLowerCase()} « ${nom} » ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return petites;
}"""


def test_pages_du_chef_d_etablissement_au_telephone(navigateur, tmp_path):
    ARTEFACTS.mkdir(exist_ok=True)
    manquements = []
    with serveur_demo(tmp_path, date_du_jour="2026-01-13", semis="tests.support.semis_atelier") as url:
        page = connecter(navigateur, url, "principal.jaures@ac-toulouse.fr", viewport=TELEPHONE)
        for numero, titre in enumerate(PAGES_DU_CHEF, 1):
            if titre != "Tableau de bord":
                aller_au_telephone(page, titre)
                page.wait_for_timeout(800)  # the page's grids drawn
                attendre(page)
            largeur = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if largeur[0] > largeur[1]:
                manquements.append(f"{titre} : la page défile en largeur ({largeur[0]} px pour {largeur[1]} px)")
            manquements += [f"{titre} : {c}" for c in page.evaluate(PETITES_CIBLES, CIBLE_MIN)]
            page.screenshot(path=ARTEFACTS / f"telephone-{numero}.png", full_page=True)
    assert not manquements, "\n".join(manquements)
