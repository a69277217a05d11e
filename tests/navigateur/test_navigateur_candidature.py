"""Issue 13 in headless Chromium: the guided application as a head of school goes through it. The Tilleuls head takes
over last year's dossier (tests/support/semis_renouvellement.py), completes a field in each section and saves every section,
1 to 7, with « Enregistrer et continuer » double-clicked; she then goes back to every section, by the radio and by
« Précédent »: never an exception, and what was saved is still displayed; then « Déposer le dossier » double-clicked
files it once (one `deposer` transition, one version of each document) with a French confirmation
(screenshots candidature-*.png in tests/artefacts/)."""

import json
import sqlite3

import pytest

from tests.conftest import JOUR_DEMO
from tests.support.chromium import ARTEFACTS, attendre, connecter, ouvrir_section, sans_traceback, serveur_demo

pytestmark = pytest.mark.navigateur

SECTIONS = ["1. Établissement et contacts", "2. Contexte et public", "3. Groupes", "4. Intervenants",
            "5. Programme sur les trois axes", "6. Budget", "7. Engagements et dépôt"]


@pytest.fixture(scope="module")
def serveur(tmp_path_factory):
    donnees = tmp_path_factory.mktemp("candidature")
    # On the tests' day the demo is 2025-2026, in its filing period; last year's dossier is 2024-2025's.
    with serveur_demo(donnees, date_du_jour=JOUR_DEMO.isoformat(), semis="tests.support.semis_renouvellement") as url:
        yield url, donnees


def _brouillon(donnees) -> tuple[str, dict]:
    from demarrage.demo import ECOLE_PORTEUR

    with sqlite3.connect(donnees / "oepre.sqlite") as base:
        etat, formulaire = base.execute("SELECT d.etat, d.formulaire FROM dossier d JOIN campagne c ON c.id = d.campagne_id "
                                        "WHERE d.uai = ? AND c.annee_scolaire = '2025-2026'", (ECOLE_PORTEUR,)).fetchone()
    return etat, json.loads(formulaire) if isinstance(formulaire, str) else formulaire


def _compter(donnees, etape: str) -> tuple[int, dict[str, list[int]]]:
    """Transitions of the step on the Tilleuls dossiers, and the versions of each DOCX document type it produced."""
    from demarrage.demo import ECOLE_PORTEUR

    with sqlite3.connect(donnees / "oepre.sqlite") as base:
        ids = [i for (i,) in base.execute("SELECT id FROM dossier WHERE uai = ?", (ECOLE_PORTEUR,))]
        dans = f"dossier_id IN ({', '.join(map(str, ids))})"
        (transitions,) = base.execute(f"SELECT count(*) FROM transition WHERE etape = ? AND {dans}", (etape,)).fetchone()
        versions: dict[str, list[int]] = {}
        for type_document, version in base.execute(f"SELECT type_document, version FROM document WHERE etape = ? AND {dans} "
                                                   "AND format = 'docx' ORDER BY type_document, version", (etape,)):
            versions.setdefault(type_document, []).append(version)
    return transitions, versions


def _section_ouverte(page, numero: int) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=SECTIONS[numero - 1])).to_be_visible(timeout=30000)
    attendre(page)
    sans_traceback(page)


def _precedent(page, numero: int) -> None:
    """« Précédent » from section `numero`. Clicked again only when the click was lost: ten seconds later no run is going
    on and the page still shows the same section (under load, about one run in six loses a click that lands while
    Streamlit ends the run before it; a person clicks again). A click that was only slow is never doubled."""
    from playwright.sync_api import expect

    precedent = page.get_by_role("button", name="Précédent")
    for _ in range(3):
        attendre(page)
        expect(precedent).to_have_count(1, timeout=30000)  # a rerun briefly shows the old form beside the new one
        precedent.click()
        try:
            expect(page.get_by_role("heading", name=SECTIONS[numero - 2])).to_be_visible(timeout=10000)
            return
        except AssertionError:
            attendre(page)
            if not page.get_by_role("heading", name=SECTIONS[numero - 1]).is_visible():
                raise


# What the head types in each section (label, value), on top of last year's dossier; checked on every return.
SAISIES = {
    1: [("Téléphone du responsable", "05 61 22 33 44"), ("Coordonnateur (nom)", "Nadia Haddad")],
    2: [("Nombre de parents prévus", "30"), ("Langues principales des familles", "arabe, dari, ukrainien, pachto")],
    5: [("Partenariats", "Centre social, ASL du quartier, médiathèque Saint-Exupéry.")],
    6: [("Autres frais (supports pédagogiques)", "180,50")],
}


