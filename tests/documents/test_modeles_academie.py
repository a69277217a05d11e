"""An académie's own templates, checked before they are accepted: DOCX files generated here with python-docx (no
committed binary), with the odd structures Word produces or a person types — placeholders split across runs, nested
tables, headers and footers with variables, unknown filters, syntax errors, unknown variables, loops and conditions,
images — each accepted, or refused with its French reason, never a crash; an accepted one prints what the built-in
template prints; random tag soup in random runs is accepted or refused with ErreursSaisie, nothing else."""

import io
import zipfile

import pytest
from docx import Document as Docx
from docx.shared import Cm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from documents import render
from forms.base import ErreursSaisie
from tests.documents.test_documents import _attestation
from workflow import modeles

REQUIS = "{{ parent_prenom }} {{ parent_nom }}, {{ signataire }} : {{ minutes_presentes|duree }}"


def _docx(construire) -> bytes:
    document = Docx()
    construire(document)
    sortie = io.BytesIO()
    document.save(sortie)
    return sortie.getvalue()


def _paragraphe_en_runs(conteneur, *morceaux: str):
    """One paragraph whose text is cut into runs where Word would cut it (a spell-check, a change of format)."""
    p = conteneur.add_paragraph()
    for k, morceau in enumerate(morceaux):
        p.add_run(morceau).bold = k % 2 == 1
    return p


def _png() -> bytes:
    sortie = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 0, 145)).save(sortie, "PNG")
    return sortie.getvalue()


def _simple(*lignes: str, en_tete: str = "", pied: str = ""):
    def construire(d):
        for ligne in (REQUIS, *lignes):
            d.add_paragraph(ligne)
        if en_tete:
            d.sections[0].header.paragraphs[0].text = en_tete
        if pied:
            d.sections[0].footer.paragraphs[0].text = pied
    return construire


def _coupe(d):
    _paragraphe_en_runs(d, "{{ parent_", "prenom }} {", "{ parent_nom", " }}, {{ signa", "taire }} : {{ minutes_presentes|", "duree }}")


def _tableaux_imbriques(d):
    d.add_paragraph(REQUIS)
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "{{ etablissement.nom }}"
    interieure = table.cell(0, 1).add_table(rows=1, cols=1)
    interieure.cell(0, 0).text = "{{ etablissement.commune }} ({{ etablissement.uai }})"


def _boucle_de_lignes(champ: str):
    def construire(d):
        d.add_paragraph(REQUIS)
        table = d.add_table(rows=3, cols=2)
        table.cell(0, 0).text = "{%tr for c in contacts %}"
        table.cell(1, 0).text = "{{ c.nom }}"
        table.cell(1, 1).text = "{{ c." + champ + " }}"
        table.cell(2, 0).text = "{%tr endfor %}"
    return construire


def _conditions(d):
    d.add_paragraph(REQUIS)
    d.add_paragraph("{%p if assiduite %}")
    d.add_paragraph("Formation suivie avec assiduité ({{ date_debut|periode(date_fin) }}).")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{% for r in references_reglementaires %}{{ loop.index }}. {{ r|upper }}{% endfor %}")
    d.add_paragraph("{{ 'assidu' if assiduite else 'non assidu' }} — {{ etablissement.circonscription_ien or '—' }}")


def _image(d):
    d.add_paragraph(REQUIS)
    d.add_picture(io.BytesIO(_png()), width=Cm(3))
    d.sections[0].header.paragraphs[0].add_run().add_picture(io.BytesIO(_png()), width=Cm(2))


ACCEPTES = {
    "placeholders coupés en plusieurs runs": _coupe,
    "tableaux imbriqués": _tableaux_imbriques,
    "en-tête et pied de page avec variables": _simple(en_tete="{{ etablissement.nom }} — {{ academie }}", pied="{{ reference }}"),
    "boucle de lignes {%tr %}": _boucle_de_lignes("fonction"),
    "boucles et conditions": _conditions,
    "images": _image,
    "filtres de Jinja permis": _simple("{{ parent_nom|upper }} {{ contacts|length }} {{ signataire|default('—') }}"),
}

