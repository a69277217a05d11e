"""Issue 3's whole path in headless Chromium, as the people concerned would click it, on one served app:
the pilote opens the 2026-2027 campaign, the head of the Tilleuls school fills the guided application
with two groups typed into the grid and files it, the DSDEN gives its opinion, the pilote records the
committee's decision in the agenda grid, and the DAEPS downloads the files; the DOCX figures are then
checked against what was typed."""

import io
import zipfile

import pytest

from documents.archive import nom_lisible
from documents.catalogue import libelle_document
from tests.support.chromium import (
    ARTEFACTS,
    Candidature,
    attendre,
    cocher_la_premiere_ligne,
    connecter,
    editer_cellule,
    remplir_et_deposer,
    saisir_cellule,
    saisir_date,
    serveur_demo,
    texte_docx,
)

pytestmark = pytest.mark.navigateur
JOUR = "2026-09-15"  # between the opening of the call and the filing deadline typed below
UAI_TILLEULS = "0319101Z"


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    # The 2025-2026 demo (seeded in its school year: the demo follows its seeding day), served on the rollover day.
    with serveur_demo(tmp_path_factory.mktemp("parcours"), date_du_jour=JOUR, date_du_semis="2026-06-30") as adresse:
        yield adresse


def _capture(page, nom: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTEFACTS / f"parcours-{nom}.png", full_page=True)


def _le_pilote_ouvre_la_campagne(navigateur, url) -> None:
    from playwright.sync_api import expect

    page = connecter(navigateur, url, "pilote@ac-toulouse.fr")
    page.get_by_role("link", name="Campagne et appel à projets").click()
    attendre(page)
    # The next campaign's form comes pre-filled from 2025-2026, every date one year on: the pilote adjusts one.
    page.get_by_text("Ouvrir la campagne suivante").click()
    expect(page.get_by_label("Année scolaire", exact=True)).to_have_value("2026-2027")
    saisir_date(page, "Comité de pilotage", "04/11/2026")
    page.get_by_label("Enveloppe programme 104 (Intérieur)", exact=True).fill("150 000")
    page.get_by_label("Enveloppe Éducation nationale", exact=True).fill("75 000,00")
    page.get_by_role("button", name="Ouvrir la campagne et produire l'appel à projets").click()
    expect(page.get_by_role("heading", name="Campagne 2026-2027")).to_be_visible(timeout=60000)
    expect(page.get_by_text("Enveloppe P104 : 150 000,00 € ; Éducation nationale : 75 000,00 €")).to_be_visible()
    _capture(page, "1-campagne")
    page.close()


def _le_porteur_remplit_et_depose(navigateur, url) -> None:

    page = connecter(navigateur, url, "directrice.tilleuls@ac-toulouse.fr")
    remplir_et_deposer(page, Candidature(
        groupes=[["Groupe A — débutants", None, "14", "80", ("date", "2026-11-17"), ("date", "2027-06-15"), "mardi 14:00-16:00",
                  "Salle polyvalente"],
                 ["Groupe B — intermédiaires", ("choix", "A2"), "13", "60", ("date", "2026-11-19"), ("date", "2027-06-17"),
                  "jeudi 9h-11h", "BCD"]],
        intervenants=[["ÁLVAREZ", "Sofia", ("choix", "Enseignant UPE2A"), None, "80", ("case",), "A"],
                      ["DUBOIS", "Marc", ("choix", "Professeur d'histoire"), None, "60", None, "B"]],
        responsable="Claire Martin", courriel_responsable="direction.tilleuls@ac-toulouse.fr", parents="28", primo_arrivants="18",
        reinscrits="6", autres_frais="150,50", budget_attendu="140 h × 29,54 € = 4 135,60 €",  # computed from the groups typed
    ), capture=lambda page, nom: _capture(page, {"groupes": "2-groupes", "depose": "3-depose"}[nom]))
    page.close()


def _la_dsden_donne_son_avis(navigateur, url) -> None:
    from playwright.sync_api import expect

    page = connecter(navigateur, url, "dsden31@ac-toulouse.fr")
    page.get_by_role("link", name="Avis du DASEN").click()
    expect(page.get_by_text("Heures demandées")).to_be_visible(timeout=30000)
    page.get_by_label("Avis", exact=True).click()
    page.get_by_role("option", name="Favorable avec réserves").click()
    page.get_by_label("Motivation", exact=True).fill("Projet solide ; vérifier la salle du jeudi.")
    page.get_by_label("Rang dans le département", exact=True).fill("1")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.get_by_text("Aucun dossier déposé n'attend votre avis.")).to_be_visible(timeout=60000)
    page.close()


