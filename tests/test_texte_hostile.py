"""Hostile text, generated (hypothesis): controls, bidirectional overrides, formula prefixes, Jinja and XML syntax, emoji
and every script, fed into every text field of every form of the step table, into page-level free text and into the
directory import. Either a French refusal naming the field, or the value kept as typed after the text rule of
forms.base — printed as such in the documents (python-docx opens them) — and CSV / XLSX cells that no spreadsheet runs."""

import csv
import io
import re
import typing
import unicodedata
from decimal import Decimal

import pytest
from docx import Document as LireDocx
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from pydantic import BaseModel

from documents import render, tableur
from forms.base import ErreursSaisie, Multiligne, _texte, _texte_long, lettre_cle_uai, normaliser_uai, valider
from forms.exemples import deballer, exemple  # noqa: F401 - exemple: tests.documents.test_documents_finis
from tests.conftest import exiger_outil, libreoffice_present
from tests.documents.test_documents import _contexte
from workflow import revue, services
from workflow.etapes import ETAPES
from workflow.noyau import moteur

# --- Generated hostile text -------------------------------------------------------------------------------

FORMULES = ["=", "+", "-", "@", "\t", "\r", "=HYPERLINK(\"http://x.example\";\"clic\")", "=cmd|' /C calc'!A0", "@SUM(A1)",
            "+33 6 12 34 56 78", "-12,5", " =1+1"]