REFUSES = {
    "filtre inconnu": (_simple("{{ date_debut|date_anglaise }}"), "le filtre « date_anglaise » n'existe pas"),
    "variable inconnue": (_simple("Né(e) le {{ date_naissance|date_fr }}"), "la variable « date_naissance » n'existe pas"),
    "variable inconnue dans l'en-tête": (_simple(en_tete="{{ logo_rectorat }}"), "l'en-tête n° 1, « {{ logo_rectorat }} »"),
    "variable inconnue dans le pied de page": (_simple(pied="{{ numero_page }}"), "du pied de page n° 1"),
    "champ inconnu d'une ligne": (_boucle_de_lignes("adresse"), "« c.adresse » n'existe pas (les champs de « c » sont"),
    "champ inconnu d'une fiche": (_simple("{{ etablissement.adresse }}"), "« etablissement.adresse » n'existe pas"),
    "liste lue sans boucle": (_simple("{{ contacts.nom }}"), "« contacts » est une liste"),
    "bloc non fermé": (_simple("{% if assiduite %}assidu"), "un bloc n'est jamais fermé : « {% endif %} » manque"),
    "balise non fermée": (_simple("{{ parent_nom "), "« }} » manque"),
    "balise inconnue": (_simple("{% sinon %}"), "la balise « {% sinon %} » n'existe pas"),
    "fin sans début": (_simple("{% endfor %}"), "« {% endfor %} » ferme un bloc qui n'a pas été ouvert"),
    "{%tr %} hors d'un tableau": (_simple("{%tr for c in contacts %}"), "doit être seule dans une ligne de tableau"),
    "safe": (_simple("{{ parent_nom|safe }}"), "le filtre « safe » imprimerait la valeur sans l'échapper"),
    "autoescape désactivé": (_simple("{% autoescape false %}{{ parent_nom }}{% endautoescape %}"), "« {% autoescape %} »"),
    "appel de méthode": (_simple("{{ parent_nom.upper() }}"), "les appels de fonction ne sont pas admis"),
    "attribut interne": (_simple("{{ parent_nom.__class__ }}"), "un nom qui commence par « _ » n'est pas admis"),
    "contenu brut {{r }}": (_simple("{{r parent_nom }}"), "insérerait du contenu brut"),
    "include": (_simple("{% include 'autre.docx' %}"), "« {% include %} » n'est pas admis"),
    "variable obligatoire absente": (lambda d: d.add_paragraph("{{ parent_prenom }} {{ parent_nom }} {{ signataire }}"),
                                     "la variable « minutes_presentes » est obligatoire"),
}


@pytest.mark.parametrize("cas", sorted(ACCEPTES))
def test_modele_accepte(cas):
    rendu = modeles.verifier("attestation", "attestation.docx", _docx(ACCEPTES[cas]))
    assert rendu[:2] == b"PK"


@pytest.mark.parametrize("cas", sorted(REFUSES))
def test_modele_refuse_avec_sa_raison(cas):
    construire, raison = REFUSES[cas]
    with pytest.raises(ErreursSaisie) as refus:
        modeles.verifier("attestation", "mon-attestation.docx", _docx(construire))
    assert any(raison in m for m in refus.value.messages), refus.value.messages
    assert all(m.startswith("« mon-attestation.docx » : ") and "Traceback" not in m for m in refus.value.messages)


def test_le_lieu_de_l_erreur_est_dit_en_mots():
    """Where a tag is wrong: the paragraph, in a table or not, and the text around — never an XML line number."""
    def construire(d):
        d.add_paragraph(REQUIS)
        d.add_paragraph("Texte sans balise.")
        table = d.add_table(rows=1, cols=1)
        table.cell(0, 0).text = "Établi à {{ etablissement.ville }} le jour même"
    with pytest.raises(ErreursSaisie) as refus:
        modeles.verifier("attestation", "a.docx", _docx(construire))
    (message,) = refus.value.messages
    assert "le paragraphe 3 du corps du document (dans un tableau), « Établi à {{ etablissement.ville }} le jour même »" in message


def _zip(**parties: bytes) -> bytes:
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w") as z:
        for nom, contenu in parties.items():
            z.writestr(nom, contenu)
    return sortie.getvalue()


