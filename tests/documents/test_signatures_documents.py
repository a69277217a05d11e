"""Signatures and stamps in every document type: each signatory of the demo's finished atelier (its school's head, its
département's DASEN, the académie's pilote and DAEPS) sets a signature and a stamp of its own colour; every template
is filled as its step would fill it (tests/documents/test_documents_finis._documents), and each carries the images of
the signatories its declaration names (documents.catalogue.signataires) — in the DOCX (word/media) and on the page of
the signature block of its PDF — and no other holder's."""

import hashlib
import io
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from sqlmodel import select

import tests.documents.test_documents_finis as finis
from bench.annee import semer_annee
from db.models import Campagne, Dossier, Etablissement, ImageSignataire
from documents import pdf, render
from documents.catalogue import GABARITS, signataires
from documents.gabarits import Signatures
from forms.atelier import AttestationForm
from forms.vocabulaire import NatureImage, Signataire
from tests.conftest import exiger_outil, libreoffice_present
from tests.documents.test_documents_finis import _documents, _elements, _fixe, _francais, _page_de, _pages
from tests.documents.test_pdf_accessible import defauts_d_accessibilite
from tests.support.images import cachet_png, signature_png
from workflow.noyau import moteur, signatures

pytestmark = [pytest.mark.libreoffice, pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)]

COULEURS = {Signataire.PORTEUR: (20, 40, 160), Signataire.DASEN: (0, 120, 60), Signataire.PILOTE: (120, 0, 140),
            Signataire.DAEPS: (160, 90, 0)}


def _poser_les_images(s, admin, uai: str) -> dict[Signataire, set[str]]:
    """Every signatory of the school's scope gets a signature and a stamp; their stored PNGs' SHA-256 by holder."""
    etab = s.get(Etablissement, uai)
    campagne = s.exec(select(Campagne)).one()
    perimetres = {Signataire.PORTEUR: uai, Signataire.DASEN: etab.departement_code, Signataire.PILOTE: campagne.academie_code,
                  Signataire.DAEPS: campagne.academie_code}
    empreintes = {}
    for signataire, perimetre in perimetres.items():
        empreintes[signataire] = {
            signatures.deposer_image(s, admin, signataire=signataire, perimetre=perimetre, nature=NatureImage.SIGNATURE,
                                     nom="signature.png", contenu=signature_png(COULEURS[signataire])).sha256,
            signatures.deposer_image(s, admin, signataire=signataire, perimetre=perimetre, nature=NatureImage.CACHET,
                                     nom="cachet.png", contenu=cachet_png(COULEURS[signataire])).sha256}
    return empreintes


def _medias(docx: Path) -> set[str]:
    with zipfile.ZipFile(docx) as z:
        return {hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if n.startswith("word/media/")}


def _images_par_page(chemin: Path) -> list[int]:
    """The image XObjects each page draws (its content stream's « Do »; LibreOffice may share one resource
    dictionary between pages, so what a page's resources list is not what it prints)."""
    with pikepdf.open(chemin) as document:
        comptes = []
        for page in document.pages:
            objets = page.obj.Resources.get("/XObject", {})
            comptes.append(sum(1 for operandes, operateur in pikepdf.parse_content_stream(page)
                               if str(operateur) == "Do" and objets[operandes[0]].get("/Subtype") == "/Image"))
        return comptes


def _fonctions_signees(cle: str) -> list[str]:
    """The first fixed words of the function line of each block its holder signs with images."""
    return [_fixe(_francais(fonction)) for el in _elements(GABARITS[cle].contenu) if isinstance(el, Signatures)
            for i, (fonction, _) in enumerate(el.blocs) if el.signataire(i) is not None]


