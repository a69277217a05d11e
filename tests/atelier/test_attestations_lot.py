"""Attestations in one batch (atelier, département, académie): the same figures as one by one, one file per
parent, a print-ready merged PDF, refused outside one's scope; documents naming parents hidden from the
roles that may not read them."""

import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from sqlmodel import select

from db.models import Auditeur, Document, JournalAudit
from documents import lot
from documents.pdf import ConversionEchouee
from forms.base import ErreursSaisie
from infra import settings
from tests.conftest import exiger_outil, libreoffice_present
from tests.support import semis_atelier
from workflow import consultation, revue, services
from workflow.atelier import attestations
from workflow.noyau.permissions import AccesRefuse

SIGNATURE = {"signataire": "Karim Benali", "fonction": "Principal"}


@pytest.fixture
def atelier(demo, acteurs, monkeypatch):
    """The Tarn atelier: three séances of 2 h; Ольга never came; Jeanne registered after the first séance."""
    exiger_outil(libreoffice_present(), "LibreOffice (soffice) absent")
    dossier = semis_atelier.semer_dans(demo)
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-02-27")
    settings.get_settings.cache_clear()

    etape = semis_atelier.executeur(demo, acteurs["porteur81"], dossier)

    def seance(jour, presents):
        inscrits = demo.exec(select(Auditeur).where(Auditeur.dossier_id == dossier.id)).all()
        etape("enregistrer_seance", groupe=semis_atelier.GROUPE, date_seance=jour, heure_debut="14:00", heure_fin="16:00",
              axes=["langue", "ecole"], intervenants=["Sofia ÁLVAREZ"],
              presences=[{"nom": a.nom, "prenom": a.prenom, "statut": "present" if a.prenom in presents else "absent"}
                         for a in inscrits])

    seance("2026-01-13", {"Amina", "Léa", "فاطمة"})
    etape("inscrire_parent", nom="Dupont", prenom="Jeanne", groupe=semis_atelier.GROUPE, date_inscription="2026-01-20",
          enfants=[{"prenom": "Lou", "classe": "CP", "uai_ecole": "0819109L"}])
    seance("2026-01-20", {"Amina", "Léa"})
    seance("2026-01-27", {"Amina", "فاطمة", "Jeanne"})
    demo.refresh(dossier)
    return dossier, etape


def _fichiers(session, acteur, document_id) -> dict[str, bytes]:
    """The copies of a batch's ZIP, after checking its manifest lists each with its pages and checksum."""
    archive = zipfile.ZipFile(io.BytesIO(consultation.lire_document(session, acteur, document_id).contenu))
    fichiers = {n: archive.read(n) for n in archive.namelist() if n != "CONTENU.csv"}
    lignes = list(csv.DictReader(io.StringIO(archive.read("CONTENU.csv").decode("utf-8-sig")), delimiter=";"))
    assert {ligne["Fichier"]: (int(ligne["Pages"]), ligne["SHA-256"]) for ligne in lignes} == {
        n: (len(PdfReader(io.BytesIO(c)).pages), hashlib.sha256(c).hexdigest()) for n, c in fichiers.items()}
    return fichiers


