"""Issue 13 in headless Chromium: the selection of the applications as the DASEN and the committee click through it, on two
Haute-Garonne dossiers filed by tests/support/semis_avis.py (the Tilleuls, Jean-Moulin) beside the demo's Tarn one, already
decided. The DASEN double-clicks « Enregistrer l'avis » (one opinion, one document), then clicks the next dossier's
blank form (refused in French) before giving it an opinion; the committee member only reads the agenda; the pilote
double-clicks « Enregistrer les décisions saisies » (one decision each, and the grid starts blank: the decisions typed
are not left on the rows that shifted) and « Établir le procès-verbal »; the DAEPS double-clicks « Valider l'étape » of
the notification of credits. Each step: one transition and one version of each document, never a traceback
(screenshots comite-*.png in tests/artefacts/)."""

import sqlite3

import pytest

from tests.support.chromium import (
    ARTEFACTS,
    attendre,
    boite_grille,
    choisir,
    connecter,
    editer_cellule,
    sans_traceback,
    serveur_demo,
)

pytestmark = pytest.mark.navigateur

TILLEULS, MOULIN = "École élémentaire des Tilleuls", "École primaire Jean-Moulin"
# Columns of the committee's grid (pages/decisions.py), from the first one
DECISION, DERNIERE = 14, 18


@pytest.fixture(scope="module")
def serveur(tmp_path_factory):
    donnees = tmp_path_factory.mktemp("comite")
    # Two days before the DASEN's deadline (17/10/2025): the opinions are on time; the committee's steps have no
    # earliest date.
    with serveur_demo(donnees, date_du_jour="2025-10-15", semis="tests.support.semis_avis") as url:
        yield url, donnees


def _base(donnees):
    return sqlite3.connect(donnees / "oepre.sqlite")


def _dossier(donnees, nom: str) -> tuple[int, str]:
    with _base(donnees) as base:
        return base.execute("SELECT d.id, d.etat FROM dossier d JOIN etablissement e ON e.uai = d.uai WHERE e.nom = ?",
                            (nom,)).fetchone()


def _compter(donnees, etape: str, dossier_id: int | None = None) -> tuple[int, dict[tuple[str, str], list[int]]]:
    """Transitions of the step (on the dossier, if given), and the versions of each document type and format it produced."""
    filtre, params = (" AND dossier_id = ?", (etape, dossier_id)) if dossier_id else ("", (etape,))
    with _base(donnees) as base:
        (transitions,) = base.execute(f"SELECT count(*) FROM transition WHERE etape = ?{filtre}", params).fetchone()
        versions: dict[tuple[str, str], list[int]] = {}
        for type_document, fmt, version in base.execute(f"SELECT type_document, format, version FROM document WHERE "
                                                        f"etape = ?{filtre} ORDER BY type_document, format, version", params):
            versions.setdefault((type_document, fmt), []).append(version)
    return transitions, versions


def _aller(page, titre: str) -> None:
    from playwright.sync_api import expect

    page.get_by_role("link", name=titre, exact=True).click()
    # the page's title (the dashboard left behind has « Dossiers » headings of its own)
    expect(page.get_by_role("heading", name=titre, exact=True, level=1)).to_be_visible(timeout=30000)
    attendre(page)


def _double_clic(page, bouton) -> None:
    from playwright.sync_api import expect

    expect(bouton).to_be_enabled(timeout=30000)
    bouton.dblclick()


def _apres_double_clic(page, confirmation: str) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_text(confirmation).first).to_be_visible(timeout=120000)
    sans_traceback(page)
    page.wait_for_timeout(1500)  # a second run, if the second click started one
    sans_traceback(page)
    expect(page.get_by_text("L'étape ne peut pas être validée")).to_have_count(0)
    expect(page.get_by_text("modifié par une autre personne")).to_have_count(0)