def test_chaque_document_porte_les_images_de_ses_signataires_et_d_eux_seuls(demo, acteurs, tmp_path, monkeypatch):
    exiger_outil(libreoffice_present(), "LibreOffice absent")
    empreintes: dict[Signataire, set[str]] = {}

    def semer_puis_signer(s, campagne_id, **kw):  # the atelier _documents fills: its school's signatories sign
        ids = semer_annee(s, campagne_id, **kw)
        empreintes.update(_poser_les_images(s, acteurs["admin"], s.get(Dossier, ids[0]).uai))
        return ids

    monkeypatch.setattr(finis, "semer_annee", semer_puis_signer)
    fichiers = _documents(demo, tmp_path)
    assert set(fichiers) == set(GABARITS)
    toutes = set().union(*empreintes.values())
    assert len(toutes) == 8 and demo.exec(select(ImageSignataire)).all()
    # The matrix, derived from the declarations: a document holds its signatories' images and nobody else's.
    attendu = {cle: set().union(*(empreintes[s] for s in signataires(cle))) if signataires(cle) else set() for cle in GABARITS}
    assert {cle: _medias(f) for cle, f in fichiers.items()} == attendu
    assert {cle for cle in GABARITS if signataires(cle)} >= {"attestation", "avis_dasen", "notification_decision",
                                                             "dossier_candidature", "lettre_engagement", "proces_verbal",
                                                             "notification_credits", "lettre_appel_a_projets",
                                                             "bilan_pedagogique", "bilan_financier"}
    # In the PDF: as many image XObjects as images, on the page of the signature block, none in the others.
    sorties = {p.stem: p for p in pdf.convertir_lot(list(fichiers.values()), tmp_path / "pdf")}
    defauts = []
    for cle in GABARITS:
        par_page = _images_par_page(sorties[cle])
        if not signataires(cle):
            if sum(par_page):
                defauts.append(f"{cle} : {sum(par_page)} image(s) sans signataire déclaré")
            continue
        pages = _pages(sorties[cle])
        for fonction in _fonctions_signees(cle):
            page = _page_de(pages, fonction) if fonction else _page_de(pages, "Date et signature")  # a function filled in
            if page is None or par_page[page] < 2:
                defauts.append(f"{cle} : bloc « {fonction} » page {page}, images par page {par_page}")
        if sum(par_page) != 2 * len(_fonctions_signees(cle)):  # a signature and a stamp in each block
            defauts.append(f"{cle} : {sum(par_page)} image(s) dans le PDF, {2 * len(_fonctions_signees(cle))} attendues")
    # with its images, each is still a tagged French PDF with its title
    defauts += [d for cle in GABARITS for d in defauts_d_accessibilite(cle, sorties[cle].read_bytes())]
    assert defauts == [], "\n".join(defauts)
    png = Path("/tmp/signatures-png")
    png.mkdir(exist_ok=True)
    for cle in ("attestation", "avis_dasen", "notification_decision"):  # to look at
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(sorties[cle]), str(png / cle)], check=False)


def test_une_image_retiree_n_est_plus_imprimee(demo, acteurs):
    campagne = demo.exec(select(Campagne)).one()
    etab = demo.get(Etablissement, acteurs["porteur"].uai)
    porteur = acteurs["porteur"]
    signatures.deposer_image(demo, porteur, signataire=Signataire.PORTEUR, perimetre=etab.uai,
                             nature=NatureImage.SIGNATURE, nom="s.png", contenu=signature_png())
    form = AttestationForm(auditeur_id=1, parent_nom="Haddad", parent_prenom="Amina", date_debut=date(2025, 11, 17),
                           date_fin=date(2026, 6, 19), minutes_presentes=600, minutes_proposees=1200, assiduite=False,
                           signataire="Claire Martin", fonction_signataire="Directrice")

    def medias() -> int:
        commun = moteur.contexte_commun(demo, campagne, etab, None, "REF")
        docx = render.rendre("attestation", moteur.contexte_du_document("attestation", commun, form))
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            return sum(n.startswith("word/media/") for n in z.namelist())

    assert medias() == 1
    signatures.retirer_image(demo, porteur, signataire=Signataire.PORTEUR, perimetre=etab.uai, nature=NatureImage.SIGNATURE)
    assert medias() == 0
