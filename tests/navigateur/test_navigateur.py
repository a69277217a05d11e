"""The app in headless Chromium, as people use it: each demo account logs in and sees its own
navigation (screenshots in tests/artefacts/), the guided application keeps what was typed, documents download."""

import shutil

import pytest

from tests.conftest import JOUR_DEMO
from tests.support.chromium import ARTEFACTS, attendre, connecter, continuer, liens_du_menu, ouvrir_section, serveur_demo, texte_docx

pytestmark = pytest.mark.navigateur


@pytest.fixture(scope="module")
def serveur(tmp_path_factory):
    donnees = tmp_path_factory.mktemp("app")
    with serveur_demo(donnees) as url:
        yield url, donnees


COMMUNS = {"Tableau de bord", "Circuit du dossier", "Carte des ateliers"}
SUIVI = {"Dossiers", "Documents produits"}
CLOTURE = {"Bilans de fin d'année", "Indicateurs"}
COURRIELS = {"Mes courriels"}  # whoever a transition e-mail may concern chooses how to receive them
PROFIL = {"Profil de l'académie"}
SIGNATURE = {"Signature et cachet"}  # the signatories' (a head, a DASEN, the pilote, the DAEPS office) and the admin's
PORTEUR = COMMUNS | SUIVI | COURRIELS | SIGNATURE | {"Boîte d'envoi", "Bilans de fin d'année", "Service fait et paie", "Vivier du CASNAV",
                                         "Intervenants",
                             "Dossier de candidature", "Séances et émargement", "Parents et attestations"}
GESTIONNAIRE = COMMUNS | SUIVI | COURRIELS | {"Bilans de fin d'année", "Service fait et paie", "Intervenants", "Taux de vacation"}
COMPTES = {
    "directrice.tilleuls@ac-toulouse.fr": PORTEUR | {"Équipe"},
    "enseignante.tilleuls@ac-toulouse.fr": PORTEUR | {"Équipe"},  # the page tells the delegate that the head builds the team
    "intervenante@ac-toulouse.fr": COMMUNS | SUIVI | COURRIELS | {"Séances et émargement", "Parents et attestations"},
    "gestionnaire.gouges@ac-toulouse.fr": GESTIONNAIRE,
    "gestionnaire.jaures@ac-toulouse.fr": GESTIONNAIRE,
    "paie.dsden31@ac-toulouse.fr": GESTIONNAIRE,
    "dsden31@ac-toulouse.fr": COMMUNS | SUIVI | CLOTURE | COURRIELS | SIGNATURE | {"Boîte d'envoi", "Exports", "Intervenants", "Avis du DASEN",
                                                                    "Attestations en lot"},
    "daeps@ac-toulouse.fr": COMMUNS | SUIVI | CLOTURE | COURRIELS | PROFIL | SIGNATURE | {"Boîte d'envoi", "Exports", "Attestations en lot",
                                                                           "Relecture des documents", "Campagne et appel à projets",
                                                                           "Taux de vacation", "Modèles de documents"},
    "comite@ac-toulouse.fr": COMMUNS | SUIVI | CLOTURE | PROFIL | {"Comité de pilotage", "Campagne et appel à projets"},
    "casnav@ac-toulouse.fr": COMMUNS | SUIVI | CLOTURE | PROFIL | {"Vivier du CASNAV", "Campagne et appel à projets"},
    "pilote@ac-toulouse.fr": COMMUNS | SUIVI | CLOTURE | COURRIELS | PROFIL | SIGNATURE | {"Boîte d'envoi", "Exports", "Comité de pilotage",
                                                                            "Relecture des documents", "Campagne et appel à projets",
                                                                            "Taux de vacation"},
    "interieur@occitanie.gouv.fr": COMMUNS | {"Exports"},
    "admin@ac-toulouse.fr": COMMUNS | SUIVI | CLOTURE | PROFIL | SIGNATURE | {"Boîte d'envoi", "Campagne et appel à projets", "Taux de vacation",
                                                                              "Comptes",
                                                                  "Modèles de documents"},
}


