"""The bilingual fiche d'inscription: translations kept in data files (forms/traductions), each language
complete, right-to-left where the script is, printed in a font that has the script."""

import io
import re
import subprocess
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from documents import pdf, render
from forms.atelier import InscriptionForm
from forms.traductions import DOSSIER, LangueFiche, traduction
from infra.settings import get_settings
from tests.conftest import exiger_outil, libreoffice_present
from tests.documents.test_documents import _contexte
from workflow import consultation, services
from workflow.noyau.profil import contact_dpd

AUTRES = [langue for langue in LangueFiche if langue != LangueFiche.FRANCAIS]


def test_une_langue_par_fichier_et_un_fichier_par_langue():
    assert {f.stem for f in DOSSIER.glob("*.toml")} == {langue.value for langue in LangueFiche}
    assert {"ar", "en", "es", "tr", "ru", "fa", "zgh"} <= {langue.value for langue in AUTRES}  # the list


@pytest.mark.parametrize("langue", AUTRES)
def test_chaque_traduction_est_complete(langue):
    reference, t = traduction("fr"), traduction(langue)
    assert set(t["fiche_inscription"]) == set(reference["fiche_inscription"])
    assert all(v.strip() for v in t["fiche_inscription"].values())
    assert t["direction"] == ("rtl" if langue in ("ar", "fa") else "ltr")
    assert isinstance(t["relu"], bool) and t["nom_natif"] and t["langue"]


@pytest.mark.parametrize("langue", AUTRES)
def test_la_police_de_chaque_langue_est_installee(langue):
    resultat = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False)
    familles = {f.strip() for ligne in resultat.stdout.splitlines() for f in ligne.split(",")}
    police = traduction(langue)["police"]
    # Calibri is the documents' own font, printed with its metric twin Carlito (scripts/install-system.sh).
    assert police in familles or (police == "Calibri" and "Carlito" in familles), police


def _fiche(langue: str) -> bytes:
    form = InscriptionForm(nom="النجار", prenom="فاطمة", groupe="Groupe A — débutants", date_inscription=date(2025, 11, 17),
                           enfants=[{"prenom": "Yasmine", "classe": "CE1", "uai_ecole": "0819109L"}], langue_fiche=langue)
    return render.rendre("fiche_inscription", _contexte(**form.model_dump()))


