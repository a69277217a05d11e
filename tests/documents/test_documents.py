"""Documents: template contract with form models, safe rendering of hostile text, immutable storage,
and real PDF conversion by LibreOffice showing the hostile characters."""

import io
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as LireDocx

from documents import pdf, render, stockage
from documents.catalogue import GABARITS
from documents.gabarits import chemin_gabarit, construire
from forms.contexte import ContexteCommun, EtablissementContexte
from tests.conftest import exiger_outil, libreoffice_present
from workflow.etapes import ETAPES

HOSTILE = "Dupont & Fils <SARL> \"Le Bon\" l'atelier\nligne 2 — émoji 😀 — العربية — Кириллица — ⵜⴰⵎⴰⵣⵉⵖⵜ"


def _champs_form(form) -> set[str]:
    """The fields a document may print: all but those that only designate a record (forms.base.designation)."""
    return {n for n, i in form.model_fields.items() if not (i.json_schema_extra or {}).get("designation")} | set(
        form.model_computed_fields)


def ecarts_de_contrat(etape) -> list[str]:
    """What breaks the contract between a step's form and its templates: a variable no field or shared context
    provides, or a field the documents never print."""
    fournis = _champs_form(etape.form) | set(ContexteCommun.model_fields)
    ecarts, utilises = [], set()
    for cle in etape.gabarits:
        variables = render.variables_gabarit(cle)
        ecarts += [f"{cle} : variable sans source « {v} »" for v in sorted(variables - fournis)]
        utilises |= variables
    if etape.gabarits:
        ecarts += [f"{etape.cle} : champ absent des documents « {c} »" for c in sorted(_champs_form(etape.form) - utilises)]
    return ecarts


@pytest.mark.parametrize("etape", [e for e in ETAPES if e.gabarits], ids=lambda e: e.cle)
def test_contrat_gabarits_formulaire(etape):
    """Each template uses only form fields + shared context, and every form field appears in the documents."""
    assert ecarts_de_contrat(etape) == []


def test_chaque_gabarit_declare_est_utilise_par_une_etape():
    assert {g for e in ETAPES for g in e.gabarits} == set(GABARITS)


@pytest.mark.parametrize("cle", sorted(GABARITS))
def test_gabarits_commites_a_jour(cle, tmp_path):
    """templates_docx/*.docx are what documents/catalogue.py declares (rebuild: python -m documents.catalogue)."""
    neuf = tmp_path / f"{cle}.docx"
    construire(GABARITS[cle], neuf)

    def parties(chemin: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(chemin) as z:
            return {n: z.read(n) for n in z.namelist() if n.startswith("word/")}

    assert parties(neuf) == parties(chemin_gabarit(cle))


def _contexte(**form) -> dict:
    commun = ContexteCommun(
        academie="Toulouse", ville_rectorat="Toulouse", annee_scolaire="2025-2026", date_document=date(2025, 10, 1),
        reference="OEPRE/TEST", references_reglementaires=["Circulaire de test"], taux_horaire=Decimal("29.54"),
        etablissement=EtablissementContexte(uai="0310001H", nom=HOSTILE, type_libelle="École", commune="Toulouse",
                                            departement="Haute-Garonne (31)"))
    return commun.model_dump() | form


def _attestation(**extra) -> dict:
    from forms.atelier import AttestationForm

    form = AttestationForm(auditeur_id=1, parent_nom=HOSTILE, parent_prenom="Zoé", date_debut=date(2025, 11, 17), date_fin=date(2026, 6, 19),
                           minutes_presentes=52 * 60 + 20, minutes_proposees=80 * 60, assiduite=True,
                           signataire="Claire Martin", fonction_signataire="Directrice", **extra)
    return _contexte(**form.model_dump())


def test_rendu_texte_hostile_intact():
    contenu = render.rendre("attestation", _attestation())
    texte = "\n".join(p.text for p in LireDocx(io.BytesIO(contenu)).paragraphs)
    assert "Dupont & Fils <SARL> \"Le Bon\" l'atelier" in texte
    assert "العربية — Кириллица — ⵜⴰⵎⴰⵣⵉⵖⵜ" in texte
    assert "52 h 20 de formation sur 80 h proposées" in texte
    assert "1er octobre 2025" in texte and "17 novembre 2025" in texte
    assert "Cette formation a été suivie avec assiduité." in texte


@pytest.mark.parametrize("sans_valeurs_par_defaut", [False, True])
def test_un_modele_en_anglais_est_rendu_en_francais_et_titre(sans_valeurs_par_defaut):
    """A model written in an English Word (an académie's upload, python-docx's own template: en-US, no title), or with no
    default run properties at all, comes out declaring French and titled as its document type."""
    from docx.oxml.ns import qn

    doc = LireDocx()
    doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).set(
        qn("w:val"), "en-US")
    if sans_valeurs_par_defaut:
        doc.styles.element.remove(doc.styles.element.find(qn("w:docDefaults")))
    render.titrer_en_francais(doc, "avis_dasen")
    tampon = io.BytesIO()
    doc.save(tampon)
    relu = LireDocx(tampon)
    langues = {e.get(qn("w:val")) for e in relu.styles.element.iter(qn("w:lang"))}
    assert langues == {"fr-FR"}
    assert (relu.core_properties.language, relu.core_properties.title) == ("fr-FR", "Avis de l'IA-DASEN")
    rendu = LireDocx(io.BytesIO(render.rendre("attestation", _attestation())))
    assert (rendu.core_properties.language, rendu.core_properties.title) == ("fr-FR", "Attestation de suivi de formation")