@pytest.mark.parametrize(("nom", "contenu", "raison"), [
    ("modele.pdf", b"%PDF-1.7", "au format .docx"),
    ("modele.docx", b"", "le fichier est vide"),
    ("modele.docx", b"%PDF-1.7\n", "contient un PDF"),
    ("modele.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "document Word ancien (.doc)"),
    ("modele.docx", b"pas un document", "n'est pas un document Word lisible"),
    ("modele.docx", _zip(**{"a.txt": b"x"}), "une archive ZIP mais pas un document Word"),
    ("modele.docx", _zip(**{"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w:document"}), "abîmé"),
    ("modele.docx", b"PK" + b"\0" * (11 * 1024 * 1024), "10 Mo au plus"),
])
def test_fichier_qui_n_est_pas_un_docx(nom, contenu, raison):
    with pytest.raises(ErreursSaisie) as refus:
        modeles.verifier("attestation", nom, contenu)
    assert raison in refus.value.messages[0], refus.value.messages


def _texte(docx: bytes) -> list[str]:
    document = Docx(io.BytesIO(docx))
    cellules = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return [p.text for p in document.paragraphs if p.text.strip()] + cellules


def test_accepte_imprime_ce_que_le_modele_integre_imprime():
    """The built-in attestation with one sentence added, as a DAEPS would in Word: accepted, and filled with the same
    data it prints the built-in's text and the sentence."""
    document = Docx(io.BytesIO(render.octets_gabarit_integre("attestation")))
    document.add_paragraph("Cette attestation est délivrée par la DAEPS de l'académie de {{ academie }}.")
    sortie = io.BytesIO()
    document.save(sortie)
    modifie = sortie.getvalue()
    modeles.verifier("attestation", "attestation.docx", modifie)
    contexte = _attestation()
    integre, propre = _texte(render.rendre("attestation", contexte)), _texte(render.rendre("attestation", contexte, modifie))
    assert [t for t in propre if "délivrée par la DAEPS" not in t] == integre
    assert "Cette attestation est délivrée par la DAEPS de l'académie de Toulouse." in propre


def test_un_modele_neuf_imprime_les_memes_valeurs():
    """A template written from scratch, its placeholders split across runs, in a table and a header: the values it
    prints are those the built-in prints for the same data."""
    def construire(d):
        _coupe(d)
        table = d.add_table(rows=1, cols=1)
        table.cell(0, 0).text = "{{ date_debut|periode(date_fin) }}"
        d.sections[0].header.paragraphs[0].text = "{{ etablissement.nom }}"
    neuf = _docx(construire)
    modeles.verifier("attestation", "neuf.docx", neuf)
    contexte = _attestation()
    texte_integre = "\n".join(_texte(render.rendre("attestation", contexte)))
    rendu = Docx(io.BytesIO(render.rendre("attestation", contexte, neuf)))
    valeurs = [rendu.paragraphs[0].text, rendu.tables[0].cell(0, 0).text]
    assert valeurs[0] == "Zoé " + render.isoler(contexte["parent_nom"]) + ", Claire Martin : 52 h 20"
    assert "52 h 20" in texte_integre and contexte["parent_nom"] in texte_integre
    assert valeurs[1] == "du 17 novembre 2025 au 19 juin 2026" and valeurs[1] in texte_integre
    assert rendu.sections[0].header.paragraphs[0].text == render.isoler(contexte["etablissement"]["nom"])


def test_catalogue_telechargeable_derive_des_formulaires():
    """Word and CSV say the same: every variable of every type, the shared context once, the filters with what they print."""
    import csv

    from forms.atelier import AttestationForm

    lignes = list(csv.reader(io.StringIO(modeles.catalogue_csv().decode("utf-8-sig")), delimiter=";"))
    attestation = [ligne for ligne in lignes if ligne and ligne[0] == "Attestation de suivi de formation"]
    assert {ligne[1] for ligne in attestation} == {"{{ " + n + " }}" for n in AttestationForm.model_fields if n != "auditeur_id"}
    assert ["Attestation de suivi de formation", "{{ parent_nom }}", "Nom du parent", "texte", "Haddad", "oui"] in lignes
    assert sum(ligne[1] == "{{ academie }}" for ligne in lignes if len(ligne) > 1) == 1
    assert ["periode", "{{ date_debut|periode(date_fin) }}", "Une période entre deux dates", "du 17 novembre 2025 au 19 juin 2026"] in lignes
    document = Docx(io.BytesIO(modeles.catalogue_docx()))
    cellules = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert {ligne[1] for ligne in lignes[1:] if len(ligne) > 4 and ligne[1].startswith("{{")} <= cellules
    assert {"{% for g in groupes %} … {% endfor %}", "{{ g.libelle }} — dans {% for g in groupes %}",
            "{{ c.jour }} — dans {% for c in g.creneaux %}"} <= cellules


# --- Random tag soup ------------------------------------------------------------------------------

MORCEAUX = ["{{", "}}", "{%", "%}", "{#", "#}", "{%p ", "{%tr ", "{%tc ", "{%r ", "{{r ", "|", "|safe", "|date_fr", "|inconnu",
            " for ", " in ", " endfor ", " if ", " endif ", " else ", " autoescape false ", " set ", "=", "(", ")", ".", "_",
            "'", '"', "[", "]", "~", "-", " parent_nom ", " contacts ", " c.nom ", " loop.index ", " etablissement ",
            " inconnue ", "__class__", " raw ", " endraw ", "<w:p>", "&", "é", "\u202e", " ", "0", "é€"]
SOUPE = st.lists(st.sampled_from(MORCEAUX), min_size=1, max_size=8).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(insertions=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 5), SOUPE), min_size=1, max_size=4))
def test_soupe_de_balises_acceptee_ou_refusee_jamais_une_exception(insertions):
    def construire(d):
        d.sections[0].header.paragraphs[0].text = "{{ etablissement.nom }}"
        _coupe(d)
        _boucle_de_lignes("fonction")(d)
        d.add_paragraph("{%p if assiduite %}")
        _paragraphe_en_runs(d, "Assidu ", "{{ date_debut|", "date_fr }}")
        d.add_paragraph("{%p endif %}")
        runs = [r for p in d.paragraphs for r in p.runs] + [r for t in d.tables for c in t._cells for p in c.paragraphs
                                                          for r in p.runs] + d.sections[0].header.paragraphs[0].runs
        for run_au_hasard, position, soupe in insertions:
            run = runs[run_au_hasard % len(runs)]
            k = min(position, len(run.text))
            run.text = run.text[:k] + soupe + run.text[k:]
    contenu = _docx(construire)
    try:
        modeles.verifier("attestation", "soupe.docx", contenu)
    except ErreursSaisie as refus:
        assert refus.messages and all(m.startswith("« soupe.docx » : ") for m in refus.messages)


