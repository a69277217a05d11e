"""Every page through Streamlit's AppTest, logged in as the roles that may use it, against the demo data."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from db.models import Avis, Dossier, JournalAudit
from demarrage.demo import COLLEGE_DU_TARN, ECOLE_PORTEUR, MOT_DE_PASSE_DEMO, candidature_demo
from forms.vocabulaire import Etat, Role
from tests.support.appli import APP, bouton, cliquer_depuis_la_page_d_avant, ouvrir_application, textes_de
from tests.support.fabrique import GROUPE, INTERVENANT, dossier_en_etat, executeur
from workflow import services
from workflow.navigation import PAGES, PAGES_PUBLIQUES, pages_du_role
from workflow.selection import candidature


@pytest.fixture
def app_demo(demo, acteurs):
    """An AppTest factory: app_demo("pilote") is the app logged in as that demo account."""

    def ouvrir(nom: str | None = None) -> AppTest:
        return ouvrir_application(acteurs[nom] if nom else None)

    return ouvrir


def test_connexion_reussie(app_demo):
    at = app_demo()
    at.text_input(key="connexion_identifiant").input("pilote@ac-toulouse.fr")
    at.text_input(key="connexion_mot_de_passe").input(MOT_DE_PASSE_DEMO)
    bouton(at, "Se connecter").click().run()
    assert at.session_state["acteur"].role == Role.PILOTE
    at.switch_page("pages/accueil.py").run()  # AppTest stays on the login script after its st.rerun()
    assert "Tableau de bord" in textes_de(at)  # logout is exercised in the browser test


def test_connexion_refusee(app_demo):
    at = app_demo()
    at.text_input(key="connexion_identifiant").input("pilote@ac-toulouse.fr")
    at.text_input(key="connexion_mot_de_passe").input("mauvais")
    bouton(at, "Se connecter").click().run()
    assert [e.value for e in at.error] == ["Identifiant ou mot de passe incorrect."]
    assert "acteur" not in at.session_state


def test_session_expiree(demo, acteurs):
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["acteur"] = acteurs["pilote"]
    at.session_state["derniere_activite"] = datetime.now(UTC) - timedelta(minutes=31)
    at.run()
    assert "acteur" not in at.session_state
    assert "session a expiré" in textes_de(at)


ROLES_DEMO = {Role.PORTEUR: "porteur", Role.INTERVENANT: "intervenant", Role.GESTIONNAIRE: "gestionnaire",
              Role.DSDEN: "dsden31", Role.DAEPS: "daeps", Role.COMITE: "comite", Role.CASNAV: "casnav",
              Role.PILOTE: "pilote", Role.INTERIEUR: "interieur", Role.ADMIN: "admin"}


# On PostgreSQL: the same pages on SQLite are opened by the two sweeps below (a filled year, and the real date).
@pytest.mark.parametrize("database_url", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True)
@pytest.mark.parametrize(("role", "fichier"), [(r, p.fichier) for r in Role for p in pages_du_role(r)],
                         ids=lambda x: x.value if isinstance(x, Role) else Path(x).stem)
def test_chaque_page_s_affiche_pour_chaque_role_autorise(app_demo, role, fichier):
    at = app_demo(ROLES_DEMO[role])
    at.switch_page(fichier).run()
    assert not at.exception, at.exception
    assert at.title, "la page doit avoir un titre"
    assert _cellules_suspectes(at) == []


def _cellules_lues(tableau) -> list:
    """A table's cells as a person reads them: a list column of an editable grid shows each value's label (its
    column configuration's options), and an empty cell there is a cell to fill in, not a missing value."""
    import json

    if not tableau.proto.editing_mode:
        return [v for ligne in tableau.value.astype(object).itertuples(index=False) for v in ligne]
    config = json.loads(tableau.proto.columns or "{}")
    libelles = {nom: {o["value"]: o["label"] for o in c["type_config"]["options"]}
                for nom, c in config.items() if c.get("type_config", {}).get("type") == "selectbox"}
    return [libelles.get(nom, {}).get(v, v) for nom, colonne in tableau.value.astype(object).items() for v in colonne
            if v is not None and v == v]  # NaN is the one value unequal to itself


def _cellules_suspectes(at: AppTest) -> list[str]:
    """Internal codes or « None » in the page's tables and figures (issue 13, item 10)."""
    from tests.support.codes_internes import cellules_suspectes

    valeurs = [v for tableau in at.dataframe for v in _cellules_lues(tableau)]
    valeurs += [m.value for m in at.metric]
    return cellules_suspectes(valeurs)


def test_navigation_par_role():
    titres = {r: {p.titre for p in pages_du_role(r)} for r in Role}
    assert titres[Role.INTERIEUR] == {"Tableau de bord", "Circuit du dossier", "Exports", "Carte des ateliers"}
    assert "Dossier de candidature" in titres[Role.PORTEUR] and "Avis du DASEN" not in titres[Role.PORTEUR]
    assert "Avis du DASEN" in titres[Role.DSDEN] and "Comité de pilotage" not in titres[Role.DSDEN]
    assert "Comptes" in titres[Role.ADMIN] and all("Comptes" not in t for r, t in titres.items() if r != Role.ADMIN)
    fichiers = {f"pages/{f.name}" for f in (Path(APP).parent / "pages").glob("[!_]*.py")}
    assert {p.fichier for p in (*PAGES, *PAGES_PUBLIQUES)} == fichiers - {"pages/connexion.py"}


def test_une_page_hors_navigation_est_introuvable(app_demo):
    """A deep link to a page outside one's navigation is not served (and its service refuses anyway)."""
    at = app_demo("porteur")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/comptes.py")


def test_interieur_ne_voit_que_des_agregats(app_demo):
    at = app_demo("interieur")
    textes = textes_de(at)
    assert "Vue agrégée" in textes
    assert "Tilleuls" not in textes and "Jean-Jaurès" not in textes
    assert all("Jaurès" not in str(df.value) for df in at.dataframe)
    # a member of the steering committee: the call for projects (and the procès-verbal, once drawn up) to download
    assert "Documents du comité de pilotage" in textes and "Appel à projets OEPRE" in textes


def test_avis_par_la_page(app_demo, demo, acteurs):
    d = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    services.executer(demo, acteurs["porteur"], "deposer", dossier_id=d.id, version=d.version, donnees=candidature_demo(),
                      pdf_apres=False)
    at = app_demo("dsden31")
    at.switch_page("pages/avis.py").run()
    at.selectbox(key=f"avis_{d.id}_avis").select("defavorable")  # inside st.form: sent on submit
    bouton(at, "Enregistrer l'avis").click().run()  # no motivation: refused, typed values kept
    assert any("Motivation" in e.value for e in at.error)
    assert at.selectbox(key=f"avis_{d.id}_avis").value == "defavorable"
    at.text_area(key=f"avis_{d.id}_motivation").input("Public & <cible> mal défini ; « à revoir ».")
    bouton(at, "Enregistrer l'avis").click().run()
    avis = demo.exec(select(Avis).where(Avis.dossier_id == d.id)).one()
    assert (avis.avis, avis.motivation) == ("defavorable", "Public & <cible> mal défini ; « à revoir ».")


def test_comite_consulte_sans_formulaire(app_demo, demo, acteurs):
    d = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    services.executer(demo, acteurs["porteur"], "deposer", dossier_id=d.id, version=d.version, donnees=candidature_demo(),
                      pdf_apres=False)
    demo.refresh(d)
    services.executer(demo, acteurs["dsden31"], "emettre_avis", dossier_id=d.id, version=d.version,
                      donnees={"avis": "favorable", "signataire": "X"}, pdf_apres=False)
    at = app_demo("comite")
    at.switch_page("pages/decisions.py").run()
    assert "Consultation" in textes_de(at)
    # AppTest runs a page's file by itself when its address is its file's name (pages/_commun/tour.routeur): no sidebar
    assert [b.label for b in at.button if b.label != "Se déconnecter"] == []


def test_brouillon_enregistre_par_la_page(app_demo, demo):
    at = app_demo("porteur")
    at.switch_page("pages/candidature.py").run()
    at.text_input(key="candidature_responsable_nom").input("Claire Martin & Cie")
    bouton(at, "Enregistrer et continuer").click().run()  # moving on to the next section is checked in Chromium
    d = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    demo.refresh(d)
    assert d.formulaire["responsable_nom"] == "Claire Martin & Cie"


def test_parcours_guide_jusqu_au_depot(app_demo, demo, acteurs):
    """A draft complete but for the commitments: the last section files it, the receipt is produced."""
    from db.models import Document

    d = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    donnees = candidature_demo() | {"inscrit_projet_etablissement": False}
    candidature.enregistrer_brouillon(demo, acteurs["porteur"], dossier_id=d.id, version=d.version, donnees=donnees)
    at = app_demo("porteur")
    at.switch_page("pages/candidature.py").run()
    at.radio[0].set_value(6).run()
    assert "7. Engagements et dépôt" in textes_de(at)
    bouton(at, "Déposer le dossier").click().run()
    assert any("projet d'école" in e.value for e in at.error)  # refused: the commitment box is not ticked
    at.checkbox(key="candidature_inscrit_projet_etablissement").check()
    bouton(at, "Déposer le dossier").click().run()
    demo.refresh(d)
    assert d.etat == "depose"
    types = {doc.type_document for doc in demo.exec(select(Document).where(Document.dossier_id == d.id))}
    assert types == {"dossier_candidature", "accuse_reception"}



def test_un_second_clic_sur_une_section_enregistree_n_ecrit_rien(app_demo, demo):
    """The second click of a double click, sent from the form as the browser still showed it: the last section's form is
    the same before and after its save, so the click saves it again, unchanged. Nothing is written (no new version, no
    audit row), the page stays on the section and keeps its confirmation; before, each such click made a new version of
    the draft."""
    at = app_demo("porteur")
    at.switch_page("pages/candidature.py").run()
    at.radio[0].set_value(6).run()
    d = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    enregistrer = bouton(at, "Enregistrer le brouillon")
    enregistrer.click().run()
    demo.refresh(d)
    version, lignes = d.version, len(demo.exec(select(JournalAudit).where(JournalAudit.action == "enregistrer_brouillon")).all())
    assert "Brouillon enregistré." in textes_de(at)
    cliquer_depuis_la_page_d_avant(at, enregistrer)
    demo.refresh(d)
    assert d.version == version
    assert len(demo.exec(select(JournalAudit).where(JournalAudit.action == "enregistrer_brouillon")).all()) == lignes
    assert "7. Engagements et dépôt" in textes_de(at)
    assert "Brouillon enregistré." in textes_de(at)  # the first click's confirmation is not wiped by the second's run


def test_un_second_clic_qui_ne_fait_rien_laisse_la_confirmation_et_la_section(app_demo, demo):
    """Section 1 saved, the page is on section 2: the second click names section 1's form, which is no longer drawn. The
    run it starts saves nothing, stays on section 2 and keeps « Brouillon enregistré. » on the page."""
    at = app_demo("porteur")
    at.switch_page("pages/candidature.py").run()
    continuer = bouton(at, "Enregistrer et continuer")
    continuer.click().run()
    d = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    version = d.version
    assert "2. Contexte et public" in textes_de(at)
    cliquer_depuis_la_page_d_avant(at, continuer)
    demo.refresh(d)
    assert d.version == version
    assert "2. Contexte et public" in textes_de(at) and "Brouillon enregistré." in textes_de(at)


@pytest.mark.parametrize(("p104", "attendu"), [("3 000,00", "retenu"), ("999 999", None)])
def test_decisions_en_lot_et_enveloppe(app_demo, demo, acteurs, p104, attendu):
    from db.models import Decision

    d = dossier_en_etat(demo, Etat.AVIS_DONNE, donnees={"emettre_avis": {"priorite_departementale": 1, "signataire": "X"}}).dossier
    at = app_demo("pilote")
    at.switch_page("pages/decisions.py").run()
    grille = next(k for k in at.session_state if str(k).startswith("comite_decisions_"))  # keyed by the agenda's state
    at.session_state[grille] = {"edited_rows": {0: {"Décision": "retenu", "P104 (€)": p104, "EN (€)": "544,80"}},
                                "added_rows": [], "deleted_rows": []}
    at.run()
    bouton(at, "Enregistrer les décisions saisies").click().run()
    decision = demo.exec(select(Decision).where(Decision.dossier_id == d.id)).first()
    if attendu:
        assert decision.decision == attendu and decision.montant_p104 == Decimal("3000")
    else:
        assert decision is None
        assert any("Enveloppe programme 104 dépassée" in e.value for e in at.error)


def test_relecture_par_la_page(app_demo, demo):
    from db.models import RevueDocument

    at = app_demo("daeps")
    at.switch_page("pages/revue.py").run()
    assert not at.exception
    at.session_state["revue_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    cle = next(k for k in at.session_state if str(k).startswith("revue_commentaire_"))
    at.text_area(key=cle).input("Montant EN à vérifier & corriger.")
    bouton(at, "Renvoyer à l'auteur").click().run()
    (ligne,) = demo.exec(select(RevueDocument)).all()
    assert (ligne.statut, ligne.commentaire) == ("a_corriger", "Montant EN à vérifier & corriger.")


def test_taux_par_la_page(app_demo, demo):
    from workflow.noyau.taux import table_des_taux

    at = app_demo("admin")
    at.switch_page("pages/taux.py").run()
    assert "29,54" in str(at.dataframe[0].value)
    at.date_input(key="taux_nouveau_date_effet").set_value(datetime(2023, 7, 1).date())
    at.text_input(key="taux_nouveau_im100_annuel").input("6 000,00")
    bouton(at, "Ajouter le taux").click().run()  # that date exists: refused, what was typed is kept
    assert any("un taux existe déjà au 01/07/2023" in e.value for e in at.error)
    assert at.text_input(key="taux_nouveau_im100_annuel").value == "6 000,00"
    at.date_input(key="taux_nouveau_date_effet").set_value(datetime(2026, 1, 1).date())
    bouton(at, "Ajouter le taux").click().run()
    demo.expire_all()
    assert table_des_taux(demo)[0].taux == Decimal("30.00")
    lecteur = app_demo("gestionnaire")
    lecteur.switch_page("pages/taux.py").run()
    assert not [b for b in lecteur.button if b.label == "Ajouter le taux"]


def _atelier_81(demo, acteurs, monkeypatch):
    """The Tarn college's retained dossier, Sofia engaged, two parents registered; « today » is 13 January 2026."""
    from infra import settings

    d81 = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    etape = executeur(demo, acteurs["porteur81"], d81)
    etape("engager_intervenant", **INTERVENANT, groupe=GROUPE, date_debut="2025-11-17", date_fin="2026-06-30")
    for nom, prenom in (("Haddad", "Amina"), ("O'Brien-Müller", "Léa")):
        etape("inscrire_parent", nom=nom, prenom=prenom, groupe=GROUPE, date_inscription="2025-11-17",
              enfants=[{"prenom": "Yasmine", "classe": "CE1", "uai_ecole": "0819109L"}])
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-01-13")
    settings.get_settings.cache_clear()
    return d81, etape


def _seance_d_amina(demo, acteurs, monkeypatch, heure_fin: str) -> None:
    """The Tarn atelier (_atelier_81) and its séance of 13 January 2026 from 14:00, led by Sofia, Amina present."""
    _, etape = _atelier_81(demo, acteurs, monkeypatch)
    etape("enregistrer_seance", groupe=GROUPE, date_seance="2026-01-13", heure_debut="14:00", heure_fin=heure_fin,
          axes=["langue"], intervenants=["Sofia ÁLVAREZ"], presences=[{"nom": "Haddad", "prenom": "Amina", "statut": "present"}])


def _page_apres_une_seance(app_demo, demo, acteurs, monkeypatch, heure_fin: str, page: str) -> AppTest:
    """That séance recorded, the page as the Tarn college's head sees it (drawn without an exception)."""
    _seance_d_amina(demo, acteurs, monkeypatch, heure_fin)
    at = app_demo("porteur81")
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_seance_et_presences_par_la_page(app_demo, demo, acteurs, monkeypatch):
    """The Tarn college (retained in the demo) engages Sofia and registers two parents, one of whom left;
    the séance page records a séance: the present parent ticked, the one who left not offered."""
    from db.models import Auditeur, Presence, Seance

    d81, _ = _atelier_81(demo, acteurs, monkeypatch)
    partie = demo.exec(select(Auditeur).where(Auditeur.prenom == "Léa")).one()
    partie.date_sortie = datetime(2025, 12, 1).date()
    demo.add(partie)
    demo.commit()

    at = app_demo("porteur81")
    at.switch_page("pages/seances.py").run()
    assert not at.exception, at.exception
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    cle = f"seance_{d81.id}_Groupe A — débutants"
    assert f"{cle}_presence_{partie.id}" not in [c.key for c in at.checkbox]  # gone on the séance's date: not listed
    assert "1 parent(s) du groupe ne sont pas inscrits à cette date" in textes_de(at)
    at.checkbox(key=f"{cle}_presence_{amina.id}").check()
    at.text_area(key=f"{cle}_contenu").input("Se présenter ; le cahier de liaison.")
    bouton(at, "Enregistrer la séance").click().run()
    assert not at.exception, at.exception
    demo.expire_all()
    (seance,) = demo.exec(select(Seance)).all()
    assert (seance.date_seance.isoformat(), seance.minutes) == ("2026-01-13", 120)
    statuts = {p.auditeur_id: p.statut for p in demo.exec(select(Presence))}
    assert statuts == {amina.id: "present"}


def test_seance_enregistree_une_fois_malgre_deux_clics(app_demo, demo, acteurs, monkeypatch):
    """Issue 13: after saving, the form kept its date and ticks and a second click stored the séance again (paid twice).
    Now the form is cleared after a success and the same séance again is refused with a French message."""
    from db.models import Auditeur, Presence, Seance

    d81, etape = _atelier_81(demo, acteurs, monkeypatch)
    etape("inscrire_parent", nom="Diallo", prenom="Awa", groupe="Groupe A — débutants", date_inscription="2026-01-13",
          enfants=[{"prenom": "Moussa", "classe": "CP", "uai_ecole": "0819109L"}])
    at = app_demo("porteur81")
    at.switch_page("pages/seances.py").run()
    cle = f"seance_{d81.id}_Groupe A — débutants"
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    awa = demo.exec(select(Auditeur).where(Auditeur.prenom == "Awa")).one()
    at.date_input(key=f"{cle}_date").set_value(datetime(2026, 1, 6).date()).run()  # Awa not registered yet that day
    assert f"{cle}_presence_{awa.id}" not in [c.key for c in at.checkbox]
    at.checkbox(key=f"{cle}_presence_{amina.id}").check()
    bouton(at, "Enregistrer la séance").click().run()
    assert not at.exception, at.exception
    assert f"{cle}_contenu" not in [t.key for t in at.text_area]  # a new form under new keys…
    neuf = f"{cle}~1"
    assert at.date_input(key=f"{neuf}_date").value == datetime(2026, 1, 13).date()  # …back to today…
    assert not at.checkbox(key=f"{neuf}_presence_{amina.id}").value  # …no tick left
    at.date_input(key=f"{neuf}_date").set_value(datetime(2026, 1, 6).date()).run()  # the same séance typed again
    bouton(at, "Enregistrer la séance").click().run()
    bouton(at, "Enregistrer la séance").click().run()
    assert not at.exception, at.exception
    assert any("Cette séance est déjà enregistrée" in e.value for e in at.markdown) or \
        "Cette séance est déjà enregistrée" in textes_de(at)
    demo.expire_all()
    (seance,) = demo.exec(select(Seance)).all()
    assert seance.date_seance == datetime(2026, 1, 6).date()
    assert {p.auditeur_id: p.statut for p in demo.exec(select(Presence))}[amina.id] == "present"


def test_attestation_par_la_page(app_demo, demo, acteurs, monkeypatch):
    from db.models import Document

    at = _page_apres_une_seance(app_demo, demo, acteurs, monkeypatch, "15:30", "pages/parents.py")
    assert "1 h 30 / 1 h 30" in str(at.dataframe[0].value) and "Haddad" in str(at.dataframe[0].value)
    # Signatory prefilled from the application (responsable and function); emptied: refused, nothing lost.
    assert at.text_input(key="parents_attestation_signataire").value == "Karim Benali"
    assert at.text_input(key="parents_attestation_fonction").value == "Principal(e)"
    at.text_input(key="parents_attestation_fonction").input("")
    bouton(at, "Produire son attestation").click().run()
    assert any("Fonction du signataire" in e.value for e in at.error)
    at.text_input(key="parents_attestation_fonction").input("Principal")
    bouton(at, "Produire son attestation").click().run()
    assert not at.exception, at.exception
    demo.expire_all()
    assert demo.exec(select(Document).where(Document.type_document == "attestation", Document.format == "docx")).one()
    assert at.text_input(key="parents_attestation_signataire").value == "Karim Benali"


def test_attestations_en_lot_par_les_pages(app_demo, demo, acteurs, monkeypatch):
    """The head produces the atelier's batch; the DAEPS sees counts per département only, then the académie's batch."""
    from db.models import Document
    from tests.conftest import exiger_outil, libreoffice_present

    exiger_outil(libreoffice_present(), "LibreOffice (soffice) absent")
    _, etape = _atelier_81(demo, acteurs, monkeypatch)
    etape("enregistrer_seance", groupe="Groupe A — débutants", date_seance="2026-01-13", heure_debut="14:00",
          heure_fin="16:00", axes=["langue"], intervenants=["Sofia ÁLVAREZ"],
          presences=[{"nom": "Haddad", "prenom": "Amina", "statut": "present"},
                     {"nom": "O'Brien-Müller", "prenom": "Léa", "statut": "present"}])
    at = app_demo("porteur81")
    at.switch_page("pages/parents.py").run()
    bouton(at, "Produire les attestations (2)").click().run()
    assert not at.exception, at.exception
    assert any("2 attestation(s) produite(s)" in m.value for m in at.success)
    demo.expire_all()
    assert {d.format for d in demo.exec(select(Document).where(Document.type_document == "attestations_lot"))} == {"pdf", "zip"}

    daeps = app_demo("daeps")
    daeps.switch_page("pages/attestations.py").run()
    assert not daeps.exception, daeps.exception
    assert daeps.dataframe[0].value.to_dict("records") == [{"Département": "81", "Ateliers": 1, "Attestations": 2}]
    assert "Haddad" not in textes_de(daeps)
    bouton(daeps, "Produire les attestations (2)").click().run()
    assert not daeps.exception, daeps.exception
    assert [b.label for b in daeps.get("download_button")] == ["Télécharger", "Télécharger"]
    assert app_demo("dsden31").switch_page("pages/attestations.py").run().info[0].value.startswith("Aucun parent")


def test_vivier_par_les_pages(app_demo, demo, acteurs):
    """The CASNAV records a candidate; the Tarn college asks for a profile; the CASNAV proposes her; the school
    accepts and the engagement is made."""
    from db.models import Engagement
    from forms.vocabulaire import QualificationVivier
    from workflow.atelier import vivier

    vivier.ajouter_candidat(demo, acteurs["casnav"], {
        "nom": "Diallo", "prenom": "Mariam", "statut": "formateur_greta", "employeur_principal": "prive",
        "qualifications": ["fle"], "departements": ["81"], "disponibilites": "Jeudi matin"})
    ecole = app_demo("porteur81")
    ecole.switch_page("pages/vivier.py").run()
    assert not ecole.exception, ecole.exception
    ecole.text_input(key="vivier_demande_disponibilites").input("Jeudi 9 h – 11 h")
    bouton(ecole, "Envoyer la demande").click().run()  # no qualification chosen: refused, nothing lost
    assert any("Qualification souhaitée" in e.value for e in ecole.error)
    assert ecole.text_input(key="vivier_demande_disponibilites").value == "Jeudi 9 h – 11 h"
    ecole.selectbox(key="vivier_demande_qualification").set_value(QualificationVivier.FLE)
    bouton(ecole, "Envoyer la demande").click().run()
    assert not ecole.exception, ecole.exception
    assert any("Demande envoyée" in m.value for m in ecole.success), textes_de(ecole)

    casnav = app_demo("casnav")
    casnav.switch_page("pages/vivier.py").run()
    assert "Demandes des écoles (1 en attente)" in textes_de(casnav)
    bouton(casnav, "Proposer ce profil").click().run()
    assert any("Profil proposé" in m.value for m in casnav.success)

    ecole.switch_page("pages/vivier.py").run()
    assert "Le CASNAV propose : **Mariam DIALLO**" in textes_de(ecole)
    ecole.text_input(key=[t.key for t in ecole.text_input if t.key.endswith("_heures_prevues")][0]).input("60")
    bouton(ecole, "Accepter et engager").click().run()
    assert not ecole.exception, ecole.exception
    demo.expire_all()
    assert demo.exec(select(Engagement).where(Engagement.heures_prevues == 60)).all(), textes_de(ecole)


def test_service_fait_par_la_page(app_demo, demo, acteurs, monkeypatch):
    """The head sees the month's séances with their pay, certifies them; the lines then wait for the paying service."""
    from db.models import Seance

    at = _page_apres_une_seance(app_demo, demo, acteurs, monkeypatch, "16:00", "pages/paie.py")
    textes = textes_de(at).replace("\u202f", " ").replace("\xa0", " ")
    assert "**Sofia ÁLVAREZ** — 2 h, 59,08 € brut — à certifier" in textes
    assert "1 séance(s) d'intervenant attendent la certification" in textes
    bouton(at, "Certifier le service fait").click().run()
    assert not at.exception, at.exception
    demo.expire_all()
    assert demo.exec(select(Seance)).one().certifiee_par_id == acteurs["porteur81"].id
    textes = textes_de(at).replace("\u202f", " ").replace("\xa0", " ")
    assert "— certifié" in textes and "L'état liquidatif est établi par le service payeur." in textes
    assert "59,08\xa0€" in str(at.dataframe[-1].value)  # the line the paying service will pay


def test_taux_manquant_dit_en_francais(app_demo, demo, acteurs, monkeypatch):
    """With the rate table emptied, the pay page says which row is missing instead of failing."""
    from sqlalchemy import delete

    from db.models import TauxHoraire

    _seance_d_amina(demo, acteurs, monkeypatch, "16:00")
    demo.execute(delete(TauxHoraire))
    demo.commit()
    at = app_demo("porteur81")
    at.switch_page("pages/paie.py").run()
    assert not at.exception, at.exception
    assert any("Aucun taux horaire de vacation n'est défini au 13/01/2026" in e.value for e in at.error)


def test_interieur_exporte_des_agregats_masques(app_demo):
    """Its Exports page shows the aggregates only (no workbook, no survey file), small cells masked."""
    at = app_demo("interieur")
    at.switch_page("pages/exports.py").run()
    assert not at.exception
    textes = textes_de(at)
    assert "Agrégats pour le ministère de l'Intérieur" in textes and "Pour la DAEPS" not in textes
    assert all("Tilleuls" not in str(df.value) and "Jaurès" not in str(df.value) for df in at.dataframe)


def test_la_page_d_un_dossier_parle_francais(app_demo, demo):
    """No internal code reaches a person: decision, opinion, steps and states of the history in words."""
    from forms.vocabulaire import Etat
    from workflow.etapes import ETAPES

    d81 = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    at = app_demo("pilote")
    at.switch_page("pages/dossier.py")
    at.query_params["id"] = str(d81.id)
    at.run()
    textes = textes_de(at)
    assert "**Décision du comité** : Retenu" in textes and "**Avis du DASEN** : Favorable" in textes
    codes = {e.cle for e in ETAPES} | {e.value for e in Etat} | {"creer_dossier"}
    historique = at.dataframe[0].value
    assert len(historique) >= 4
    for colonne in ("Étape", "De", "Vers", "Motif"):
        assert not codes & set(historique[colonne]), colonne
        assert "None" not in set(map(str, historique[colonne])), colonne


# A group as the grid sends a new row (dates as ISO text, the effectif as a number, time slots as typed text).
GROUPE_SAISI = {"libelle": "Groupe A — débutants", "niveau": "A1.1", "effectif_prevu": 14, "heures_prevues": "60,5",
                "date_debut": "2025-11-17", "date_fin": "2026-06-19", "creneaux": "mardi 14:00-16:00", "lieu": "BCD"}
GROUPE_STOCKE = GROUPE_SAISI | {"heures_prevues": "60.5", "creneaux": [{"jour": "mardi", "debut": "14:00", "fin": "16:00"}]}


def _sans_exception(at: AppTest) -> None:
    assert not at.exception, at.exception[0].message


def test_groupes_enregistres_rouverts_et_corriges(app_demo, demo):
    """Issue 13: section « Groupes » saved, then opened again (« Précédent », the radio) shows its typed rows and
    can be corrected; it used to stop on « column type date … not compatible … string »."""
    d = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    at = app_demo("porteur")
    at.switch_page("pages/candidature.py").run()
    at.radio[0].set_value(2).run()
    at.session_state["candidature_groupes"] = {"edited_rows": {}, "added_rows": [GROUPE_SAISI], "deleted_rows": []}
    bouton(at, "Enregistrer et continuer").click().run()
    _sans_exception(at)
    assert "4. Intervenants" in textes_de(at)
    bouton(at, "Précédent").click().run()
    _sans_exception(at)
    assert "3. Groupes" in textes_de(at) and not at.warning
    demo.refresh(d)
    assert d.formulaire["groupes"] == [GROUPE_STOCKE]
    at.session_state["candidature_groupes"] = {"edited_rows": {0: {"effectif_prevu": 12, "date_fin": "2026-06-12"}},
                                               "added_rows": [], "deleted_rows": []}
    bouton(at, "Enregistrer et continuer").click().run()
    _sans_exception(at)
    at.radio[0].set_value(2).run()
    _sans_exception(at)
    demo.refresh(d)
    assert d.formulaire["groupes"] == [GROUPE_STOCKE | {"effectif_prevu": 12, "date_fin": "2026-06-12"}]


def test_reprise_du_dossier_de_l_an_dernier_ouvre_les_groupes(app_demo, demo):
    """Issue 13: after the renewal (last year's filed dossier copied), section « Groupes » opens, its dates one year on;
    it used to stop on « column type text … not compatible … integer » (effectif_prevu)."""
    from tests.support.semis_renouvellement import semer_dans

    semer_dans(demo)
    at = app_demo("porteur")
    at.switch_page("pages/candidature.py").run()
    bouton(at, "Reprendre le dossier de l'an dernier (renouvellement)").click().run()
    _sans_exception(at)
    assert "Le dossier de l'an dernier a été repris" in textes_de(at)
    for section in (2, 3, 5):  # groups, intervenants, budget (which sums the groups' hours)
        at.radio[0].set_value(section).run()
        _sans_exception(at)
        assert [w.value for w in at.warning if "bilans" not in w.value] == []  # no value emptied; last year's bilans are missing
    at.radio[0].set_value(2).run()
    bouton(at, "Enregistrer et continuer").click().run()
    _sans_exception(at)
    d = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR, Dossier.etat == "brouillon")).one()
    demo.refresh(d)
    premier = d.formulaire["groupes"][0]
    assert (premier["date_debut"], premier["effectif_prevu"], premier["creneaux"]) == (
        "2025-11-17", 14, [{"jour": "mardi", "debut": "14:00", "fin": "16:00"}])


