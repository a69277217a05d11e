"""The « Modèles de documents » page through AppTest: the DAEPS sees the version in force and the history, a draft's
preview and its publication, the restoration of the built-in template, and the catalogue with its downloads; the
roles that do not write templates do not have the page."""

import io

import pytest
from docx import Document as Docx
from sqlmodel import select

from db.models import ModeleDocument
from documents import render
from forms.vocabulaire import Role
from tests.conftest import exiger_outil, libreoffice_present
from tests.support.appli import bouton, ouvrir_application, textes_de
from workflow.navigation import pages_du_role

PAGE = "pages/modeles.py"


def _modele() -> bytes:
    document = Docx(io.BytesIO(render.octets_gabarit_integre("attestation")))
    document.add_paragraph("Modèle de l'académie de {{ academie }}.")
    sortie = io.BytesIO()
    document.save(sortie)
    return sortie.getvalue()


def test_la_daeps_depose_publie_puis_restaure_le_modele_integre(demo, acteurs):
    exiger_outil(libreoffice_present(), "LibreOffice absent")
    at = ouvrir_application(acteurs["daeps"], PAGE, delai=120)
    assert not at.exception, at.exception
    at.selectbox(key="modeles_type").set_value("attestation").run()
    assert "En vigueur : le modèle intégré à l'application." in textes_de(at)
    at.file_uploader(key="modeles_depot_fichier").set_value(("faux.docx", b"%PDF-1.7", "application/pdf")).run()
    bouton(at, "Vérifier et déposer le modèle").click().run()
    assert not at.exception, at.exception
    assert any("« faux.docx » : le fichier contient un PDF" in e.value for e in at.error)
    assert at.file_uploader(key="modeles_depot_fichier").value is not None  # a refusal keeps the file chosen
    at.file_uploader(key="modeles_depot_fichier").set_value(
        ("attestation-daeps.docx", _modele(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")).run()
    bouton(at, "Vérifier et déposer le modèle").click().run()
    assert not at.exception, at.exception
    (brouillon,) = demo.exec(select(ModeleDocument.id)).all()
    assert "Modèle vérifié et déposé comme brouillon" in textes_de(at)
    # a new, empty upload: a second click cannot deposit the same file as a second draft
    assert at.file_uploader(key="modeles_depot~1_fichier").value is None
    assert "Vérifier et déposer le modèle" not in [b.label for b in at.button]
    assert "Brouillon : version 1" in textes_de(at)
    assert "Aperçu des premières pages" in textes_de(at)
    assert len(at.get("image")) >= 1  # the first pages of the draft, filled with the sample data
    bouton(at, "Publier la version 1").click().run()
    assert not at.exception, at.exception
    demo.expire_all()
    assert demo.get(ModeleDocument, brouillon).etat == "publie"
    assert "En vigueur : version 1 (« attestation-daeps.docx »)" in textes_de(at)
    assert at.dataframe[0].value["État"].tolist() == ["Publié — en vigueur"]
    at.selectbox(key="modeles_restaurer_choix").set_value(None)
    bouton(at, "Restaurer").click().run()
    assert not at.exception, at.exception
    assert "En vigueur : le modèle intégré à l'application." in textes_de(at)
    demo.expire_all()
    assert [m.chemin is None for m in demo.exec(select(ModeleDocument).order_by(ModeleDocument.version))] == [False, True]


def test_le_catalogue_se_lit_et_se_telecharge(demo, acteurs):
    at = ouvrir_application(acteurs["admin"], PAGE)
    assert not at.exception, at.exception
    at.selectbox(key="modeles_type").set_value("attestation").run()
    tables = [d.value for d in at.dataframe]
    variables = next(t for t in tables if "Variable" in t.columns)
    assert "{{ parent_nom }}" in variables["Variable"].tolist()
    assert "Nom du parent (obligatoire)" in variables["Description"].tolist()
    filtres = next(t for t in tables if "Écriture" in t.columns)
    assert "du 17 novembre 2025 au 19 juin 2026" in filtres["Exemple"].tolist()
    libelles = [b.proto.label for b in at.get("download_button")]
    assert {"Catalogue complet (Word)", "Catalogue complet (CSV)"} <= set(libelles), libelles


@pytest.mark.parametrize("role", list(Role))
def test_la_page_est_celle_de_la_daeps_et_de_l_administrateur(role):
    assert any(p.fichier == PAGE for p in pages_du_role(role)) is (role in (Role.DAEPS, Role.ADMIN))