def test_un_modele_de_l_academie_imprime_aussi_la_signature_de_son_signataire():
    """An académie's template is filled in Jinja's sandbox: the signatory's image still prints where its block says."""

    from forms.contexte import ImageDocument
    from tests.support.images import signature_png
    from workflow import modeles

    contexte = modeles.donnees_exemple("attestation") | {"signature_porteur": ImageDocument(signature_png((0, 0, 120)), 40)}
    rendu = render.rendre("attestation", contexte, gabarit=render.octets_gabarit_integre("attestation"))
    assert [n for n in zipfile.ZipFile(io.BytesIO(rendu)).namelist() if n.startswith("word/media/")] == ["word/media/image1.png"]


def _sans(contenu: bytes, variable: str) -> bytes:
    """The template with every use of `variable` replaced by « academie » (in its body, headers and footers)."""
    import re

    sortie = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(contenu)) as source, zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as cible:
        for nom in source.namelist():
            donnees = source.read(nom)
            if nom.startswith("word/") and nom.endswith(".xml"):
                donnees = re.sub(rf"(?<![\w.]){variable}(?!\w)", "academie", donnees.decode()).encode()
            cible.writestr(nom, donnees)
    return sortie.getvalue()


@pytest.mark.parametrize("type_document", modeles.types_de_document())
def test_le_modele_integre_est_accepte_et_chaque_variable_obligatoire_est_exigee(type_document):
    """The built-in template of every type passes the checks an uploaded one goes through (an académie may start from
    it as it is); without any one of its type's required variables, it is refused naming that variable."""
    from documents.catalogue import obligatoires

    integre = render.octets_gabarit_integre(type_document)
    modeles.verifier(type_document, f"{type_document}.docx", integre)
    assert obligatoires(type_document), "every document type declares what it cannot go without"
    for variable in sorted(obligatoires(type_document)):
        with pytest.raises(ErreursSaisie) as refus:
            modeles.verifier(type_document, f"{type_document}.docx", _sans(integre, variable))
        assert any(f"« {variable} » est obligatoire" in m for m in refus.value.messages), refus.value.messages