def test_engager_depuis_la_page_des_seances_puis_l_intervenant_voit_l_atelier(app_demo, demo, acteurs, monkeypatch):
    """Issue 13, item 9: with nobody engaged, the séances page offers the engagement form at once, the group chosen in
    the dossier's list (no em dash to type); once engaged, the séance form appears, and Sofia's account sees the atelier."""
    from db.models import Engagement
    from infra import settings

    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-01-13")
    settings.get_settings.cache_clear()
    d81 = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    at = app_demo("porteur81")
    at.switch_page("pages/seances.py").run()
    assert not at.exception, at.exception
    assert "Aucun intervenant n'est engagé sur cet atelier : engagez-en un ci-dessus" in textes_de(at)
    assert not [b for b in at.button if b.label == "Enregistrer la séance"]
    cle = f"seance_engager_{d81.id}_Groupe A — débutants"
    assert at.selectbox(key=f"{cle}_groupe").options == ["Groupe A — débutants", "Groupe B — intermédiaires"]
    assert at.selectbox(key=f"{cle}_groupe").value == "Groupe A — débutants"
    at.selectbox(key="seance_groupe").select_index(1).run()  # the page's group: the form proposes it, with its hours
    cle = f"seance_engager_{d81.id}_Groupe B — intermédiaires"
    assert at.selectbox(key=f"{cle}_groupe").value == "Groupe B — intermédiaires"
    at.text_input(key=f"{cle}_nom").input("Álvarez")
    at.text_input(key=f"{cle}_prenom").input("Sofia")
    at.text_input(key=f"{cle}_courriel").input("intervenante@ac-toulouse.fr")
    at.selectbox(key=f"{cle}_statut").select("enseignant_upe2a")
    at.selectbox(key=f"{cle}_employeur_principal").select("EN")
    bouton(at, "Engager et produire la lettre d'engagement").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    demo.expire_all()
    (engagement,) = demo.exec(select(Engagement).where(Engagement.dossier_id == d81.id, Engagement.engage.is_(True))).all()
    assert engagement.heures_prevues == Decimal("60")  # group B's planned hours, proposed by the form
    assert [b for b in at.button if b.label == "Enregistrer la séance"]
    assert not at.text_input(key=f"seance_engager_{d81.id}_Groupe B — intermédiaires~1_nom").value  # a fresh form

    sofia = app_demo("intervenant")
    sofia.switch_page("pages/seances.py").run()
    assert not sofia.exception, sofia.exception
    assert "Collège Jean-Jaurès" in textes_de(sofia)
    assert not [b for b in sofia.button if b.label == "Engager et produire la lettre d'engagement"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_chaque_page_de_chaque_role_sur_une_annee_remplie_parle_francais(demo, acteurs, monkeypatch):
    """Issue 13, item 10, generated over every page of every role: on a year with data everywhere (the Tarn atelier
    running with séances and parents, the Tilleuls retained, sixteen finished ateliers), no traceback, and no table
    or figure shows an internal code or « None »."""
    from bench.annee import semer_annee
    from db.models import Campagne
    from infra import settings
    from tests.support import semis_atelier

    campagne = demo.exec(select(Campagne)).one()
    d81 = semis_atelier.semer_dans(demo)
    dossier_en_etat(demo, Etat.RETENU)
    semer_annee(demo, campagne.id, ateliers=16, parents=200)
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-02-27")
    settings.get_settings.cache_clear()
    etape = semis_atelier.executeur(demo, acteurs["porteur81"], d81)
    for jour in ("2026-01-13", "2026-01-20"):
        etape("enregistrer_seance", groupe=semis_atelier.GROUPE, date_seance=jour, heure_debut="14:00", heure_fin="15:20",
              axes=["langue", "valeurs"], intervenants=["Sofia ÁLVAREZ"],
              presences=[{"nom": n, "prenom": p, "statut": "present"} for n, p in semis_atelier.PARENTS[:3]])
    vus = {}
    for role in Role:
        for p in pages_du_role(role):
            at = ouvrir_application(acteurs[ROLES_DEMO[role]], p.fichier)
            assert not at.exception, (role, p.fichier, at.exception)
            vus[(role.value, p.fichier)] = _cellules_suspectes(at)
    assert {k: v for k, v in vus.items() if v} == {}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_chaque_page_de_chaque_role_a_la_date_du_jour(session, monkeypatch):
    """`make run` on the real date (no fixed « today »: the demo of the current school year, seeded on that day):
    every page of every role opens without a traceback, and no table shows an internal code or « None »."""
    from sqlmodel import select as choisir

    from db.models import Utilisateur
    from demarrage.demo import semer_demo, semer_referentiel
    from infra import settings
    from workflow.noyau.auth import acteur_de

    monkeypatch.delenv("OEPRE_DATE_DU_JOUR", raising=False)
    settings.get_settings.cache_clear()
    semer_referentiel(session)
    semer_demo(session)
    comptes = {u.identifiant: acteur_de(u) for u in session.exec(choisir(Utilisateur))}
    par_role = {a.role: a for a in sorted(comptes.values(), key=lambda a: a.id, reverse=True)}
    fautes = {}
    for role in Role:
        for p in pages_du_role(role):
            at = ouvrir_application(par_role[role], p.fichier)
            assert not at.exception, (role, p.fichier, at.exception)
            if suspects := _cellules_suspectes(at):
                fautes[(role.value, p.fichier)] = suspects
    assert fautes == {}


def test_lien_vers_un_dossier_hors_perimetre_dit_en_francais(demo, acteurs):
    """A link to another school's dossier opens the head's own first dossier, and says so (it was silent)."""
    autre = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["acteur"] = acteurs["porteur"]
    at.session_state["derniere_activite"] = datetime.now(UTC)
    at.run()
    at.query_params["id"] = str(autre.id)
    at.switch_page("pages/dossier.py").run()
    assert not at.exception, at.exception
    assert "Le dossier demandé n'existe pas ou n'est pas dans votre périmètre" in textes_de(at)
    assert "Jean-Jaurès" not in textes_de(at)


def _page_qui_lit():
    """A page that reads first (pages._commun.lecture), then draws; what the read raises is chosen by the test."""
    import streamlit as st

    from pages._commun.tour import lecture
    from workflow.noyau.permissions import AccesRefuse
    from workflow.noyau.taux import TauxManquant

    refus = {"acces": AccesRefuse, "taux": TauxManquant, "autre": ValueError}.get(st.session_state["refus"])
    with lecture(TauxManquant) as s:
        assert s is not None
        if refus is not None:
            raise refus("Ce dossier n'est pas dans votre périmètre.")
    st.write("Suite de la page.")


@pytest.mark.parametrize("refus", [None, "acces", "taux", "autre"])
def test_une_lecture_refusee_est_dite_en_francais_et_arrete_la_page(reglages, refus):
    """The one idiom of the pages that read before drawing: the service's refusal (AccesRefuse, or one the page names)
    is shown as its French sentence and the page stops there; any other error is not swallowed (the app's net has it)."""
    at = AppTest.from_function(_page_qui_lit, default_timeout=30)
    at.session_state["refus"] = refus
    at.run()
    suite = "Suite de la page." in [m.value for m in at.markdown]
    if refus in ("acces", "taux"):
        assert not at.exception and not suite
        assert [e.value for e in at.error] == ["Ce dossier n'est pas dans votre périmètre."]
    elif refus == "autre":
        assert at.exception and not suite and not at.error
    else:
        assert not at.exception and not at.error and suite
