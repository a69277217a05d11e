"""Issue 18, « Done when »: the keyboard alone — sign in, fill and save a section of the guided application, file it,
record a séance — with a visible focus checked on each kind of control as it is reached (screenshots clavier-*.png
in tests/artefacts/: the control and its surroundings)."""

import pytest

from tests.support.chromium import ARTEFACTS, MOT_DE_PASSE, attendre, serveur_demo

pytestmark = pytest.mark.navigateur

# What has the focus: its tag, role, input type and accessible name (aria-label, its label, or its text without what
# is hidden from screen readers, such as a link's icon).
DECRIRE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const etiquette = e.labels && e.labels.length ? e.labels[0].innerText : "";
  const copie = e.cloneNode(true);
  for (const cache of copie.querySelectorAll('[aria-hidden="true"]')) cache.remove();
  const texte = (copie.textContent || "").replace(/\\s+/g, " ");
  const nom = e.getAttribute("aria-label") || etiquette || texte || e.value || "";
  return {tag: e.tagName.toLowerCase(), role: e.getAttribute("role") || "", type: e.type || "", nom: nom.trim()};
}"""
# A scrollable region reached by Tab (the page's main area) is named by all its text: never the control sought.
CONTENEURS = {"main", "section", "div"}
# A focus a sighted keyboard user can see: an outline of 2 px at least on the focused element or on the ancestor that
# draws the control (a radio's or a checkbox's label, whose input is visually hidden), and that element seen: a ring
# on a 1 px hidden input is no ring.
FOCUS_VISIBLE = """() => {
  let e = document.activeElement;
  for (let i = 0; e && i < 4; i++, e = e.parentElement) {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    const vu = r.width >= 8 && r.height >= 8 && s.clip === "auto" && s.clipPath === "none" && s.opacity !== "0";
    if (vu && s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) return true;
  }
  return false;
}"""


def _tabuler_jusqu_a(page, nom: str, *, exact: bool = False, maximum: int = 120) -> dict:
    """Tab until the control named `nom` has the focus (never a click)."""
    for _ in range(maximum):
        page.keyboard.press("Tab")
        decrit = page.evaluate(DECRIRE)
        if decrit and decrit["tag"] not in CONTENEURS and (decrit["nom"] == nom if exact else nom in decrit["nom"]):
            return decrit
    raise AssertionError(f"« {nom} » jamais atteint à la touche Tab")


def _focus_vu(page, nom_capture: str) -> None:
    assert page.evaluate(FOCUS_VISIBLE), f"focus invisible sur {page.evaluate(DECRIRE)}"
    boite = page.evaluate("""() => { const e = document.activeElement;
                                     const r = (e.closest("label") || e).getBoundingClientRect();
                                     return {x: r.x, y: r.y, width: r.width, height: r.height}; }""")
    marge = 24
    page.screenshot(path=ARTEFACTS / f"clavier-{nom_capture}.png",
                    clip={"x": max(boite["x"] - marge, 0), "y": max(boite["y"] - marge, 0),
                          "width": boite["width"] + 2 * marge, "height": boite["height"] + 2 * marge})


def _se_connecter_au_clavier(navigateur, url: str, identifiant: str):
    from playwright.sync_api import expect

    page = navigateur.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    expect(page.get_by_label("Identifiant (adresse électronique)")).to_be_visible(timeout=30000)
    attendre(page)
    _tabuler_jusqu_a(page, "Identifiant (adresse électronique)")
    _focus_vu(page, "1-champ")
    page.keyboard.type(identifiant)
    _tabuler_jusqu_a(page, "Mot de passe", exact=True)
    page.keyboard.type(MOT_DE_PASSE)
    _tabuler_jusqu_a(page, "Se connecter", exact=True)
    _focus_vu(page, "2-bouton")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible(timeout=30000)
    attendre(page)
    return page


def _ouvrir_au_clavier(page, titre: str) -> None:
    from playwright.sync_api import expect

    _tabuler_jusqu_a(page, titre, exact=True)
    _focus_vu(page, "3-lien")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=titre, exact=True)).to_be_visible(timeout=30000)
    attendre(page)


def test_au_clavier_seul_une_section_enregistree_puis_le_dossier_depose(navigateur, tmp_path):
    from playwright.sync_api import expect

    ARTEFACTS.mkdir(exist_ok=True)
    with serveur_demo(tmp_path, date_du_jour="2026-09-15", semis="tests.support.semis_brouillon") as url:
        page = _se_connecter_au_clavier(navigateur, url, "directrice.tilleuls@ac-toulouse.fr")
        _ouvrir_au_clavier(page, "Dossier de candidature")
        expect(page.get_by_role("heading", name="1. Établissement et contacts")).to_be_visible(timeout=30000)
        _tabuler_jusqu_a(page, "1. Établissement et contacts", exact=True)
        _focus_vu(page, "4-bouton-radio")
        _tabuler_jusqu_a(page, "Nom du responsable", exact=True)
        page.keyboard.type("Claire Martin")
        _tabuler_jusqu_a(page, "Enregistrer et continuer", exact=True)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="2. Contexte et public")).to_be_visible(timeout=30000)
        attendre(page)
        # the next sections by the radio's arrow keys: the focus stays on the radio after each rerun
        _tabuler_jusqu_a(page, "2. Contexte et public", exact=True)
        for section in ("3. Groupes", "4. Intervenants", "5. Programme sur les trois axes", "6. Budget",
                        "7. Engagements et dépôt"):
            page.keyboard.press("ArrowDown")
            expect(page.get_by_role("heading", name=section)).to_be_visible(timeout=30000)
            attendre(page)
            assert page.evaluate(DECRIRE)["nom"] == section, f"focus perdu en ouvrant « {section} »"
        _tabuler_jusqu_a(page, "Action inscrite au projet d'école / d'établissement")
        page.keyboard.press("Space")
        _focus_vu(page, "5-case")
        _tabuler_jusqu_a(page, "Déposer le dossier", exact=True)
        page.keyboard.press("Enter")
        expect(page.get_by_text("Le dossier est déposé", exact=False).first).to_be_visible(timeout=60000)
        attendre(page)
        page.screenshot(path=ARTEFACTS / "clavier-6-depose.png", full_page=True)
        page.close()


def test_au_clavier_seul_une_seance_enregistree(navigateur, tmp_path):
    from playwright.sync_api import expect

    ARTEFACTS.mkdir(exist_ok=True)
    with serveur_demo(tmp_path, date_du_jour="2026-01-13", semis="tests.support.semis_atelier") as url:
        page = _se_connecter_au_clavier(navigateur, url, "principal.jaures@ac-toulouse.fr")
        _ouvrir_au_clavier(page, "Séances et émargement")
        expect(page.get_by_text("Présences (4 inscrit(s))")).to_be_visible(timeout=30000)
        _tabuler_jusqu_a(page, "Contenu", exact=True)
        page.keyboard.type("Se présenter, dire son adresse.")
        _tabuler_jusqu_a(page, "Amina Haddad", exact=True)
        page.keyboard.press("Space")
        _focus_vu(page, "7-case-presence")
        _tabuler_jusqu_a(page, "Enregistrer la séance", exact=True)
        page.keyboard.press("Enter")
        expect(page.get_by_text("2 h réalisées sur 140 h financées")).to_be_visible(timeout=60000)
        page.screenshot(path=ARTEFACTS / "clavier-8-seance.png", full_page=True)
        page.close()