def _verifier_saisies(page, numero: int) -> None:
    from playwright.sync_api import expect

    for libelle, valeur in SAISIES.get(numero, []):
        expect(page.get_by_label(libelle, exact=True)).to_have_value(valeur, timeout=10000)
    if numero == 1:
        expect(page.get_by_label("Nom du responsable", exact=True)).to_have_value("Claire Martin")
        expect(page.get_by_label("Renouvellement d'un atelier de l'an dernier", exact=True)).to_be_checked()
    elif numero == 5:
        expect(page.get_by_label("Programme — axe langue française", exact=True)).to_have_value(
            "Oral du quotidien scolaire : se présenter, comprendre un mot dans le cahier de liaison.")
    elif numero in (3, 4):  # the grid is drawn on a canvas: its rows are read from the accessible table behind it
        grille = page.locator("[data-testid='stDataFrame']").first
        expect(grille).to_be_visible(timeout=30000)
        attendus = ["Groupe A — débutants", "Groupe B — intermédiaires"] if numero == 3 else ["ÁLVAREZ", "DUBOIS"]
        for texte in attendus:
            expect(grille.get_by_text(texte, exact=True)).to_have_count(1, timeout=10000)
    elif numero == 7:
        expect(page.get_by_label("Action inscrite au projet d'école / d'établissement", exact=True)).to_be_checked()


def test_candidature_complete_double_clics_retours_et_depot(serveur, navigateur):
    from playwright.sync_api import expect

    url, donnees = serveur
    ARTEFACTS.mkdir(exist_ok=True)
    page = connecter(navigateur, url, "directrice.tilleuls@ac-toulouse.fr")
    page.get_by_role("link", name="Dossier de candidature").click()
    _section_ouverte(page, 1)
    page.get_by_role("button", name="Reprendre le dossier de l'an dernier (renouvellement)").click()
    expect(page.get_by_text("Le dossier de l'an dernier a été repris")).to_be_visible(timeout=30000)
    _section_ouverte(page, 1)
    expect(page.get_by_label("Nom du responsable", exact=True)).to_have_value("Claire Martin")

    # Sections 1 to 7, each completed then saved by a double click on « Enregistrer et continuer ».
    for numero in range(1, 8):
        for libelle, valeur in SAISIES.get(numero, []):
            page.get_by_label(libelle, exact=True).fill(valeur)
        bouton = page.get_by_role("button", name="Enregistrer et continuer" if numero < 7 else "Enregistrer le brouillon")
        bouton.dblclick()
        expect(page.get_by_text("Brouillon enregistré.").first).to_be_visible(timeout=30000)
        _section_ouverte(page, min(numero + 1, 7))
        page.screenshot(path=ARTEFACTS / f"candidature-{numero}-enregistree.png", full_page=True)
    etat, brouillon = _brouillon(donnees)
    assert etat == "brouillon"
    assert (brouillon["responsable_telephone"], brouillon["coordonnateur_nom"], brouillon["nb_parents_prevus"],
            brouillon["autres_frais"], brouillon["renouvellement"]) == ("05 61 22 33 44", "Nadia Haddad", 30, "180,50", True)
    assert [g["libelle"] for g in brouillon["groupes"]] == ["Groupe A — débutants", "Groupe B — intermédiaires"]
    assert [(g["date_debut"], g["date_fin"]) for g in brouillon["groupes"]] == [("2025-11-17", "2026-06-19"),
                                                                               ("2025-11-20", "2026-06-18")]

    # Back to every section by the radio, then from the last one to the first by « Précédent ».
    for numero in range(1, 8):
        ouvrir_section(page, SECTIONS[numero - 1])
        _section_ouverte(page, numero)
        _verifier_saisies(page, numero)
        page.screenshot(path=ARTEFACTS / f"candidature-{numero}-radio.png", full_page=True)
    for numero in range(7, 1, -1):
        _precedent(page, numero)
        _section_ouverte(page, numero - 1)
        _verifier_saisies(page, numero - 1)
    expect(page.get_by_role("button", name="Précédent")).to_be_disabled()
    # « Précédent » saves each section again as it is shown: the draft is what the seven saves left, field for field.
    apres = _brouillon(donnees)[1]
    assert {k: (brouillon.get(k), apres.get(k)) for k in brouillon.keys() | apres.keys() if brouillon.get(k) != apres.get(k)} == {}

    # Filed by a double click: once.
    ouvrir_section(page, SECTIONS[6])
    _verifier_saisies(page, 7)
    # Section 7's own button: under load the rerun draws section 7's fields while the buttons of section 1's form,
    # where « Déposer » is disabled, are still on screen until the run reaches its own.
    bouton = page.get_by_role("button", name="Déposer le dossier", disabled=False)
    expect(bouton).to_have_count(1, timeout=30000)
    bouton.dblclick()
    expect(page.get_by_text("Le dossier est déposé")).to_be_visible(timeout=120000)
    expect(page.get_by_text("Étape validée").first).to_be_visible()
    sans_traceback(page)
    page.wait_for_timeout(1500)  # a second run, if the second click started one
    sans_traceback(page)
    page.screenshot(path=ARTEFACTS / "candidature-8-deposee.png", full_page=True)
    assert _brouillon(donnees)[0] == "depose"
    assert _compter(donnees, "deposer") == (1, {"accuse_reception": [1], "dossier_candidature": [1]})
    page.close()
