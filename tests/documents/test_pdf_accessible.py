"""Every document type as an accessible French PDF: each template filled as its step would (test_documents_finis),
converted by the persistent LibreOffice the application uses, and one by a cold soffice: French language, a structure
tree (tagged PDF) with the title as H1 and the sections as H2, and the document's title in its metadata."""

import io

import pikepdf
import pytest

from documents import pdf
from documents.catalogue import GABARITS, libelle_document
from documents.gabarits import Section
from tests.conftest import exiger_outil, libreoffice_present
from tests.documents.test_documents_finis import _documents, _elements

pytestmark = [pytest.mark.libreoffice, pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)]


def _balises(noeud, vues: set | None = None) -> list[str]:
    """The structure types of a structure tree, role-mapped to the standard ones (/H1, /H2, /P, /Table…)."""
    vues = set() if vues is None else vues
    if isinstance(noeud, pikepdf.Array):
        return [b for enfant in noeud for b in _balises(enfant, vues)]
    if not isinstance(noeud, pikepdf.Dictionary) or "/S" not in noeud or noeud.objgen in vues:
        return []
    if noeud.objgen != (0, 0):
        vues.add(noeud.objgen)
    return [str(noeud.S), *_balises(noeud.get("/K"), vues)]


def defauts_d_accessibilite(cle: str, contenu: bytes) -> list[str]:
    titre = libelle_document(cle)
    attendues = {"/H1"} | ({"/H2"} if any(isinstance(el, Section) for el in _elements(GABARITS[cle].contenu)) else set())
    with pikepdf.open(io.BytesIO(contenu)) as document:
        defauts = [] if str(document.Root.get("/Lang", "")).startswith("fr") else [
            f"{cle} : langue « {document.Root.get('/Lang')} »"]
        if "/StructTreeRoot" not in document.Root:
            return [*defauts, f"{cle} : PDF non balisé (pas de /StructTreeRoot)"]
        racine = document.Root.StructTreeRoot
        roles = {str(k): str(v) for k, v in racine.get("/RoleMap", {}).items()}
        balises = {roles.get(b, b) for b in _balises(racine.get("/K"))}
        defauts += [f"{cle} : pas de {b} dans la structure" for b in sorted(attendues - balises)]
        if str(document.docinfo.get("/Title", "")) != titre:
            defauts.append(f"{cle} : titre « {document.docinfo.get('/Title')} » au lieu de « {titre} »")
        if document.open_metadata().get("dc:title") != titre:
            defauts.append(f"{cle} : titre XMP « {document.open_metadata().get('dc:title')} »")
    return defauts


def test_chaque_document_est_un_pdf_balise_en_francais_et_titre(demo, tmp_path):
    exiger_outil(libreoffice_present(), "LibreOffice absent")
    fichiers = _documents(demo, tmp_path)
    assert set(fichiers) == set(GABARITS)
    convertisseur = pdf.ConvertisseurPersistant()
    try:
        sorties = {cle: convertisseur.convertir(chemin.read_bytes()) for cle, chemin in fichiers.items()}
        assert convertisseur.echecs == 0, "the persistent converter fell back to cold conversions"
    finally:
        convertisseur.arreter()
    sorties["attestation (soffice à froid)"] = pdf.convertir_froid(fichiers["attestation"].read_bytes())
    defauts = [d for cle, contenu in sorties.items() for d in defauts_d_accessibilite(cle.split(" ")[0], contenu)]
    assert defauts == [], "\n".join(defauts)