def test_avis_du_dasen(serveur, navigateur):
    from playwright.sync_api import expect

    url, donnees = serveur
    ARTEFACTS.mkdir(exist_ok=True)
    tilleuls, _ = _dossier(donnees, TILLEULS)
    page = connecter(navigateur, url, "dsden31@ac-toulouse.fr")
    _aller(page, "Avis du DASEN")
    expect(page.get_by_label("Dossier", exact=True)).to_be_visible(timeout=30000)
    choisir(page, "Dossier", f"2025-031-{tilleuls:04d} — {TILLEULS}")
    choisir(page, "Avis", "Favorable")
    page.get_by_label("Rang dans le département", exact=True).fill("1")
    page.get_by_label("Motivation", exact=True).fill("Quartier prioritaire, UPE2A sur place.")
    page.screenshot(path=ARTEFACTS / "comite-1-avis-saisi.png", full_page=True)
    _double_clic(page, page.get_by_role("button", name="Enregistrer l'avis"))
    _apres_double_clic(page, "Étape validée")
    assert _dossier(donnees, TILLEULS)[1] == "avis_donne"
    transitions, versions = _compter(donnees, "emettre_avis", tilleuls)
    assert transitions == 1
    assert versions[("avis_dasen", "docx")] == [1]
    assert all(len(v) == 1 for v in versions.values()), versions

    # The next dossier's form is blank (nothing of the opinion just given): sent as it is, it is refused in French.
    moulin, _ = _dossier(donnees, MOULIN)
    expect(page.get_by_label("Dossier", exact=True)).to_have_value(f"2025-031-{moulin:04d} — {MOULIN}", timeout=30000)
    expect(page.get_by_label("Motivation", exact=True)).to_have_value("")
    expect(page.get_by_label("Rang dans le département", exact=True)).to_have_value("")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.get_by_text("Le formulaire contient des erreurs").first).to_be_visible(timeout=30000)
    sans_traceback(page)
    page.screenshot(path=ARTEFACTS / "comite-2-avis-suivant-vide.png", full_page=True)
    assert _compter(donnees, "emettre_avis", moulin)[0] == 0
    choisir(page, "Avis", "Favorable avec réserves")
    page.get_by_label("Motivation", exact=True).fill("Un seul intervenant qualifié FLE.")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.get_by_text("Aucun dossier déposé n'attend votre avis.")).to_be_visible(timeout=60000)
    sans_traceback(page)
    expect(page.get_by_role("button", name="Enregistrer l'avis")).to_have_count(0)  # nothing left to send again
    page.screenshot(path=ARTEFACTS / "comite-3-avis-termines.png", full_page=True)
    assert _compter(donnees, "emettre_avis", tilleuls)[0] == 1 and _compter(donnees, "emettre_avis", moulin)[0] == 1
    page.close()


def _saisir_decision(page, ligne: int, choix: str, montants: tuple[str, str] | None = None) -> None:
    """The decision of a row of the committee's grid (a selectbox cell), then its two amounts if any."""
    editer_cellule(page, 0, ligne, DECISION, retour=DERNIERE)  # counted from the grid's first column
    page.keyboard.type(choix)
    page.keyboard.press("Tab")  # picks the option; on to « Heures financées »
    page.wait_for_timeout(200)
    if montants:
        page.keyboard.press("Tab")  # « P104 (€) »
        for valeur in montants:
            page.keyboard.press("Enter")
            editeur = page.locator("#portal input, #portal textarea").first
            editeur.wait_for(timeout=5000)
            editeur.fill(valeur)
            page.keyboard.press("Tab")
            page.wait_for_timeout(150)
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)


def _decider_d_un_double_clic(page, ligne: int, choix: str, montants: tuple[str, str] | None, capture: str,
                              restants: int) -> None:
    """One row of the committee's grid decided, saved by a double click: once, then the agenda keeps `restants`
    dossiers and the grid starts blank (nothing typed left on the rows that shifted)."""
    from playwright.sync_api import expect

    saisies = page.get_by_test_id("stMetric").filter(has_text="Décisions saisies")
    enregistrer = page.get_by_role("button", name="Enregistrer les décisions saisies")
    _saisir_decision(page, ligne, choix, montants)
    expect(saisies).to_contain_text("1", timeout=30000)
    page.screenshot(path=ARTEFACTS / f"comite-{capture}.png", full_page=True)
    _double_clic(page, enregistrer)
    _apres_double_clic(page, f"décision « {choix} » enregistrée")
    expect(page.get_by_text(f"Ordre du jour ({restants} dossier(s))")).to_be_visible(timeout=30000)
    boite_grille(page)
    expect(saisies).to_contain_text("0")
    expect(enregistrer).to_be_disabled()