@pytest.mark.parametrize("identifiant", list(COMPTES))
def test_chaque_compte_voit_sa_navigation(serveur, navigateur, identifiant):
    url, _ = serveur
    page = connecter(navigateur, url, identifiant)
    assert liens_du_menu(page) == COMPTES[identifiant]
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTEFACTS / f"navigation-{identifiant.split('@')[0]}.png", full_page=True)
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("button", name="Se connecter").wait_for(timeout=30000)
    page.close()


def test_candidature_guidee_dans_le_navigateur(serveur, navigateur):
    """Section 1 is saved and the next section opens; filing the incomplete draft is refused in French,
    and what was typed is still there."""
    from playwright.sync_api import expect

    url, _ = serveur
    page = connecter(navigateur, url, "directrice.tilleuls@ac-toulouse.fr")
    page.get_by_role("link", name="Dossier de candidature").click()
    attendre(page)
    expect(page.get_by_text("1. Établissement et contacts").first).to_be_visible(timeout=30000)
    page.get_by_label("Nom du responsable", exact=True).fill("Claire Martin & Fils <SARL>")
    page.get_by_label("Courriel du responsable", exact=True).fill("direction.tilleuls@ac-toulouse.fr")
    continuer(page, "2. Contexte et public")
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    page.get_by_label("Nombre de parents prévus", exact=True).fill("28")
    continuer(page, "3. Groupes")
    ouvrir_section(page, "7. Engagements et dépôt")
    page.get_by_role("button", name="Déposer le dossier").click()
    attendre(page)
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_be_visible(timeout=30000)
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTEFACTS / "candidature-erreurs.png", full_page=True)
    ouvrir_section(page, "1. Établissement et contacts")
    expect(page.get_by_label("Nom du responsable", exact=True)).to_have_value("Claire Martin & Fils <SARL>", timeout=30000)
    page.screenshot(path=ARTEFACTS / "candidature-section1.png", full_page=True)
    page.close()


def test_document_telecharge_est_un_docx_valide(serveur, navigateur):
    url, _ = serveur
    page = connecter(navigateur, url, "principal.jaures@ac-toulouse.fr")
    page.get_by_role("link", name="Documents produits").click()
    attendre(page)
    bouton = page.get_by_role("button", name="Télécharger").first
    bouton.wait_for(timeout=30000)
    with page.expect_download() as telechargement:
        bouton.click()
    chemin = ARTEFACTS / telechargement.value.suggested_filename
    ARTEFACTS.mkdir(exist_ok=True)
    telechargement.value.save_as(chemin)
    texte = texte_docx(chemin)
    assert "Académie de Toulouse" in texte and "APPEL À PROJETS OEPRE" in texte
    page.screenshot(path=ARTEFACTS / "documents-porteur81.png", full_page=True)
    page.close()
    shutil.rmtree(ARTEFACTS / "tmp", ignore_errors=True)


@pytest.fixture(scope="module")
def serveur_renouvellement(tmp_path_factory):
    """The demo plus last year's dossier of the Tilleuls (tests/support/semis_renouvellement.py), to take over."""
    donnees = tmp_path_factory.mktemp("renouvellement")
    # On the tests' day: the demo is 2025-2026 (it follows today's school year) and the dates typed below are its own.
    with serveur_demo(donnees, date_du_jour=JOUR_DEMO.isoformat(), semis="tests.support.semis_renouvellement") as url:
        yield url, donnees


def _groupes_du_brouillon(donnees) -> list[dict]:
    import json
    import sqlite3

    from demarrage.demo import ECOLE_PORTEUR

    with sqlite3.connect(donnees / "oepre.sqlite") as base:
        (formulaire,) = base.execute("SELECT formulaire FROM dossier WHERE uai = ? AND etat = 'brouillon'", (ECOLE_PORTEUR,)).fetchone()
    return (json.loads(formulaire) if isinstance(formulaire, str) else formulaire).get("groupes", [])


