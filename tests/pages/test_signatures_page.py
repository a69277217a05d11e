"""The « Signature et cachet » page through AppTest: each holder sees their own signatory, the current image, its
history and removes it; the administrator chooses among the académie's signatories; a delegate is told why there is
nothing to set. (Uploading goes through a browser: tests/navigateur/test_navigateur_signatures.py.)"""

import pytest
from sqlmodel import select

from db.models import ImageSignataire
from forms.vocabulaire import NatureImage, Role, Signataire
from tests.support.appli import bouton, ouvrir_application, textes_de
from tests.support.images import signature_png
from workflow.navigation import pages_du_role
from workflow.noyau import signatures

PAGE = "pages/signatures.py"


def test_les_roles_qui_signent_voient_la_page(database_url):
    assert {r for r in Role if any(p.fichier == PAGE for p in pages_du_role(r))} == set(signatures.SETTERS)


def test_le_directeur_voit_sa_signature_son_historique_et_la_retire(demo, acteurs):
    porteur = acteurs["porteur"]
    signatures.deposer_image(demo, porteur, signataire=Signataire.PORTEUR, perimetre=porteur.uai,
                             nature=NatureImage.SIGNATURE, nom="s.png", contenu=signature_png())
    at = ouvrir_application(porteur, PAGE)
    assert not at.exception, at.exception
    texte = textes_de(at)
    assert "Directeur d'école ou chef d'établissement — École élémentaire des Tilleuls" in texte
    assert "Attestation de suivi de formation" in texte and "Avis de l'IA-DASEN" not in texte
    assert "Aucune image : cachet à la main." in texte
    assert len(at.get("image")) == 1
    assert at.dataframe[0].value["Image"].tolist() == ["déposée"]
    bouton(at, "Retirer la signature").click().run()
    assert not at.exception, at.exception
    assert "Signature retirée (version 2)" in textes_de(at)
    assert at.dataframe[0].value["Image"].tolist() == ["retirée", "déposée"]
    assert not at.get("image")
    demo.expire_all()
    assert [v.chemin is None for v in demo.exec(select(ImageSignataire).order_by(ImageSignataire.version))] == [False, True]


def test_l_administrateur_choisit_parmi_les_signataires_de_l_academie(demo, acteurs):
    at = ouvrir_application(acteurs["admin"], PAGE)
    assert not at.exception, at.exception
    choix = at.selectbox(key="signatures_titulaire")
    libelles = [str(o) for o in choix.options]
    assert any("Pilote académique" in o for o in libelles) and any("Haute-Garonne (31)" in o for o in libelles)
    assert any("Collège Jean-Jaurès" in o for o in libelles)


@pytest.mark.parametrize("nom", ["dsden31", "pilote", "daeps"])
def test_chaque_titulaire_voit_son_signataire(demo, acteurs, nom):
    at = ouvrir_application(acteurs[nom], PAGE)
    assert not at.exception, at.exception
    attendu = {"dsden31": "IA-DASEN du département — Haute-Garonne (31)", "pilote": "Pilote académique",
               "daeps": "Bureau DAEPS"}[nom]
    assert attendu in textes_de(at)