def test_comite_consulte_le_pilote_decide_et_etablit_le_proces_verbal(serveur, navigateur):
    from playwright.sync_api import expect

    url, donnees = serveur
    tilleuls, etat = _dossier(donnees, TILLEULS)
    moulin, _ = _dossier(donnees, MOULIN)
    assert etat == "avis_donne"  # test_avis_du_dasen ran first

    # The committee member reads the agenda; the pilote alone decides (workflow/etapes.py: decider, etablir_proces_verbal).
    comite = connecter(navigateur, url, "comite@ac-toulouse.fr")
    _aller(comite, "Comité de pilotage")
    expect(comite.get_by_text("Ordre du jour (2 dossier(s))")).to_be_visible(timeout=30000)
    expect(comite.get_by_text("Consultation : les décisions sont saisies par le pilote académique.")).to_be_visible()
    expect(comite.get_by_role("button", name="Enregistrer les décisions saisies")).to_have_count(0)
    expect(comite.get_by_role("button", name="Établir le procès-verbal")).to_have_count(0)
    sans_traceback(comite)
    comite.close()

    page = connecter(navigateur, url, "pilote@ac-toulouse.fr")
    _aller(page, "Comité de pilotage")
    expect(page.get_by_text("Ordre du jour (2 dossier(s))")).to_be_visible(timeout=30000)
    # First Jean-Moulin (the second row) on the waiting list: it stays on the agenda, which keeps two rows; the grid
    # starts blank all the same, and the double click decides it once.
    _decider_d_un_double_clic(page, 1, "Liste d'attente", None, "4-liste-d-attente-saisie", 2)
    assert _dossier(donnees, MOULIN)[1] == "liste_attente"
    assert _compter(donnees, "decider", moulin) == (1, {("notification_decision", "docx"): [1],
                                                         ("notification_decision", "pdf"): [1]})

    # Then the Tilleuls (ranked first) retained: it leaves the agenda, Jean-Moulin's row comes first and starts blank.
    _decider_d_un_double_clic(page, 0, "Retenu", ("3000", "1285,60"), "5-retenu-saisi", 1)
    page.screenshot(path=ARTEFACTS / "comite-6-decisions-enregistrees.png", full_page=True)
    assert _dossier(donnees, TILLEULS)[1] == "retenu" and _dossier(donnees, MOULIN)[1] == "liste_attente"
    for dossier_id in (tilleuls, moulin):
        assert _compter(donnees, "decider", dossier_id) == (1, {("notification_decision", "docx"): [1],
                                                               ("notification_decision", "pdf"): [1]})

    # The procès-verbal of every decision not yet recorded in one: the Tarn's (seeded), the Tilleuls', Jean-Moulin's.
    bouton = page.get_by_role("button", name="Établir le procès-verbal")
    bouton.scroll_into_view_if_needed()
    _double_clic(page, bouton)
    _apres_double_clic(page, "Étape validée")
    pv = page.locator("p").filter(has_text="Procès-verbal du comité de pilotage — version")
    expect(pv).to_have_count(2, timeout=30000)  # its DOCX and its PDF, once
    expect(pv.filter(has_text="version 1 (DOCX)")).to_have_count(1)
    page.screenshot(path=ARTEFACTS / "comite-7-proces-verbal.png", full_page=True)
    assert _compter(donnees, "etablir_proces_verbal") == (1, {("proces_verbal", "docx"): [1], ("proces_verbal", "pdf"): [1]})
    page.close()


def test_notification_des_credits(serveur, navigateur):
    from playwright.sync_api import expect

    url, donnees = serveur
    tilleuls, etat = _dossier(donnees, TILLEULS)
    assert etat == "retenu"  # the committee's test ran first
    page = connecter(navigateur, url, "daeps@ac-toulouse.fr")
    _aller(page, "Dossiers")
    choisir(page, "Dossier", f"2025-031-{tilleuls:04d} — {TILLEULS} (Retenu)")
    page.get_by_role("tab", name="Étapes possibles").click()
    page.get_by_text("4. Notifier les crédits").click()
    formulaire = page.locator("[data-testid='stForm']").filter(has_text="Structure payeuse")
    expect(formulaire.get_by_label("Montant programme 104", exact=True)).to_have_value("3000,00", timeout=30000)
    expect(formulaire.get_by_label("Montant Éducation nationale", exact=True)).to_have_value("1285,60")
    expect(formulaire.get_by_label("Structure payeuse (nom et UAI)", exact=True)).to_have_value("DSDEN Haute-Garonne (31)")
    page.screenshot(path=ARTEFACTS / "comite-8-notification-saisie.png", full_page=True)
    _double_clic(page, formulaire.get_by_role("button", name="Valider l'étape"))
    _apres_double_clic(page, "Étape validée")
    page.screenshot(path=ARTEFACTS / "comite-9-notification-faite.png", full_page=True)
    assert _compter(donnees, "notifier_credits", tilleuls) == (1, {("notification_credits", "docx"): [1],
                                                                   ("notification_credits", "pdf"): [1]})
    page.close()