def _le_comite_decide(navigateur, url) -> None:
    from playwright.sync_api import expect

    page = connecter(navigateur, url, "pilote@ac-toulouse.fr")
    page.get_by_role("link", name="Comité de pilotage").click()
    expect(page.get_by_text("Ordre du jour (1 dossier(s))")).to_be_visible(timeout=30000)

    def apres_edition():  # each edit of this grid (outside a form) reruns the page for the live envelopes
        page.wait_for_timeout(600)
        attendre(page)

    editer_cellule(page, 0, 0, 14, retour=18)  # the « Décision » column of the first row (of 19)
    page.keyboard.type("Retenu")
    page.keyboard.press("Tab")
    apres_edition()
    # Hours financed left as asked; each amount typed in its own cell, opened again after the rerun of the edit
    # before it (the rerun redraws the grid: under load, the keyboard's place in it was lost), with what is left live.
    for colonne, somme, reste in ((16, "3 000", "147 000,00 €"), (17, "1 286,10", "73 713,90 €")):  # P104, then EN
        saisir_cellule(page, 0, 0, colonne, somme, retour=18)
        page.keyboard.press("Tab")
        apres_edition()
        expect(page.get_by_text(reste)).to_be_visible(timeout=30000)
    _capture(page, "4-comite")
    page.get_by_role("button", name="Enregistrer les décisions saisies").click()
    expect(page.get_by_text("Aucun dossier n'attend de décision.")).to_be_visible(timeout=60000)
    expect(page.get_by_text("décision « Retenu » enregistrée, notification produite")).to_be_visible()
    page.close()


def _la_daeps_telecharge(navigateur, url) -> tuple[bytes, str]:
    from playwright.sync_api import expect

    page = connecter(navigateur, url, "daeps@ac-toulouse.fr")
    page.get_by_role("link", name="Relecture des documents").click()
    attendre(page)
    page.get_by_label("Établissement (UAI)", exact=True).fill(UAI_TILLEULS)
    page.keyboard.press("Enter")
    bouton_zip = page.get_by_role("button", name="Télécharger en ZIP (9 document(s))")
    expect(bouton_zip).to_be_visible(timeout=30000)
    with page.expect_download() as telechargement:
        bouton_zip.click()
    archive = telechargement.value.path().read_bytes()
    cocher_la_premiere_ligne(page, "notification_decision-v1.pdf")  # the notification in PDF
    expect(page.locator("[data-testid='stImage'] img")).to_be_visible(timeout=30000)  # its first page, previewed
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Télécharger", exact=True).click()
    nom = telechargement.value.suggested_filename
    _capture(page, "5-relecture")
    page.close()
    return archive, nom


def test_de_l_appel_a_projets_a_la_notification(navigateur, url):
    _le_pilote_ouvre_la_campagne(navigateur, url)
    _le_porteur_remplit_et_depose(navigateur, url)
    _la_dsden_donne_son_avis(navigateur, url)
    _le_comite_decide(navigateur, url)
    archive, telecharge = _la_daeps_telecharge(navigateur, url)
    assert telecharge == "notification_decision-v1.pdf"

    fichiers = zipfile.ZipFile(io.BytesIO(archive))
    noms = {n.rsplit("/", 1)[-1] for n in fichiers.namelist()}

    def nom(type_document: str, version: str) -> str:  # as the archive names a file: from its type's label (documents.archive)
        return f"{nom_lisible(libelle_document(type_document))} - {version}"

    assert {nom("dossier_candidature", "v1.docx"), nom("dossier_candidature", "v2.pdf"), nom("avis_dasen", "v1.docx"),
            nom("notification_decision", "v1.docx"), nom("notification_decision", "v1.pdf")} <= noms, noms

    def docx(type_document: str) -> str:
        (chemin,) = [n for n in fichiers.namelist() if n.endswith(nom(type_document, "v1.docx"))]
        return texte_docx(io.BytesIO(fichiers.read(chemin)))

    dossier = docx("dossier_candidature")
    for attendu in ("Groupe A — débutants | Hétérogène | 14 | 80 | 17/11/2026 – 15/06/2027 | Mardi 14 h 00 – 16 h 00",
                    "Groupe B — intermédiaires | A2 | 13 | 60 | 19/11/2026 – 17/06/2027 | Jeudi 9 h 00 – 11 h 00 | BCD",
                    "Sofia ÁLVAREZ | Enseignant UPE2A | Éducation nationale | oui | 80 | A",
                    "Heures de formation | 140 h", "Taux horaire de vacation | 29,54 €",
                    "Vacations (heures × taux) | 4 135,60 €", "Autres frais | 150,50 €", "Montant demandé | 4 286,10 €",
                    "Responsable | Claire Martin — Directeur / directrice d'école", "Dont primo-arrivants | 18 (64 %)"):
        assert attendu in dossier
    avis = docx("avis_dasen")
    assert "Avis | Favorable avec réserves" in avis and "Motivation | Projet solide ; vérifier la salle du jeudi." in avis
    notification = docx("notification_decision")
    for attendu in ("Décision | Retenu", "Heures financées | 140 h", "Programme 104 (Intérieur) | 3 000,00 €",
                    "Éducation nationale | 1 286,10 €", "Montant total alloué | 4 286,10 €", "UAI 0319101Z"):
        assert attendu in notification