def _xml(docx: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()


@pytest.mark.parametrize("langue", AUTRES)
def test_la_fiche_porte_le_francais_et_la_langue_choisie(langue):
    xml = _xml(_fiche(langue))
    textes = traduction(langue)["fiche_inscription"]
    for cle in ("titre", "nom_prenom", "enfants", "engagement", "signature_parent"):
        assert textes[cle].replace("'", "&#39;") in xml or textes[cle] in xml, cle
    assert "Je m&#39;engage à suivre régulièrement" in xml or "Je m'engage à suivre régulièrement" in xml
    sens = "1" if traduction(langue)["direction"] == "rtl" else "0"
    assert f'<w:bidi w:val="{sens}"/>' in xml and f'<w:rtl w:val="{sens}"/>' in xml
    assert f'w:cs="{traduction(langue)["police"]}"' in xml


def test_en_francais_seul_aucune_ligne_traduite():
    xml = _xml(_fiche("fr"))
    assert "w:bidi" not in xml and "traduction" not in xml
    assert "Je m&#39;engage" in xml or "Je m'engage" in xml
    assert "aucune (français seul)" in xml


@pytest.mark.parametrize("langue, police", [("ar", "NotoNaskhArabic"), ("fa", "NotoNaskhArabic"), ("zgh", "NotoSansTifinagh"),
                                            ("ru", "Carlito")])
def test_le_pdf_embarque_une_police_du_script(langue, police):
    exiger_outil(libreoffice_present(), "LibreOffice (soffice) absent")
    lecteur = PdfReader(io.BytesIO(pdf.convertir_froid(_fiche(langue))))
    polices = {str(f.get_object()["/BaseFont"]) for page in lecteur.pages
               for f in (page["/Resources"].get("/Font") or {}).values()}
    assert any(police in p for p in polices), polices


def test_inscription_en_arabe_par_le_service(demo, acteurs):
    """Registering through the step keeps the language on the parent and prints the right-to-left fiche."""
    from sqlmodel import select

    from db.models import Auditeur, Campagne, Document
    from tests.support import semis_atelier

    dossier = semis_atelier.semer_dans(demo)
    services.executer(demo, acteurs["porteur81"], "inscrire_parent", dossier_id=dossier.id, version=dossier.version,
                      pdf_apres=False, donnees={"nom": "Haddad", "prenom": "Karima", "groupe": semis_atelier.GROUPE,
                                                "date_inscription": "2025-11-20", "langue_fiche": "ar",
                                                "enfants": [{"prenom": "Nour", "classe": "CP", "uai_ecole": "0819109L"}]})
    karima = demo.exec(select(Auditeur).where(Auditeur.prenom == "Karima")).one()
    assert karima.langue_fiche == "ar"
    fiche = demo.exec(select(Document).where(Document.type_document == "fiche_inscription")
                      .order_by(Document.id.desc())).first()
    xml = _xml(consultation.lire_document(demo, acteurs["porteur81"], fiche.id).contenu)
    assert "استمارة تسجيل المشارك(ة)" in xml and '<w:bidi w:val="1"/>' in xml and "Karima" in xml
    # the notice prints the deployment's retention and its data protection officer (settings), in both languages
    texte = _notice_imprimee(xml)
    mois, dpd = get_settings().conservation_mois, contact_dpd(demo.get(Campagne, dossier.campagne_id).academie_code)
    assert f"puis {mois} mois" in texte and f"ثم {mois} شهرًا" in texte and texte.count(dpd) == 2


BLANC = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("langue", AUTRES)
def test_chaque_traduction_garde_les_blancs_du_francais(langue):
    """The notice's « {mois} », « {contact} », « {academie} »: a translation that drops or renames one would print a
    notice without the retention or the address to write to."""
    reference, t = traduction("fr")["fiche_inscription"], traduction(langue)["fiche_inscription"]
    for cle, francais in reference.items():
        assert sorted(BLANC.findall(t[cle])) == sorted(BLANC.findall(francais)), cle


def _notice_imprimee(xml: str) -> str:
    """The fiche's text, runs joined (Word splits a paragraph into runs)."""
    return re.sub(r"<[^>]+>", "", xml).replace("&#39;", "'")


@pytest.mark.parametrize("langue", list(LangueFiche))
def test_la_notice_aux_parents_dit_la_duree_et_le_contact_dans_leur_langue(langue):
    form = InscriptionForm(nom="Haddad", prenom="Amina", groupe="Groupe A", date_inscription=date(2025, 11, 17),
                           enfants=[{"prenom": "Nour", "classe": "CP", "uai_ecole": "0819109L"}], langue_fiche=langue)
    contexte = _contexte(**form.model_dump()) | {"conservation_mois": 18, "contact_donnees": "dpd@ac-test.fr"}
    texte = _notice_imprimee(_xml(render.rendre("fiche_inscription", contexte)))
    textes = [traduction("fr")["fiche_inscription"]] + ([] if langue == "fr" else [traduction(langue)["fiche_inscription"]])
    for t in textes:
        for cle in ("donnees_titre", "donnees_responsable", "donnees_destinataires", "donnees_conservation",
                    "donnees_droits"):
            attendu = t[cle].replace("{mois}", "18").replace("{contact}", "dpd@ac-test.fr").replace("{academie}", "Toulouse")
            assert attendu in texte, (langue, cle)
    assert "{mois}" not in texte and "{contact}" not in texte and "{academie}" not in texte