def _texte(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_lot_d_un_atelier_memes_heures_qu_une_a_une(demo, acteurs, atelier):
    dossier, etape = atelier
    avancement = []
    resultat = attestations.produire_lot(demo, acteurs["porteur81"], campagne_id=dossier.campagne_id, dossier_id=dossier.id,
                                         progression=lambda f, m: avancement.append((f, m)), **SIGNATURE)
    assert (resultat.attestations, resultat.pages) == (4, 4)  # Ольга attended nothing: no attestation
    complet_id, zip_id = resultat.documents
    complet = consultation.lire_document(demo, acteurs["porteur81"], complet_id).contenu
    lecteur = PdfReader(io.BytesIO(complet))
    assert len(lecteur.pages) == 4
    assert {o.title.split(" — ")[0] for o in lecteur.outline} == {"Amina Haddad", "Léa O'Brien-Müller", "فاطمة النجار",
                                                                  "Jeanne Dupont"}  # one bookmark per parent
    fichiers = _fichiers(demo, acteurs["porteur81"], zip_id)
    noms = sorted(fichiers)
    assert len(noms) == 4 and all(n.endswith(".pdf") for n in noms)
    textes = {n: _texte(contenu) for n, contenu in fichiers.items()}
    # by school, numbered in print order, named from the document type and the parent
    assert all(re.fullmatch(rf"{dossier.uai} [^/]+/\d{{4}} - Attestation de suivi de formation - [ -~]+\.pdf", n) for n in noms)
    attendu = {"Amina Haddad": ("Amina Haddad", "6 h de formation sur 6 h", True),
               "Lea O'Brien-Muller": ("Léa O'Brien-Müller", "4 h de formation sur 6 h", False),
               "Jeanne Dupont": ("Jeanne Dupont", "2 h de formation sur 4 h", False)}
    for fin, (nom, heures, assidu) in attendu.items():
        (fichier,) = [n for n in noms if n.endswith(f"{fin}.pdf")]
        assert nom in textes[fichier] and heures in textes[fichier], textes[fichier]
        assert ("suivie avec assiduité" in textes[fichier]) is assidu
        assert "Karim Benali" in textes[fichier] and "Collège" in textes[fichier]
    (arabe,) = [n for n in noms if not any(n.endswith(f"{f}.pdf") for f in attendu)]
    assert arabe.endswith("ftmh lnjr.pdf") and "4 h de formation sur 6 h" in textes[arabe]
    assert avancement[-1][0] == 1.0 and [f for f, _ in avancement] == sorted(f for f, _ in avancement)
    # The batch copy says what the single attestation says.
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    etape("attester", auditeur_id=amina.id, signataire="Karim Benali", fonction_signataire="Principal")
    unique = demo.exec(select(Document).where(Document.type_document == "attestation")).one()
    pdf_unique = services.produire_pdf(demo, unique.id, acteurs["porteur81"])
    texte_unique = _texte(consultation.lire_document(demo, acteurs["porteur81"], pdf_unique.id).contenu)
    (fichier_amina,) = [n for n in noms if n.endswith("Amina Haddad.pdf")]
    assert textes[fichier_amina] == texte_unique
    journal = demo.exec(select(JournalAudit).where(JournalAudit.action == "attestations_lot")).one()
    assert journal.details == {"attestations": 4, "pages": 4}


def test_lot_de_l_academie_et_d_un_departement(demo, acteurs, atelier):
    dossier, _ = atelier
    academie = attestations.produire_lot(demo, acteurs["daeps"], campagne_id=dossier.campagne_id)
    assert academie.attestations == 4
    tarn = attestations.produire_lot(demo, acteurs["dsden81"], campagne_id=dossier.campagne_id)
    assert tarn.attestations == 4
    # The Haute-Garonne has no running atelier: nothing to print, said in French.
    with pytest.raises(ErreursSaisie, match="Aucun parent n'a suivi de séance"):
        attestations.produire_lot(demo, acteurs["dsden31"], campagne_id=dossier.campagne_id)
    signataires = {_texte(contenu).count("Je soussigné(e)") for contenu in _fichiers(demo, acteurs["daeps"], academie.documents[1]).values()}
    assert signataires == {1}
    # Who may read which batch: the académie's is the DAEPS's; the Tarn's is the DSDEN 81's (and the DAEPS's).
    assert len(_fichiers(demo, acteurs["dsden81"], tarn.documents[1])) == 4
    assert len(_fichiers(demo, acteurs["daeps"], tarn.documents[1])) == 4
    for qui, document_id in (("dsden31", tarn.documents[0]), ("dsden81", academie.documents[0]), ("comite", academie.documents[1]),
                             ("pilote", tarn.documents[1]), ("porteur81", tarn.documents[0]), ("interieur", academie.documents[0])):
        with pytest.raises(AccesRefuse):
            consultation.lire_document(demo, acteurs[qui], document_id)
    assert not [d for d in consultation.documents_campagne(demo, acteurs["dsden31"], dossier.campagne_id)
                if d.type_document == "attestations_lot"]
    assert len([d for d in consultation.documents_campagne(demo, acteurs["dsden81"], dossier.campagne_id)
                if d.type_document == "attestations_lot"]) == 2


@pytest.mark.parametrize("qui, avec_dossier", [("porteur", True), ("intervenant", True), ("comite", True), ("dsden31", True),
                                               ("porteur81", False), ("comite", False), ("pilote", False),
                                               ("interieur", False), ("gestionnaire", False)])
def test_lot_refuse_hors_du_role_ou_du_perimetre(demo, acteurs, atelier, qui, avec_dossier):
    dossier, _ = atelier
    with pytest.raises(AccesRefuse):
        attestations.produire_lot(demo, acteurs[qui], campagne_id=dossier.campagne_id,
                                  dossier_id=dossier.id if avec_dossier else None)
    assert not demo.exec(select(Document).where(Document.type_document == "attestations_lot")).all()


def test_echec_de_libreoffice_ne_laisse_ni_fichier_ni_ligne(demo, acteurs, atelier, monkeypatch):
    dossier, _ = atelier
    monkeypatch.setenv("OEPRE_SOFFICE", "false")  # a converter that exits without writing anything
    settings.get_settings.cache_clear()
    avant = sorted(p for p in settings.get_settings().documents_dir.rglob("*") if p.is_file())
    with pytest.raises(ConversionEchouee, match="LibreOffice n'a pas converti"):
        attestations.produire_lot(demo, acteurs["porteur81"], campagne_id=dossier.campagne_id, dossier_id=dossier.id,
                                  **SIGNATURE)
    assert not demo.exec(select(Document).where(Document.type_document == "attestations_lot")).all()
    assert sorted(p for p in settings.get_settings().documents_dir.rglob("*") if p.is_file()) == avant


def test_une_attestation_sur_deux_pages_reste_un_seul_fichier(tmp_path):
    """Split by the bookmark of each copy's title, not by page: a copy overflowing onto two pages stays whole."""
    exiger_outil(libreoffice_present(), "LibreOffice (soffice) absent")
    from tests.documents.test_documents import _attestation

    copies = [lot.Exemplaire(f"{i}.pdf", _attestation() | {"parent_prenom": f"Zoé {i}"}) for i in range(5)]
    copies[2] = lot.Exemplaire("2.pdf", copies[2].contexte | {"parent_prenom": "Très long " * 700})
    produit = lot.produire("attestation", {"academie": "Toulouse"}, copies, tmp_path, parts=2)
    fichiers = zipfile.ZipFile(produit.zip)
    pages = {n: len(PdfReader(io.BytesIO(fichiers.read(n))).pages) for n in fichiers.namelist() if n.endswith(".pdf")}
    assert pages["2.pdf"] >= 2 and all(pages[f"{i}.pdf"] == 1 for i in (0, 1, 3, 4))
    assert produit.pages == sum(pages.values()) == len(PdfReader(produit.pdf).pages)
    assert "Zoé 3" in _texte(fichiers.read("3.pdf"))
    # each copy, and the print file, keep the converted batch's French language and title
    for contenu in (fichiers.read("3.pdf"), produit.pdf.read_bytes()):
        with pikepdf.open(io.BytesIO(contenu)) as copie:
            assert (str(copie.Root.Lang), str(copie.docinfo.Title)) == ("fr-FR", "Attestation de suivi de formation")


def test_documents_nominatifs_caches_aux_roles_sans_droit(demo, acteurs, atelier):
    """Registration forms, lists of parents and attestations name parents: the committee, the pilote and the
    Ministry of the Interior neither see them listed nor download them, even by id."""
    dossier, etape = atelier
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    etape("attester", auditeur_id=amina.id, signataire="Karim Benali", fonction_signataire="Principal")
    etape("lister_auditeurs", anonymisee=False)
    nominatifs = demo.exec(select(Document).where(Document.dossier_id == dossier.id, Document.type_document.in_(
        ["fiche_inscription", "liste_auditeurs", "attestation"]))).all()
    assert {d.type_document for d in nominatifs} == {"fiche_inscription", "liste_auditeurs", "attestation"}
    for qui in ("comite", "pilote", "casnav"):
        visibles = {d.type_document for d in consultation.documents_du_dossier(demo, acteurs[qui], dossier.id)}
        assert visibles.isdisjoint({"fiche_inscription", "liste_auditeurs", "attestation"}), qui
        assert "lettre_engagement" in visibles  # the dossier's other documents stay readable
        for doc in nominatifs:
            with pytest.raises(AccesRefuse, match="nomme des parents"):
                consultation.lire_document(demo, acteurs[qui], doc.id)
    # The DAEPS reviews documents but reads no registration form or list of parents; it may read attestations.
    revus = {x.document.type_document for x in revue.documents(demo, acteurs["daeps"])}
    assert "fiche_inscription" not in revus and "liste_auditeurs" not in revus and "attestation" in revus
    assert {d.type_document for d in consultation.documents_du_dossier(demo, acteurs["porteur81"], dossier.id)} >= {
        "fiche_inscription", "liste_auditeurs", "attestation"}
    refus = demo.exec(select(JournalAudit).where(JournalAudit.action == "acces_refuse")).all()
    assert len(refus) == 3 * len(nominatifs)


def test_nom_de_fichier_sans_espace_ni_accent():
    assert lot.nom_de_fichier("0007", "0810001A", "O'Brien & <Müller>", "Léa") == "0007-0810001a-o-brien-muller-lea"
    # another script is transliterated: two parents' files never share a name (they did, « 0008-0810001a »)
    assert lot.nom_de_fichier("0008", "0810001A", "النجار", "فاطمة") == "0008-0810001a-lnjr-ftmh"
    assert lot.nom_de_fichier("Ольга Кузнецова") == "olga-kuznetsova"
    assert Path(lot.nom_de_fichier("x" * 300)).name == "x" * 120


def _images_dessinees(pdf: bytes) -> list[int]:
    """The image XObjects each page of a PDF draws (its content stream's « Do »)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [sum(1 for operandes, operateur in pikepdf.parse_content_stream(page) if str(operateur) == "Do"
                    and page.obj.Resources.XObject[operandes[0]].get("/Subtype") == "/Image") for page in document.pages]


def test_le_lot_et_l_attestation_portent_la_signature_et_le_cachet_du_chef_d_etablissement(demo, acteurs, atelier):
    """The head's signature and stamp on every copy of the batch (theirs, not the DASEN's), and on the single
    attestation; what the step records (its history, its document row) holds no image."""
    from db.models import Transition
    from forms.vocabulaire import NatureImage, Signataire
    from tests.support.images import signature_png
    from workflow.noyau import signatures

    dossier, etape = atelier
    chef, dsden = acteurs["porteur81"], acteurs["dsden81"]
    for acteur, signataire, perimetre in ((chef, Signataire.PORTEUR, dossier.uai), (dsden, Signataire.DASEN, "81")):
        signatures.deposer_image(demo, acteur, signataire=signataire, perimetre=perimetre, nature=NatureImage.SIGNATURE,
                                 nom="signature.png", contenu=signature_png())
        signatures.deposer_image(demo, acteur, signataire=signataire, perimetre=perimetre, nature=NatureImage.CACHET,
                                 nom="cachet.jpg", contenu=signature_png((200, 0, 0), taille=(300, 300), fmt="JPEG"))
    resultat = attestations.produire_lot(demo, chef, campagne_id=dossier.campagne_id, dossier_id=dossier.id, **SIGNATURE)
    complet = consultation.lire_document(demo, chef, resultat.documents[0]).contenu
    assert _images_dessinees(complet) == [2, 2, 2, 2]  # a signature and a stamp on each parent's page
    assert all(_images_dessinees(f) == [2] for f in _fichiers(demo, chef, resultat.documents[1]).values())
    tarn = attestations.produire_lot(demo, dsden, campagne_id=dossier.campagne_id)  # the DSDEN prints the heads' too
    assert _images_dessinees(consultation.lire_document(demo, dsden, tarn.documents[0]).contenu) == [2, 2, 2, 2]
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    etape("attester", auditeur_id=amina.id, signataire="Karim Benali", fonction_signataire="Principal")
    unique = demo.exec(select(Document).where(Document.type_document == "attestation", Document.format == "docx")).one()
    docx = consultation.lire_document(demo, chef, unique.id).contenu
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        medias = sorted(z.read(n) for n in z.namelist() if n.startswith("word/media/"))
    assert medias == sorted(signatures.image_actuelle(demo, chef, signataire=Signataire.PORTEUR, perimetre=dossier.uai,
                                                      nature=n) for n in NatureImage)
    historique = demo.exec(select(Transition).where(Transition.etape == "attester")).one().donnees
    assert not any(k.startswith(("signature_", "cachet_")) for k in historique)
    assert unique.taille == len(docx)