def test_variable_manquante_est_une_erreur():
    ctx = _attestation()
    del ctx["signataire"]
    with pytest.raises(render.ErreurRendu, match="variable manquante"):
        render.rendre("attestation", ctx)


def test_filtres_francais():
    assert render.montant(Decimal("1772.4")) == "1\u202f772,40\xa0€"
    assert render.date_fr(date(2026, 7, 1)) == "1er juillet 2026"
    assert render.heures(Decimal("60.00")) == "60"
    assert render.mois_fr(date(2025, 11, 1)) == "novembre 2025"


def test_stockage_immuable_et_atomique(tmp_path):
    stockage.DepotFichiers(tmp_path).ecrire("a/doc-v1.docx", b"version 1")
    with pytest.raises(stockage.FichierExistant):
        stockage.DepotFichiers(tmp_path).ecrire("a/doc-v1.docx", b"autre contenu")
    assert (tmp_path / "a/doc-v1.docx").read_bytes() == b"version 1"
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["doc-v1.docx"]  # no temp file left behind
    with pytest.raises(OSError, match="altéré"):
        stockage.DepotFichiers(tmp_path).lire("a/doc-v1.docx", stockage.sha256(b"autre"))


def test_libreoffice_absent_message_clair():
    with pytest.raises(pdf.LibreOfficeAbsent, match="LibreOffice n'est pas installé"):
        pdf.convertir_froid(b"PK", soffice="soffice-introuvable")
    conv = pdf.ConvertisseurPersistant(soffice="soffice-introuvable")
    with pytest.raises(pdf.LibreOfficeAbsent):
        conv.convertir(b"PK")


def _texte_pdf(contenu: bytes, tmp_path: Path) -> str:
    chemin = tmp_path / "x.pdf"
    chemin.write_bytes(contenu)
    return subprocess.run(["pdftotext", "-layout", str(chemin), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.libreoffice
def test_pdf_montre_les_caracteres_hostiles(tmp_path):
    exiger_outil(libreoffice_present(), "LibreOffice absent")
    conv = pdf.ConvertisseurPersistant()
    try:
        contenu = conv.convertir(render.rendre("attestation", _attestation()))
    finally:
        conv.arreter()
    assert contenu[:5] == b"%PDF-"
    texte = _texte_pdf(contenu, tmp_path)
    assert "Dupont & Fils <SARL> \"Le Bon\" l'atelier" in texte
    assert "Кириллица" in texte and "1er octobre 2025" in texte
    assert conv.echecs == 0  # the persistent converter did the work, not the cold fallback
    # Arabic comes out of pdftotext in visual order; the glyphs must be there
    assert all(lettre in texte for lettre in "عربية")


def test_filtres_accords_et_formats():
    """French agreement and formats the documents print, over generated cases."""
    from datetime import timedelta

    from forms.vocabulaire import Fonction

    for dixiemes in range(0, 50, 5):
        valeur = Decimal(dixiemes) / 10
        assert render.nb_heures(valeur).endswith(" heure" if valeur < 2 else " heures"), valeur
    assert render.nb_heures(0) == "0 heure" and render.nb_heures(Decimal("60")) == "60 heures"
    for k in range(0, 400, 37):
        jour = date(2025, 9, 1) + timedelta(days=k)
        assert render.periode(jour, jour) == f"le {render.date_fr(jour)}"
        assert render.periode(jour, jour + timedelta(days=3)).startswith(f"du {render.date_fr(jour)} au ")
    for graine in range(1, 10):
        chiffres = f"{graine}{graine * 12345678 % 100000000:08d}"
        paires = " ".join(chiffres[1:][i:i + 2] for i in range(0, 8, 2))
        assert render.telephone("0" + chiffres) == f"0{chiffres[0]} {paires}"
        assert render.telephone("+33" + chiffres) == render.telephone("0033 " + chiffres) == f"+33 {chiffres[0]} {paires}"
    assert render.telephone(None) == "—" and render.telephone("12 34") == "12 34"
    for fonction in [*(f.libelle for f in Fonction), "responsable de l'établissement", "Directrice"]:
        for nom in ("École élémentaire des Tilleuls", "Collège Jean-Jaurès", "Lycée Bellevue", "Saint-Exupéry"):
            phrase = render.qualite(fonction, nom)
            assert " / " not in phrase and "de École" not in phrase and "de Collège" not in phrase, phrase
            assert "d'école de" not in phrase and phrase[0].islower(), phrase
    assert render.qualite("Directrice", "École élémentaire des Tilleuls") == "directrice de l'École élémentaire des Tilleuls"
    assert render.qualite("Principal(e)", "Collège Jean-Jaurès") == "principal(e) du collège Jean-Jaurès"


@pytest.mark.parametrize("cle", sorted(GABARITS))
def test_le_titre_rendu_est_celui_du_type_de_document(cle):
    from documents.catalogue import libelle_document

    assert render.titre_du_type(cle) == libelle_document(cle)
