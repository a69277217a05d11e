"""Helpers for the headless-Chromium tests: a served app on its own database, and the gestures
Streamlit widgets need (react-aria date fields, the canvas grid of st.data_editor; tech-notes §5)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from infra.settings import Settings
from tests.conftest import RACINE, exiger_outil

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
ARTEFACTS = RACINE / "tests" / "artefacts"
MOT_DE_PASSE = "oepre-demo-2025"
ENTETE_GRILLE, LIGNE_GRILLE = 35, 35  # pixel heights of a data_editor's header and rows


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serveur_demo(donnees: Path, date_du_jour: str | None = None, semis: str | None = None, date_du_semis: str | None = None,
                 database_url: str | None = None, reglages: dict[str, str] | None = None, port: int | None = None,
                 demo: bool = True):
    """`make run` in miniature: migrate and seed a fresh SQLite database (or the empty one at `database_url`; then
    run the module `semis`, if given, on it), write Streamlit's secrets from the settings, then serve the app on
    `port` (a free one by default); yields its URL. The demo follows the school year of its seeding day:
    `date_du_semis` seeds it on another day than the one served (e.g. last year's demo on the rollover day).
    `reglages` adds OEPRE_* settings (OIDC, session delay…); a second server on the same `donnees` shares the first
    one's database and secrets (the seeding is then a no-op). `demo=False` serves a new deployment: the reference
    data only, no campaign, no account."""
    exiger_outil(Path(CHROMIUM).exists(), "Chromium absent (paquet Debian chromium)")
    env = os.environ | {"OEPRE_DATABASE_URL": database_url or f"sqlite:///{donnees / 'oepre.sqlite'}",
                        "OEPRE_DATA_DIR": str(donnees)} | (reglages or {})
    env.pop("OEPRE_DATE_DU_JOUR", None)
    if date_du_jour:
        env["OEPRE_DATE_DU_JOUR"] = date_du_jour
    semer = env | ({"OEPRE_DATE_DU_JOUR": date_du_semis} if date_du_semis else {})
    subprocess.run([sys.executable, "-m", "demarrage.initialisation", *(["--demo"] if demo else [])], cwd=RACINE, env=semer,
                   check=True)
    if semis:
        subprocess.run([sys.executable, "-m", semis], cwd=RACINE, env=semer, check=True)
    port = port or port_libre()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
                             "--secrets.files", str(Settings(data_dir=donnees).secrets_streamlit)],
                            cwd=RACINE, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def attendre(page) -> None:
    """Until Streamlit's « Running… » widget is gone (call after the rerun has visibly started)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)


# The menu: signed out, Streamlit's own; signed in, the role's by section (pages/_commun/apparence.menu).
MENU = "[data-testid='stSidebarNav'] a, [data-testid='stSidebarUserContent'] [data-testid='stPageLink-NavLink']"


def liens_du_menu(page) -> set[str]:
    """The titles of the menu's links (each link reads « icon-name\\n\\nTitle »: keep the title)."""
    return {t.strip().split("\n")[-1] for t in page.locator(MENU).all_inner_texts()}


def connecter(navigateur, url: str, identifiant: str, viewport=(1400, 1000)):
    from playwright.sync_api import expect

    page = navigateur.new_page(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True)
    page.goto(url)
    page.get_by_label("Identifiant (adresse électronique)").fill(identifiant)
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible(timeout=30000)
    attendre(page)
    return page


def saisir_date(page, libelle: str, jj_mm_aaaa: str) -> None:
    """st.date_input is a react-aria field of three spin buttons: type the digits into the first one."""
    page.get_by_label(libelle, exact=True).get_by_role("spinbutton").first.click()
    page.keyboard.type(jj_mm_aaaa.replace("/", ""))


def boite_grille(page, index_grille: int = 0) -> dict:
    """The bounding box of the n-th data_editor once it is drawn and scrolled into view (None while a rerun redraws it)."""
    from playwright.sync_api import expect

    grille = page.locator("[data-testid='stDataFrame']").nth(index_grille)
    for _ in range(5):
        attendre(page)
        expect(grille).to_be_visible(timeout=30000)
        grille.scroll_into_view_if_needed()
        boite = grille.bounding_box()
        if boite is not None:
            return boite
        page.wait_for_timeout(300)
    raise AssertionError(f"grille {index_grille} jamais affichée")


def remplir_grille(page, index_grille: int, lignes: list[list]) -> None:
    """Append rows to the n-th data_editor of the page through its trailing « add » row.

    Each value is typed text; None leaves the cell (its default); ("date", "AAAA-MM-JJ") fills a date
    cell; ("choix", libellé) picks in a selectbox cell; ("case",) ticks a checkbox cell. The overlay editor is always opened first:
    typing straight onto a selected cell loses the first keystroke (tech-notes §5)."""
    editeur = page.locator("#portal input, #portal textarea")
    for n, ligne in enumerate(lignes):
        boite = boite_grille(page, index_grille)
        page.mouse.click(boite["x"] + 70, boite["y"] + ENTETE_GRILLE + LIGNE_GRILLE * n + LIGNE_GRILLE // 2)
        for i, valeur in enumerate(ligne):  # the click opened the first cell's editor
            if valeur is None:
                if i == 0:
                    page.keyboard.press("Escape")
                page.keyboard.press("Tab")
            elif valeur == ("case",):
                page.keyboard.press("Space")
                page.keyboard.press("Tab")
            else:
                if i > 0:
                    page.keyboard.press("Enter")
                if isinstance(valeur, tuple) and valeur[0] == "choix":  # the selectbox takes typed text, Tab picks
                    page.locator("#portal input").first.wait_for(timeout=5000)
                    page.keyboard.type(valeur[1])
                else:  # text, or ("date", "AAAA-MM-JJ") for the native date input
                    editeur.first.wait_for(timeout=5000)
                    editeur.first.fill(valeur[1] if isinstance(valeur, tuple) else valeur)
                page.keyboard.press("Tab")
                page.wait_for_timeout(120)
        page.keyboard.press("Escape")
        _retaper_les_cellules_perdues(page, index_grille, n, ligne)


def _retaper_les_cellules_perdues(page, index_grille: int, n: int, ligne: list) -> None:
    retaper_les_cellules_perdues(page, index_grille, n, {i: v for i, v in enumerate(ligne) if isinstance(v, str)})


def retaper_les_cellules_perdues(page, index_grille: int, n: int, valeurs: dict[int, str]) -> None:
    """Under load a rerun can swallow a typed cell (seen in CI: a second row's « Heures prévues », a contact's
    département left empty): each text cell of row `n` (column → value typed) is read back from the grid's accessible
    table and typed again if it is empty or lost digits."""
    grille = page.locator("[data-testid='stDataFrame']").nth(index_grille)
    for i, valeur in valeurs.items():
        cellule = grille.locator(f"[data-testid='glide-cell-{i + 1}-{n}']")
        for _ in range(3):
            page.wait_for_timeout(200)
            if cellule.count() == 0:  # scrolled out of the accessible table: nothing to read back
                break
            texte = cellule.first.inner_text().strip()
            if texte and (not valeur.isdigit() or texte == valeur):
                break
            saisir_cellule(page, index_grille, n, i, valeur, premiere_cellule=70)
            page.keyboard.press("Enter")
            page.keyboard.press("Escape")
            attendre(page)


def ouvrir_section(page, titre: str) -> None:
    """Open a section of the guided application by its radio (retried: a rerun may move it under the mouse)."""
    from playwright.sync_api import expect

    sections = page.get_by_role("radiogroup", name="Sections")
    for _ in range(3):
        attendre(page)
        expect(sections).to_have_count(1, timeout=30000)  # a rerun briefly shows the old radio next to the new one
        sections.get_by_text(titre, exact=True).click()
        try:
            expect(page.get_by_role("heading", name=titre)).to_be_visible(timeout=10000)
            attendre(page)  # until the rerun ends: its old elements (a disabled twin button) are gone
            return
        except AssertionError:
            continue
    expect(page.get_by_role("heading", name=titre)).to_be_visible(timeout=1000)


def continuer(page, titre: str) -> None:
    """« Enregistrer et continuer » in the guided application, until the next section's heading `titre` shows."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_role("heading", name=titre)).to_be_visible(timeout=30000)


def texte_docx(chemin_ou_flux) -> str:
    from docx import Document

    docx = Document(chemin_ou_flux)
    texte = "\n".join([p.text for p in docx.paragraphs]
                      + [" | ".join(c.text for c in r.cells) for t in docx.tables for r in t.rows])
    # French amounts use (narrow) no-break spaces; the isolates around right-to-left values (documents/render.py) are invisible.
    return texte.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2068", "").replace("\u2069", "")


def editer_cellule(page, index_grille: int, ligne: int, colonne: int, *, retour: int = 0, premiere_cellule: int = 30) -> None:
    """Open the overlay editor of a cell reached from the row's first column by Tab (retried: the grid may
    still be drawing, or a rerun may redraw it, when the first click lands). `retour` presses the left arrow that
    many times first, back to the first column of a grid that a row typed before scrolled to the right (a horizontal
    wheel would go back in the browser's history). `premiere_cellule` is the first cell's offset from the grid's left
    edge (70 past the row markers of a dynamic grid)."""
    for essai in range(3):
        boite = boite_grille(page, index_grille)
        page.mouse.click(boite["x"] + premiere_cellule, boite["y"] + ENTETE_GRILLE + LIGNE_GRILLE * ligne + LIGNE_GRILLE // 2)
        for _ in range(retour):
            page.keyboard.press("ArrowLeft")
        for _ in range(colonne):
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        try:
            page.locator("#portal input, #portal textarea").first.wait_for(timeout=5000)
            return
        except Exception:  # noqa: BLE001 — Playwright's TimeoutError; try again from a fresh click
            if essai == 2:
                raise
            page.keyboard.press("Escape")


def saisir_cellule(page, index_grille: int, ligne: int, colonne: int, valeur: str, *, retour: int = 0,
                   premiere_cellule: int = 30) -> None:
    """Type `valeur` in a cell's overlay editor, opened by `editer_cellule`; open and fill retried together (a rerun
    of the edit before can close the editor between its opening and the typing). Left with the editor still open:
    the caller presses Enter or Tab."""
    for essai in range(3):
        editer_cellule(page, index_grille, ligne, colonne, retour=retour, premiere_cellule=premiere_cellule)
        try:
            page.locator("#portal input, #portal textarea").first.fill(valeur, timeout=5000)
            return
        except Exception:  # noqa: BLE001 — Playwright's TimeoutError: the editor closed under the rerun
            if essai == 2:
                raise
            attendre(page)


def aller_au_telephone(page, titre: str) -> None:
    """On a phone the menu is folded: open it, follow the link to the page `titre`, fold the menu if it stayed open."""
    from playwright.sync_api import expect

    page.locator("[data-testid='stExpandSidebarButton']").click()
    page.get_by_role("link", name=titre, exact=True).click()
    expect(page.get_by_role("heading", name=titre, exact=True, level=1)).to_be_visible(timeout=30000)
    attendre(page)
    if page.locator("[data-testid='stSidebarCollapseButton'] button").is_visible():
        page.locator("[data-testid='stSidebarCollapseButton'] button").click()


def choisir(page, libelle: str, option: str, essais: int = 4) -> None:
    """Pick `option` in the st.selectbox labelled `libelle`, and check that it stuck: a rerun still drawing the page
    may close the list under the mouse, or redraw the box empty after the pick (another box's choice reran the form);
    either way the pick is made again."""
    from playwright.sync_api import expect

    for _ in range(essais):
        attendre(page)
        expect(page.get_by_label(libelle, exact=True)).to_have_count(1, timeout=30000)  # not beside an old form's
        try:
            page.get_by_label(libelle, exact=True).click(timeout=5000)
            page.get_by_role("option", name=option, exact=True).click(timeout=5000)
        except Exception:  # noqa: BLE001 — Playwright's TimeoutError; open the list again
            page.keyboard.press("Escape")
        attendre(page)
        page.wait_for_timeout(300)  # a rerun the pick started
        attendre(page)
        vu = page.get_by_label(libelle, exact=True).evaluate("e => e.value ?? e.textContent", timeout=10000)
        if option in vu:
            return
    raise AssertionError(f"« {option} » ne reste pas choisi dans « {libelle} » : {vu!r}")


def deplier(page, titre: str) -> None:
    """Open the expander titled `titre` if it is closed (a click on an open one would close it)."""
    entete = page.locator("[data-testid='stExpander'] summary").filter(has_text=titre).first
    for _ in range(3):
        attendre(page)
        if entete.evaluate("e => e.closest('details').open"):
            return
        entete.click()
        page.wait_for_timeout(300)
    if not entete.evaluate("e => e.closest('details').open"):
        raise AssertionError(f"le volet « {titre} » ne s'ouvre pas")


def sans_traceback(page) -> None:
    """Once the run is over: no Streamlit exception box, no Python traceback, no Streamlit API error on the page."""
    from playwright.sync_api import expect

    attendre(page)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    expect(page.get_by_text("StreamlitAPIException")).to_have_count(0)


@dataclass(frozen=True)
class Candidature:
    """What a head types into the guided application, section by section (rows as remplir_grille takes them)."""

    groupes: list[list]
    intervenants: list[list]
    responsable: str
    courriel_responsable: str
    parents: str
    primo_arrivants: str
    reinscrits: str
    autres_frais: str | None = None
    budget_attendu: str | None = None  # the computed line section 6 must show (« 140 h × 29,54 € = 4 135,60 € »)


def remplir_et_deposer(page, c: Candidature, capture: Callable[[object, str], None] = lambda page, nom: None) -> None:
    """Create the dossier from the application's page, fill every section in the order a head does (groups first, a
    draft saved, then back to the first sections), and file it; `capture(page, nom)` after the groups and once filed."""
    from playwright.sync_api import expect

    page.get_by_role("link", name="Dossier de candidature").click()
    page.get_by_role("button", name="Créer le dossier de candidature").click(timeout=30000)
    ouvrir_section(page, "3. Groupes")
    remplir_grille(page, 0, c.groupes)
    capture(page, "groupes")
    continuer(page, "4. Intervenants")
    remplir_grille(page, 0, c.intervenants)
    continuer(page, "5. Programme sur les trois axes")
    page.get_by_label("Programme — axe langue française", exact=True).fill("Oral du quotidien ; lire le cahier de liaison.")
    page.get_by_label("Programme — axe fonctionnement de l'École", exact=True).fill("Rencontres parents-professeurs, ENT.")
    page.get_by_label("Programme — axe valeurs de la République", exact=True).fill("Laïcité, égalité ; visite de la mairie.")
    continuer(page, "6. Budget")
    if c.budget_attendu:
        expect(page.get_by_text(c.budget_attendu)).to_be_visible()
    if c.autres_frais:
        page.get_by_label("Autres frais (supports pédagogiques)", exact=True).fill(c.autres_frais)
    continuer(page, "7. Engagements et dépôt")
    page.get_by_text("Action inscrite au projet d'école / d'établissement").click()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible(timeout=30000)
    ouvrir_section(page, "1. Établissement et contacts")
    page.get_by_label("Nom du responsable", exact=True).fill(c.responsable)
    page.get_by_label("Fonction du responsable", exact=True).click()
    page.get_by_role("option", name="Directeur / directrice d'école").click()
    page.get_by_label("Courriel du responsable", exact=True).fill(c.courriel_responsable)
    continuer(page, "2. Contexte et public")
    page.get_by_label("Nombre de parents prévus", exact=True).fill(c.parents)
    page.get_by_label("Dont primo-arrivants", exact=True).fill(c.primo_arrivants)
    page.get_by_label("Dont réinscrits d'une session précédente", exact=True).fill(c.reinscrits)
    continuer(page, "3. Groupes")
    ouvrir_section(page, "7. Engagements et dépôt")
    bouton = page.get_by_role("button", name="Déposer le dossier", disabled=False)
    expect(bouton).to_have_count(1, timeout=30000)  # the rerun of the section change is over
    bouton.click()
    expect(page.get_by_text("Le dossier est déposé")).to_be_visible(timeout=60000)
    sans_traceback(page)
    capture(page, "depose")


def televerseur(page, libelle: str):
    """The file input of the uploader labelled `libelle` (a page may hold several: the séances page has one per letter)."""
    return (page.locator("[data-testid='stFileUploader']").filter(has=page.get_by_text(libelle, exact=True))
            .locator("[data-testid='stFileUploaderDropzoneInput']"))


def cocher_la_premiere_ligne(page, texte_attendu: str) -> None:
    """Tick the first row of the page's selectable grid (the newest document), until `texte_attendu` shows (again if
    the grid was redrawing under the click)."""
    from playwright.sync_api import expect

    for essai in range(3):
        attendre(page)
        boite = boite_grille(page)
        page.mouse.click(boite["x"] + 16, boite["y"] + ENTETE_GRILLE + LIGNE_GRILLE // 2)
        try:
            expect(page.get_by_text(texte_attendu)).to_be_visible(timeout=15000)
            return
        except AssertionError:
            if essai == 2:
                raise


def telecharger(page, bouton, essais: int = 3, delai_ms: int = 30000):
    """Click a download button until the browser receives the file: a click that lands while a rerun redraws the
    button (a filter just typed, the grid just selected) reaches a button that is no longer there."""
    from playwright.sync_api import TimeoutError as DelaiDepasse

    for essai in range(essais):
        attendre(page)
        try:
            with page.expect_download(timeout=delai_ms) as telechargement:
                bouton.click()
            return telechargement.value
        except DelaiDepasse:
            if essai == essais - 1:
                raise