GABARITS = ["{{ x }}", "{% if 1 %}", "{%", "}}", "{#", "<w:t>", "</w:p>", "&amp;", "]]>", "<![CDATA[", "\"'"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"]
LIGNES = ["\n", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]
ECRITURES = ["فاطمة الزهراء", "Amina بنت Haddad", "עברית", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "中文", "Кириллица", "e\u0301", "ش\u0651", "١٢٣",
             "خانم\u200cها", "😀", "👍🏽", "👨\u200d👩\u200d👧", "🇫🇷", "Zoé"]
INTERDITS = ["\x00", "\x01", "\x07", "\x08", "\x1b", "\x1f", "\x7f", "\x80", "\x9b", "\ud800", "\ufffe", "\uffff"]

# Any character but controls, surrogates and unassigned code points (so every script, combining marks, format characters).
_CARACTERES = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn"))
_MORCEAU = st.one_of(st.sampled_from(FORMULES + GABARITS + BIDI + LIGNES + ECRITURES), st.text(_CARACTERES, max_size=5))
TEXTE_PERMIS = st.lists(_MORCEAU, max_size=6).map("".join)
TEXTE_INTERDIT = st.tuples(TEXTE_PERMIS, st.sampled_from(INTERDITS), TEXTE_PERMIS).map("".join)
TEXTE_HOSTILE = st.one_of(TEXTE_PERMIS, TEXTE_INTERDIT)
REGLAGES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REGLAGES_BASE = settings(max_examples=10, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

FSI, PDI = "\u2068", "\u2069"
_INTERDIT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def attendu(texte: str, multiligne: bool) -> str:
    """The text rule of forms.base, written again from its documentation (the test's oracle)."""
    texte = re.sub("\r\n|[\r\x0b\x0c\x85\u2028\u2029]", "\n", texte)
    texte = re.sub("[\u202a-\u202e\u2066-\u2069]", "", texte)
    if not multiligne:
        texte = re.sub("[\n\t]", " ", texte)
    return unicodedata.normalize("NFC", texte).strip()


# --- Every text field of every form of the step table, found generically ----------------------------------


def _est_texte(metadata) -> str | None:
    fonctions = {getattr(m, "func", None) for m in metadata}
    if _texte_long in fonctions or any(isinstance(m, Multiligne) for m in metadata):
        return "long"
    return "court" if _texte in fonctions else None


def _longueurs(metadata) -> tuple[int, int | None]:
    return (next((m.min_length for m in metadata if getattr(m, "min_length", None) is not None), 0),
            next((m.max_length for m in metadata if getattr(m, "max_length", None) is not None), None))


def chemins_texte(modele: type[BaseModel], prefixe=(), titres=()):
    """(path, French label path, one-line/multi-line, min, max, printed) of every text field, nested ones included."""
    for nom, info in modele.model_fields.items():
        inner, metadata = deballer(info.annotation)
        metadata = metadata + list(info.metadata)
        titre = info.title or nom
        imprime = not (info.json_schema_extra or {}).get("designation")
        if typing.get_origin(inner) is list:
            element, meta_element = deballer(typing.get_args(inner)[0])
            if isinstance(element, type) and issubclass(element, BaseModel):
                yield from chemins_texte(element, (*prefixe, nom, 0), (*titres, titre, "n° 1"))
            elif sorte := _est_texte(meta_element):
                yield ((*prefixe, nom, 0), (*titres, titre, "n° 1"), sorte, *_longueurs(meta_element), imprime)
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from chemins_texte(inner, (*prefixe, nom), (*titres, titre))
        elif sorte := _est_texte(metadata):
            yield ((*prefixe, nom), (*titres, titre), sorte, *_longueurs(metadata), imprime)


def _poser(donnees: dict, chemin: tuple, valeur) -> None:
    for cle in chemin[:-1]:
        donnees = donnees[cle]
    donnees[chemin[-1]] = valeur


def _lire(objet, chemin: tuple):
    for cle in chemin:
        objet = objet[cle] if isinstance(cle, int) else getattr(objet, cle)
    return objet


def _a_ses_validateurs(modele, chemin) -> bool:
    """True when the field has a validator of its own (e-mail, telephone, IBAN…): hostile text is then refused."""
    noms = [c for c in chemin if not isinstance(c, int)]
    for nom in noms[:-1]:
        modele = deballer(modele.model_fields[nom].annotation)[0]
        if typing.get_origin(modele) is list:
            modele = deballer(typing.get_args(modele)[0])[0]
    info = modele.model_fields[noms[-1]]
    if any(type(m).__name__ == "AfterValidator" for m in deballer(info.annotation)[1] + list(info.metadata)):
        return True  # a checking type (forms.base.Courriel)
    return any(noms[-1] in d.info.fields for d in modele.__pydantic_decorators__.field_validators.values())


FORMULAIRES = sorted({e.form for e in ETAPES}, key=lambda f: f.__name__)
CHAMPS = [(f, *c) for f in FORMULAIRES for c in chemins_texte(f)]


def test_chaque_formulaire_a_un_exemple_valide_et_tout_texte_suit_la_regle():
    """The generic example is valid for every form, and no field a person types is a bare str (it would escape the text
    rule); fields the service fills (systeme) hold text that already went through it, and are printed by render.isoler."""
    for form in FORMULAIRES:
        valider(form, exemple(form))
    assert len(CHAMPS) > 80

    def chaines_nues(modele, vus=()):
        for nom, info in modele.model_fields.items():
            if (info.json_schema_extra or {}).get("systeme"):
                continue
            inner, metadata = deballer(info.annotation)
            if typing.get_origin(inner) is list:
                inner, metadata = deballer(typing.get_args(inner)[0])
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in vus:
                yield from chaines_nues(inner, (*vus, inner))
            elif inner is str and not any(getattr(m, "func", None) in (_texte, _texte_long, normaliser_uai) for m in
                                          metadata + list(info.metadata)) and "annee_scolaire" != nom:
                yield f"{modele.__name__}.{nom}"

    assert [c for f in FORMULAIRES for c in chaines_nues(f)] == []


def _refus_nomme(exc: ErreursSaisie, titres: tuple) -> bool:
    libelle = " › ".join(titres)
    return any(m.startswith(f"« {libelle} » : ") for m in exc.messages)


@pytest.mark.parametrize(("form", "chemin", "titres", "sorte", "minimum", "maximum", "imprime"), CHAMPS,
                         ids=[f"{c[0].__name__}.{'.'.join(map(str, c[1]))}" for c in CHAMPS])
@REGLAGES
@given(texte=TEXTE_HOSTILE)
def test_chaque_champ_texte_refuse_en_francais_ou_garde_le_texte(form, chemin, titres, sorte, minimum, maximum, imprime,
                                                                  texte):
    donnees = exemple(form)
    _poser(donnees, chemin, texte)
    try:
        valide = valider(form, donnees)
    except ErreursSaisie as exc:
        assert _refus_nomme(exc, titres), exc.messages
        prevu = None if _INTERDIT.search(texte) else attendu(texte, sorte == "long")
        assert prevu is None or len(prevu) < minimum or (maximum and len(prevu) > maximum) or _a_ses_validateurs(form, chemin)
        return
    assert not _INTERDIT.search(texte), "un caractère de contrôle est passé"
    valeur = _lire(valide, chemin) or ""  # an empty optional e-mail or telephone becomes None
    if not _a_ses_validateurs(form, chemin):  # an e-mail is lower-cased, a telephone compacted
        assert valeur == attendu(texte, sorte == "long")
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", valeur) and unicodedata.is_normalized("NFC", valeur)
    assert sorte == "long" or not re.search("[\n\t]", valeur)


# --- Documents: the value printed as typed, the fixed text untouched ---------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def texte_docx(contenu: bytes) -> str:
    """All the text python-docx reads in the body, tables, headers and footers (line breaks and tabs as typed);
    the isolates documents/render.py puts around right-to-left values are invisible and left out."""
    doc = LireDocx(io.BytesIO(contenu))
    racines = {id(r): r for r in [doc.element.body, *(p._element for s in doc.sections for p in (s.header, s.footer))]}
    paragraphes = []
    for racine in racines.values():
        for p in racine.iter(f"{W}p"):
            morceaux = []
            for n in p.iter(f"{W}t", f"{W}br", f"{W}tab"):
                if n.tag == f"{W}t":
                    morceaux.append(n.text or "")
                elif n.getparent().tag == f"{W}r":
                    morceaux.append("\n" if n.tag == f"{W}br" else "\t")
            paragraphes.append("".join(morceaux))
    return "\n".join(paragraphes).replace(FSI, "").replace(PDI, "")


ETAPES_A_DOCUMENTS = [e for e in ETAPES if e.gabarits]


def _champs_libres(form):
    return [c for c in chemins_texte(form) if not _a_ses_validateurs(form, c[0])]


@pytest.mark.parametrize("etape", ETAPES_A_DOCUMENTS, ids=lambda e: e.cle)
# Rendering is slow next to validation: few examples, and no shrinking (a failure prints its generated values anyway).
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(donnees=st.data())
def test_documents_impriment_le_texte_tel_que_saisi(etape, donnees):
    champs = _champs_libres(etape.form)
    entree = exemple(etape.form)
    for chemin, _, _, minimum, maximum, _ in champs:
        texte = donnees.draw(TEXTE_PERMIS.filter(lambda t, a=minimum, b=maximum: a <= len(t.strip()) and len(t) <= (b or 60)))
        _poser(entree, chemin, texte)
    try:
        form = valider(etape.form, entree)
    except ErreursSaisie as exc:
        titres = [" › ".join(c[1]) for c in champs]
        assert all(any(m.startswith(f"« {t} » : ") for t in titres) for m in exc.messages), exc.messages
        assume(False)
    fixes = {}
    for cle in etape.gabarits:
        fixes[cle] = texte_docx(render.rendre(cle, contexte_document(form)))
    tout = "\n".join(fixes.values())
    variables = set().union(*(render.variables_gabarit(c) for c in etape.gabarits))
    for chemin, _, _, _, _, imprime in champs:
        valeur = _lire(form, chemin)
        if imprime and chemin[0] in variables and valeur and chemin not in NON_IMPRIMES.get(etape.cle, ()):
            assert valeur in tout, (chemin, valeur)


# Fields printed only in another case than the generic example's (a refusal's reason when the decision is « retenu »…).
NON_IMPRIMES: dict[str, set[tuple]] = {}


def contexte_document(form) -> dict:
    """The shared context of tests/documents/test_documents.py (a hostile school name), the dossier's summary, the form."""
    dossier = {"numero": "OEPRE-2025-031-001", "etat": "depose", "nb_groupes": 1, "heures_total": Decimal("60"),
               "montant_demande": Decimal("1772.40"), "nb_parents_prevus": 12}
    return _contexte(dossier=dossier, **form.model_dump())


# The fixed words around a right-to-left or overriding value stay in reading order.
@pytest.mark.parametrize("nom", ["فاطمة الزهراء", "Amina بنت Haddad", "Dupont\u202e", "\u202bHaddad", "Martin 😀"])
def test_le_texte_fixe_autour_d_un_nom_reste_dans_l_ordre(nom):
    from forms.atelier import AttestationForm

    form = valider(AttestationForm, exemple(AttestationForm) | {"parent_nom": nom, "parent_prenom": "Zoé"})
    docx = render.rendre("attestation", _contexte(**form.model_dump()))
    texte = texte_docx(docx)
    assert "\u202e" not in texte and "\u202b" not in texte
    assert "atteste que" in texte and "de formation sur" in texte
    brut = LireDocx(io.BytesIO(docx))
    isoles = [p.text for p in brut.paragraphs if form.parent_nom in p.text]
    rtl = any(unicodedata.bidirectional(c) in ("R", "AL") for c in form.parent_nom)
    assert isoles and all((FSI + form.parent_nom + PDI in p) == rtl for p in isoles)


# --- Page-level free text and the database, on SQLite and PostgreSQL -------------------------------------------


def _document_a_relire(session):
    from sqlmodel import select

    from db.models import Document

    return session.exec(select(Document).order_by(Document.id)).first()


@REGLAGES_BASE
@given(texte=TEXTE_HOSTILE)
def test_commentaire_de_revue_et_motif_de_reouverture(demo, acteurs, texte):
    """A NUL or another control in a review comment or a reopening reason: a French message, never a DataError."""
    from sqlmodel import select

    from db.models import Campagne, RevueDocument

    document = _document_a_relire(demo)
    interdit = bool(_INTERDIT.search(texte))
    try:
        revue.reviser(demo, acteurs["daeps"], document_id=document.id, statut="approuve", commentaire=texte)
    except ErreursSaisie as exc:
        assert interdit and exc.messages[0].startswith("« Commentaire » : contient un caractère de contrôle interdit")
    else:
        assert not interdit
        derniere = demo.exec(select(RevueDocument).order_by(RevueDocument.id.desc())).first()
        demo.expire(derniere)
        assert derniere.commentaire == attendu(texte, True)
    assert isinstance(revue.documents(demo, acteurs["daeps"], uai=texte, etape=texte), list)  # a filter typed on the page
    campagne = demo.exec(select(Campagne)).one()
    motif = "Retard du courrier " + texte
    try:
        services.executer(demo, acteurs["pilote"], "rouvrir_depot", campagne_id=campagne.id, pdf_apres=False,
                          donnees={"jusqu_au": "2025-10-17", "motif": motif})
    except ErreursSaisie as exc:
        assert exc.messages[0].startswith("« Motif » : ")
        assert interdit or len(attendu(motif, True)) > 1000
    except moteur.EtapeRefusee:
        assert not interdit  # the text passed; only a guard of the step said no
    demo.rollback()


@REGLAGES_BASE
@given(nom=TEXTE_HOSTILE, commune=TEXTE_PERMIS)
def test_import_de_l_annuaire_hostile(demo, acteurs, nom, commune):
    """A new school's name from the directory: refused with its line number, or stored as typed after the rule."""
    from db.models import Etablissement
    from demarrage.demo import uai
    from workflow.selection import carte

    nouveau = uai("31", 4888)
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";", lineterminator="\n")
    ecrivain.writerow(["Identifiant_de_l_etablissement", "Nom_etablissement", "Type_etablissement", "Nom_commune",
                       "Code_departement", "Appartenance_Education_Prioritaire", "Mail", "latitude", "longitude"])
    ecrivain.writerow(["0310001" + lettre_cle_uai("0310001"), "École", "Ecole", "Toulouse", "031", "", "", "43,6", "1,4"])
    ecrivain.writerow([nouveau, "École " + nom, "Ecole", "Blagnac " + commune, "031", "", "", "43,64", "1,39"])
    try:
        # A lone surrogate cannot be in a UTF-8 file: written as such (surrogatepass), the file is not valid UTF-8.
        carte.importer_annuaire(demo, acteurs["admin"], sortie.getvalue().encode("utf-8", "surrogatepass"))
    except ErreursSaisie as exc:
        assert re.match(r"Ligne 3 : (« Nom_|le fichier n'est pas encodé en UTF-8|le fichier CSV est mal formé)",
                        exc.messages[0]), exc.messages
        assert "Rien n'a été importé" in exc.messages[-1]
        assert demo.get(Etablissement, nouveau) is None
        return
    cree = demo.get(Etablissement, nouveau)
    assert cree.nom == attendu("École " + nom, False) and cree.commune == attendu("Blagnac " + commune, False)
    demo.delete(cree)
    demo.commit()


# --- CSV and XLSX: no cell a spreadsheet would run -----------------------------------------------------------

_NOMBRE = re.compile(r"[+\-]?[\d\s().,/+\-]+")


def _cellule_csv_inerte(cellule: str) -> bool:
    debut = cellule.lstrip(" \u00a0\u202f")[:1]
    return (debut not in ("=", "+", "-", "@", "\t", "\r", "\n") or cellule.startswith("'")
            or (_NOMBRE.fullmatch(cellule.strip()) is not None and any(c.isdigit() for c in cellule)))


def _verifier_csv(contenu: bytes) -> list[list[str]]:
    lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    assert all(_cellule_csv_inerte(c) for ligne in lignes for c in ligne), [c for ligne in lignes for c in ligne
                                                                         if not _cellule_csv_inerte(c)]
    return lignes


def _verifier_xlsx(contenu: bytes) -> list:
    classeur = load_workbook(io.BytesIO(contenu))
    cellules = [c for feuille in classeur for ligne in feuille.iter_rows() for c in ligne if c.value is not None]
    assert all(c.data_type != "f" for c in cellules)
    for c in cellules:
        if isinstance(c.value, str):
            assert c.data_type == "s" and (not tableur.commence_comme_une_formule(c.value) or c.quotePrefix), c.value
    return cellules


@settings(max_examples=100, deadline=None)
@given(valeurs=st.lists(TEXTE_HOSTILE, min_size=1, max_size=5))
def test_ecrivains_csv_et_xlsx_rendent_toute_cellule_inerte(valeurs):
    sortie = io.StringIO()
    tableur.EcrivainCsv(sortie, delimiter=";").writerow(valeurs)
    (ligne,) = _verifier_csv(sortie.getvalue().encode())
    assert all(c in (t, "'" + t) for c, t in zip(ligne, (tableur.texte_imprimable(v) for v in valeurs), strict=True))
    classeur = Workbook()
    tableur.ajouter_ligne(classeur.active, [*valeurs, 12, Decimal("3.5")])
    fichier = io.BytesIO()
    classeur.save(fichier)
    cellules = _verifier_xlsx(fichier.getvalue())
    textes = [c.value for c in cellules if isinstance(c.value, str)]
    assert textes == [tableur.texte_imprimable(v) for v in valeurs if tableur.texte_imprimable(v)]


def test_un_numero_de_telephone_reste_lisible():
    assert tableur.cellule_csv("+33 6 12 34 56 78") == "+33 6 12 34 56 78"
    assert tableur.cellule_csv("-12,5") == "-12,5"
    assert tableur.cellule_csv("=1+1") == "'=1+1"
    assert tableur.cellule_csv("+33 6 12 34 56 78 =HYPERLINK()") == "'+33 6 12 34 56 78 =HYPERLINK()"
    assert tableur.cellule_csv("@SUM(A1)") == "'@SUM(A1)" and tableur.cellule_csv("\t=1") == "'\t=1"


@REGLAGES_BASE
@given(nom=TEXTE_HOSTILE, commune=TEXTE_HOSTILE, conditions=TEXTE_HOSTILE)
def test_exports_inertes_meme_pour_des_donnees_anciennes(demo, acteurs, nom, commune, conditions):
    """Text already in the database (written before the rule, controls included): every export still opens and no cell
    runs — the DAEPS workbook, the national survey's CSV and the public map's CSV."""
    from sqlmodel import select

    from db.models import Campagne, Decision, Dossier, Etablissement
    from workflow.cloture import exports
    from workflow.selection import carte

    # What a database can hold: no lone surrogate (not UTF-8) anywhere, no NUL in PostgreSQL text.
    interdits = "[\ud800-\udfff\x00]" if demo.get_bind().dialect.name == "postgresql" else "[\ud800-\udfff]"
    nom, commune, conditions = (re.sub(interdits, "", x) for x in (nom, commune, conditions))
    campagne = demo.exec(select(Campagne)).one()
    decision = demo.exec(select(Decision)).first()
    dossier = demo.get(Dossier, decision.dossier_id)
    etab = demo.get(Etablissement, dossier.uai)
    etab.nom, etab.commune, decision.conditions = ("=" + nom)[:150], ("+" + commune)[:80], "@" + conditions
    demo.add_all([etab, decision])
    demo.commit()
    cellules = _verifier_xlsx(exports.classeur_daeps(demo, acteurs["daeps"], campagne.id))
    assert tableur.texte_imprimable(etab.nom) in {c.value for c in cellules}
    _verifier_csv(exports.csv_enquete_nationale(demo, acteurs["pilote"], campagne.id))
    lignes = _verifier_csv(carte.csv_carte(carte.ateliers_publics(demo, campagne.id)))
    assert any(ligne[1] == "'" + tableur.texte_imprimable(etab.nom) for ligne in lignes[1:])


# --- A few real PDFs: LibreOffice draws what the DOCX says ------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.parametrize("nom", ["فاطمة الزهراء", "Amina بنت Haddad", "Dupont\u202e", "Martin 😀"])
def test_pdf_d_une_attestation_hostile(nom, tmp_path):
    import subprocess

    from documents import pdf
    from forms.atelier import AttestationForm

    exiger_outil(libreoffice_present(), "LibreOffice absent")
    form = valider(AttestationForm, exemple(AttestationForm) | {"parent_nom": nom, "parent_prenom": "Zoé",
                                                                  "signataire": "Claire Martin"})
    chemin = tmp_path / "a.pdf"
    chemin.write_bytes(pdf.convertir_froid(render.rendre("attestation", _contexte(**form.model_dump()))))
    texte = subprocess.run(["pdftotext", str(chemin), "-"], capture_output=True, text=True, check=True).stdout
    assert "atteste que" in texte and "de formation sur" in texte and "0310001H" in texte
    assert "etsetta" not in texte and "H1000130" not in texte
    if "😀" in nom:
        polices = subprocess.run(["pdffonts", str(chemin)], capture_output=True, text=True, check=True).stdout
        assert "Symbola" in polices, polices  # a font that draws the emoji (scripts/install-system.sh)