def _sans_exception(page) -> None:
    from playwright.sync_api import expect

    attendre(page)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    expect(page.get_by_text("StreamlitAPIException")).to_have_count(0)


def test_groupes_rouverts_corriges_puis_renouvellement(serveur_renouvellement, navigateur):
    """Issue 13: the head fills « Groupes », saves, comes back (« Précédent », the radio), corrects a group and saves
    again: the values are kept; then last year's dossier is taken over and « Groupes » opens, no traceback anywhere."""
    from playwright.sync_api import expect

    from tests.support.chromium import remplir_grille, saisir_cellule

    url, donnees = serveur_renouvellement
    ARTEFACTS.mkdir(exist_ok=True)
    page = connecter(navigateur, url, "directrice.tilleuls@ac-toulouse.fr")
    page.get_by_role("link", name="Dossier de candidature").click()
    attendre(page)
    ouvrir_section(page, "3. Groupes")
    remplir_grille(page, 0, [["Groupe A — débutants", None, "14", "60,5", ("date", "2025-11-17"), ("date", "2026-06-19"),
                              "mardi 14:00-16:00", "Salle polyvalente"]])
    continuer(page, "4. Intervenants")
    saisi = {"libelle": "Groupe A — débutants", "niveau": "heterogene", "effectif_prevu": 14, "heures_prevues": "60.5",
             "date_debut": "2025-11-17", "date_fin": "2026-06-19", "lieu": "Salle polyvalente",
             "creneaux": [{"jour": "mardi", "debut": "14:00", "fin": "16:00"}]}
    assert _groupes_du_brouillon(donnees) == [saisi]

    page.get_by_role("button", name="Précédent").click()
    expect(page.get_by_role("heading", name="3. Groupes")).to_be_visible(timeout=30000)
    _sans_exception(page)
    page.screenshot(path=ARTEFACTS / "groupes-precedent.png", full_page=True)
    ouvrir_section(page, "4. Intervenants")
    ouvrir_section(page, "3. Groupes")
    _sans_exception(page)
    page.screenshot(path=ARTEFACTS / "groupes-radio.png", full_page=True)

    # « Effectif prévu » of the first group: its first cell (past the row markers of a dynamic grid), two Tabs, Enter
    saisir_cellule(page, 0, 0, 2, "12", premiere_cellule=70)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    # the grid's accessible table holds the edited cell before the save is clicked (slow under load)
    expect(page.locator("[data-testid='stDataFrame']").first.get_by_text("12", exact=True)).to_have_count(1, timeout=10000)
    # saved once the next section opens (« Brouillon enregistré. » may still be the message of the save by « Précédent »)
    continuer(page, "4. Intervenants")
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible(timeout=30000)
    _sans_exception(page)
    assert _groupes_du_brouillon(donnees) == [saisi | {"effectif_prevu": 12}]
    ouvrir_section(page, "3. Groupes")
    _sans_exception(page)
    page.screenshot(path=ARTEFACTS / "groupes-corriges.png", full_page=True)

    page.get_by_role("button", name="Reprendre le dossier de l'an dernier (renouvellement)").click()
    expect(page.get_by_text("Le dossier de l'an dernier a été repris")).to_be_visible(timeout=30000)
    ouvrir_section(page, "3. Groupes")
    _sans_exception(page)
    expect(page.get_by_text("n'a pas pu être reprise")).to_have_count(0)
    page.screenshot(path=ARTEFACTS / "groupes-renouvellement.png", full_page=True)
    repris = _groupes_du_brouillon(donnees)
    assert [(g["libelle"], g["date_debut"], g["effectif_prevu"]) for g in repris] == [
        ("Groupe A — débutants", "2025-11-17", 14), ("Groupe B — intermédiaires", "2025-11-20", 13)]
    ouvrir_section(page, "6. Budget")
    _sans_exception(page)
    page.close()
