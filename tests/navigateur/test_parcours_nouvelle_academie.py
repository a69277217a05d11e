"""Issue 16's onboarding in headless Chromium: a new deployment for the académie de Montpellier (no demo: the reference
data only), from nothing but its administrator. The administrator account is opened from the server's console and its
password chosen from the printed link; the administrator saves the académie's profile (90 to 120 h a group, a CASNAV
antenna, a contact), imports the schools from the national directory's CSV and the heads' accounts from a CSV, and
creates the pilote's account. The pilote signs in through the State's identity provider (a real OpenID Connect
provider on loopback) and opens the first campaign, which proposes the profile's rules and the usual calendar; the
head, imported a minute before and who never chose a password, signs in through the provider too and files her
dossier. Screenshots: tests/artefacts/academie-*.png."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from forms.base import lettre_cle_uai
from tests.conftest import RACINE
from tests.support.chromium import (
    ARTEFACTS,
    ENTETE_GRILLE,
    LIGNE_GRILLE,
    Candidature,
    attendre,
    boite_grille,
    port_libre,
    remplir_et_deposer,
    remplir_grille,
    retaper_les_cellules_perdues,
    saisir_cellule,
    sans_traceback,
    serveur_demo,
)
from tests.support.oidc import fournisseur_oidc, reglages_oidc

pytestmark = pytest.mark.navigateur

JOUR = "2026-09-15"  # before the usual filing deadline (3 October): the first campaign proposed is 2026-2027's
ADMIN = "admin@ac-montpellier.fr"
PILOTE = "pilote@ac-montpellier.fr"
DIRECTRICE = "directrice.moulin@ac-montpellier.fr"
MOT_DE_PASSE = "Une longue phrase, 2026 !"
ECOLE = "0344401" + lettre_cle_uai("0344401")
COLLEGE = "0300402" + lettre_cle_uai("0300402")
PARIS = "0754403" + lettre_cle_uai("0754403")
ANNUAIRE = ("Identifiant_de_l_etablissement;Nom_etablissement;Type_etablissement;Nom_commune;Code_departement;"
            "Appartenance_Education_Prioritaire;Mail;latitude;longitude\n"
            f"{ECOLE};École élémentaire Jean Moulin;Ecole;Montpellier;034;REP+;ce.{ECOLE.lower()}@ac-montpellier.fr;43.61;3.87\n"
            f"{COLLEGE};Collège Jules Verne;Collège;Nîmes;030;REP;ce.{COLLEGE.lower()}@ac-montpellier.fr;43.83;4.36\n"
            f"{PARIS};Collège de Paris;Collège;Paris;075;;;48.85;2.35\n")
COMPTES = ("identifiant;nom;role;uai\n"
           f"{DIRECTRICE};Inès Roussel, directrice de l'école Jean Moulin;porteur;{ECOLE}\n"
           f"principal.verne@ac-montpellier.fr;Paul Arnaud, principal du collège Jules Verne;porteur;{COLLEGE}\n")


def _capture(page, nom: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTEFACTS / f"academie-{nom}.png", full_page=True)


def _par_le_fournisseur(navigateur, url: str, courriel: str):
    """A new browser signs in through the provider's button; the provider's form takes the e-mail as the subject."""
    from playwright.sync_api import expect

    page = navigateur.new_context(viewport={"width": 1400, "height": 1100}).new_page()
    page.goto(url)
    page.get_by_role("button", name="Se connecter avec ProConnect").click()
    page.locator("input[name=sub]").fill(courriel)
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible(timeout=30000)
    attendre(page)
    sans_traceback(page)
    return page


def _l_administrateur_s_installe(navigateur, url: str, env: dict) -> object:
    from playwright.sync_api import expect

    sortie = subprocess.run([sys.executable, "-m", "demarrage.administrateur", ADMIN, "Administratrice OEPRE"], cwd=RACINE,
                            env=env, check=True, capture_output=True, text=True).stdout
    lien = sortie.strip().splitlines()[-1]
    assert lien.startswith(f"{url}/mot_de_passe?jeton=")
    page = navigateur.new_context(viewport={"width": 1400, "height": 1400}).new_page()
    page.goto(lien)
    expect(page.get_by_text(f"identifiant {ADMIN}", exact=False)).to_be_visible(timeout=30000)
    page.get_by_label("Nouveau mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_label("Confirmez le mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_text(f"Mot de passe enregistré pour {ADMIN}")).to_be_visible(timeout=30000)
    page.goto(url)
    page.get_by_label("Identifiant (adresse électronique)").fill(ADMIN)
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible(timeout=30000)
    attendre(page)
    return page


def _contact(page, rubrique: str, cellules: dict[int, str]) -> None:
    """One row of the contacts grid (the form's second grid): its heading picked in the new row's list cell, then each
    other cell opened by its column and typed (typed in one go after a list cell, the next value was lost)."""
    boite = boite_grille(page, 1)
    page.mouse.click(boite["x"] + 70, boite["y"] + ENTETE_GRILLE + LIGNE_GRILLE // 2)
    page.locator("#portal input").first.wait_for(timeout=5000)
    page.keyboard.type(rubrique)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    for colonne, valeur in cellules.items():
        saisir_cellule(page, 1, 0, colonne, valeur, premiere_cellule=70)
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        page.wait_for_timeout(150)
    retaper_les_cellules_perdues(page, 1, 0, cellules)


def _le_profil(page) -> None:
    from playwright.sync_api import expect

    page.get_by_role("link", name="Profil de l'académie").click()
    expect(page.get_by_role("heading", name="Profil de l'académie")).to_be_visible(timeout=30000)
    expect(page.get_by_text("Ce profil n'a jamais été enregistré")).to_be_visible(timeout=30000)
    page.get_by_label("Heures minimum par groupe", exact=True).fill("90")
    page.get_by_label("Heures maximum par groupe (facultatif)", exact=True).fill("120")
    page.get_by_label("Effectif minimum par groupe", exact=True).fill("10")
    remplir_grille(page, 0, [["34", "CASNAV — antenne de l'Hérault (Montpellier)"]])
    _contact(page, "Coordination du CASNAV", {1: "34", 2: "Coordination CASNAV de l'Hérault", 4: "casnav34@ac-montpellier.fr"})
    page.get_by_role("button", name="Enregistrer le profil").click()
    expect(page.get_by_text("Profil de l'académie enregistré", exact=False)).to_be_visible(timeout=30000)
    expect(page.get_by_text("au moins 90 h, 120 h au plus", exact=False)).to_be_visible(timeout=30000)
    page.wait_for_timeout(1000)  # the contacts' table drawn
    sans_traceback(page)
    _capture(page, "1-profil")


def _les_ecoles_et_les_comptes(page, tmp_path) -> None:
    from playwright.sync_api import expect

    (tmp_path / "annuaire.csv").write_text(ANNUAIRE, encoding="utf-8")
    (tmp_path / "comptes.csv").write_text(COMPTES, encoding="utf-8")
    page.get_by_role("link", name="Carte des ateliers").click()
    attendre(page)
    page.get_by_text("Importer l'annuaire de l'éducation (CSV)").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(tmp_path / "annuaire.csv"))
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_text("3 ligne(s) lues : 0 établissement(s) mis à jour, 2 ajouté(s), 1 ignoré(s)")).to_be_visible(timeout=30000)
    sans_traceback(page)
    _capture(page, "2-annuaire")

    page.get_by_role("link", name="Comptes").click()
    expect(page.get_by_role("heading", name="Comptes")).to_be_visible(timeout=30000)
    attendre(page)
    page.get_by_role("tab", name="Importer (CSV)").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(tmp_path / "comptes.csv"))
    page.get_by_role("button", name="Importer les comptes").click()
    expect(page.get_by_text("2 compte(s) créé(s)", exact=False)).to_be_visible(timeout=30000)
    attendre(page)
    page.get_by_role("tab", name="Créer un compte").click()
    page.get_by_label("Adresse électronique", exact=True).first.fill(PILOTE)
    page.get_by_label("Nom", exact=True).first.fill("Conseillère technique EVS (Montpellier)")
    page.get_by_label("Rôle", exact=True).nth(1).click()  # the filter's « Rôle » comes first
    page.get_by_role("option", name="Pilote académique (CT-EVS)").click()
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_text(f"Compte {PILOTE} créé", exact=False)).to_be_visible(timeout=30000)
    attendre(page)
    page.wait_for_timeout(1000)
    sans_traceback(page)
    _capture(page, "3-comptes")


def _le_pilote_ouvre_la_premiere_campagne(navigateur, url: str) -> None:
    from playwright.sync_api import expect

    page = _par_le_fournisseur(navigateur, url, PILOTE)
    page.get_by_role("link", name="Campagne et appel à projets").click()
    expect(page.get_by_role("heading", name="Campagne et appel à projets")).to_be_visible(timeout=30000)
    expect(page.get_by_label("Année scolaire", exact=True)).to_have_value("2026-2027", timeout=30000)
    expect(page.get_by_label("Heures minimum par groupe", exact=True)).to_have_value("90,00")
    expect(page.get_by_label("Heures maximum par groupe", exact=True)).to_have_value("120,00")
    page.get_by_label("Enveloppe programme 104 (Intérieur)", exact=True).fill("80 000")
    page.get_by_label("Enveloppe Éducation nationale", exact=True).fill("40 000")
    page.get_by_role("button", name="Ouvrir la campagne et produire l'appel à projets").click()
    expect(page.get_by_role("heading", name="Campagne 2026-2027")).to_be_visible(timeout=60000)
    expect(page.get_by_text("Heures par groupe : 90 à 120 h", exact=False)).to_be_visible()
    sans_traceback(page)
    _capture(page, "4-campagne")
    page.context.close()


def _la_directrice_depose(navigateur, url: str) -> None:

    page = _par_le_fournisseur(navigateur, url, DIRECTRICE)
    remplir_et_deposer(page, Candidature(
        groupes=[["Groupe A — débutants", None, "12", "100", ("date", "2026-11-17"), ("date", "2027-06-15"), "mardi 14:00-16:00",
                  "Salle polyvalente"]],
        intervenants=[["MARTIN", "Élise", ("choix", "Enseignant UPE2A"), None, "100", ("case",), "A"]],
        responsable="Inès Roussel", courriel_responsable="direction.moulin@ac-montpellier.fr", parents="12", primo_arrivants="8",
        reinscrits="0"))
    _capture(page, "5-depose")
    page.context.close()


def test_une_academie_demarre_de_son_seul_administrateur(navigateur, tmp_path):
    donnees = tmp_path / "donnees"
    donnees.mkdir()
    with fournisseur_oidc() as fournisseur:
        port = port_libre()
        url = f"http://127.0.0.1:{port}"
        reglages = reglages_oidc(fournisseur, url, academie="montpellier")
        with serveur_demo(donnees, date_du_jour=JOUR, reglages=reglages, port=port, demo=False):
            env = os.environ | reglages | {"OEPRE_DATABASE_URL": f"sqlite:///{donnees / 'oepre.sqlite'}",
                                           "OEPRE_DATA_DIR": str(donnees), "OEPRE_DATE_DU_JOUR": JOUR}
            page = _l_administrateur_s_installe(navigateur, url, env)
            _le_profil(page)
            _les_ecoles_et_les_comptes(page, tmp_path)
            page.context.close()
            _le_pilote_ouvre_la_premiere_campagne(navigateur, url)
            _la_directrice_depose(navigateur, url)

    with sqlite3.connect(donnees / "oepre.sqlite") as base:
        assert base.execute("select academie_code, annee_scolaire, heures_min_par_groupe from campagne").fetchall() == [
            ("montpellier", "2026-2027", 90)]
        assert base.execute("select d.uai, d.etat from dossier d").fetchall() == [(ECOLE, "depose")]
        comptes = dict(base.execute("select identifiant, academie_code from utilisateur").fetchall())
        assert set(comptes) == {ADMIN, PILOTE, DIRECTRICE, "principal.verne@ac-montpellier.fr"}
        assert set(comptes.values()) == {"montpellier"}
        # The head never chose a password: the provider signed her in, mapped to the account imported for her.
        assert base.execute("select mot_de_passe_hash from utilisateur where identifiant = ?", (DIRECTRICE,)).fetchone() == ("!",)
        assert base.execute("select count(*) from etablissement where uai = ?", (PARIS,)).fetchone() == (0,)
        ((contacts, antennes),) = base.execute("select contacts, antennes_casnav from profilacademie").fetchall()
        assert [(c["rubrique"], c["departement"], c["nom"], c["courriel"]) for c in json.loads(contacts)] == [
            ("casnav", "34", "Coordination CASNAV de l'Hérault", "casnav34@ac-montpellier.fr")]
        assert json.loads(antennes) == [{"departement": "34", "antenne": "CASNAV — antenne de l'Hérault (Montpellier)"}]
