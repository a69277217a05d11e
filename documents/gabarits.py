"""Builds the official-looking DOCX templates of templates_docx/ from short declarations.

Every template shares the same frame: the « RÉPUBLIQUE FRANÇAISE — Liberté Égalité Fraternité »
block, the académie block, place, date and reference, a title, the regulatory references, then its
sections and signature blocks. The .docx files are committed; `python -m documents.catalogue`
rebuilds them after a change here (a test checks they are up to date).
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx import Document as NouveauDocx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from forms.contexte import nom_image
from forms.vocabulaire import NatureImage, Signataire

DOSSIER = Path(__file__).resolve().parent.parent / "templates_docx"
BLEU_FRANCE = RGBColor(0x00, 0x00, 0x91)
GRIS = RGBColor(0x55, 0x55, 0x55)


@dataclass(frozen=True)
class Section:
    titre: "str | Bilingue"


@dataclass(frozen=True)
class Texte:
    texte: str
    gras: bool = False
    italique: bool = False


@dataclass(frozen=True)
class Bilingue:
    """French text, then, when the document is asked in a second language, the same text in that language in
    a paragraph of its own: right-to-left for Arabic or Dari, in a font that has the script. Used wherever a
    plain string is (texts, section titles, labels, column headers, signature lines)."""

    francais: str
    traduction: str  # a Jinja expression, e.g. « traduction.engagement »
    gras: bool = False
    italique: bool = False


@dataclass(frozen=True)
class Si:
    """Paragraphs kept only when a Jinja condition holds."""

    condition: str
    contenu: tuple


@dataclass(frozen=True)
class Champs:
    """A two-column table of label → value."""

    lignes: tuple[tuple["str | Bilingue", str], ...]


@dataclass(frozen=True)
class Tableau:
    """A table with one row per item of a list: `boucle` is « g in groupes »."""

    entetes: tuple[str, ...]
    boucle: str
    cellules: tuple[str, ...]
    pied: tuple[str, ...] = ()
    hauteur_ligne_cm: float | None = None  # room to sign by hand on each line
    largeurs: tuple[float, ...] = ()  # relative column widths; by default from the headers and the cells' content


@dataclass(frozen=True)
class Signatures:
    blocs: tuple[tuple["str | Bilingue", str], ...]  # (function line, name expression)
    # Per block, whose signature image and stamp it prints (workflow.signatures), or None: signed by hand only.
    signataires: tuple[Signataire | None, ...] = ()

    def signataire(self, i: int) -> Signataire | None:
        return self.signataires[i] if i < len(self.signataires) else None


@dataclass(frozen=True)
class Gabarit:
    cle: str
    titre: str
    contenu: tuple
    paysage: bool = False
    destinataire: str = ""
    sous_titre: str = ""
    references: bool = True
    en_tete_etablissement: bool = True
    numero_de_page: bool = True  # off for one-page documents printed in batches (« page 37 » would be wrong)
    # Whom a document about one person concerns (a Jinja expression on its context, e.g. « {{ prenom }} {{ nom }} »):
    # it names the file on screen and when downloaded, so that three parents' fiches are not three « v1, v2, v3 ».
    concerne: str = ""
    date_du_document: str = ""  # the field whose date the document bears instead of today (a committee's session)
    # The variables an académie's own version of this template must print (workflow.modeles): those `concerne` names,
    # and these.
    obligatoires: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Low-level python-docx helpers


def _run(paragraphe, texte: str, *, gras=False, italique=False, taille=None, couleur=None):
    run = paragraphe.add_run(texte)
    run.bold, run.italic = gras, italique
    if taille:
        run.font.size = Pt(taille)
    if couleur is not None:
        run.font.color.rgb = couleur
    return run


def _para(conteneur, texte: str = "", **kw):
    p = conteneur.add_paragraph()
    if texte:
        _run(p, texte, **kw)
    p.paragraph_format.space_after = Pt(3)
    return p


def _attribut(element, nom: str, valeur: str) -> None:
    element.set(qn(nom), valeur)


def _traduction(conteneur, b: Bilingue, *, taille: float = 10, centre: bool = False) -> None:
    """The translated paragraph, kept only when a language is chosen; its direction and font come from the
    translation file (forms/traductions), so one template serves every language."""
    conteneur.add_paragraph("{%p if traduction %}")
    p = conteneur.add_paragraph()
    p.paragraph_format.space_after = Pt(3)
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    p_pr = p._p.get_or_add_pPr()
    bidi = OxmlElement("w:bidi")
    _attribut(bidi, "w:val", "{{ '1' if traduction.rtl else '0' }}")
    p_pr.find(qn("w:spacing")).addprevious(bidi)
    if centre:  # otherwise « left », which in a right-to-left paragraph means its start: the right margin
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _run(p, f"{{{{ {b.traduction} }}}}", gras=b.gras, italique=b.italique, taille=taille)
    r_pr = run._r.get_or_add_rPr()
    polices = r_pr.get_or_add_rFonts()
    for attribut in ("w:ascii", "w:hAnsi", "w:cs"):
        _attribut(polices, attribut, "{{ traduction.police }}")
    if b.gras:  # complex scripts (Arabic) take their own bold and size
        r_pr.find(qn("w:b")).addnext(OxmlElement("w:bCs"))
    taille_cs = OxmlElement("w:szCs")
    _attribut(taille_cs, "w:val", str(int(taille * 2)))
    r_pr.find(qn("w:sz")).addnext(taille_cs)
    rtl = OxmlElement("w:rtl")
    _attribut(rtl, "w:val", "{{ '1' if traduction.rtl else '0' }}")
    r_pr.append(rtl)
    conteneur.add_paragraph("{%p endif %}")


def _texte(conteneur, texte, *, gras=False, italique=False, taille=None, couleur=None, paragraphe=None):
    """A plain or bilingual text into a cell or the body (into `paragraphe` when given, else a new one)."""
    francais = texte.francais if isinstance(texte, Bilingue) else texte
    p = paragraphe if paragraphe is not None else _para(conteneur)
    if francais:
        _run(p, francais, gras=gras or getattr(texte, "gras", False), italique=italique or getattr(texte, "italique", False),
             taille=taille, couleur=couleur)
    if isinstance(texte, Bilingue):
        _traduction(conteneur, Bilingue(francais, texte.traduction, gras or texte.gras, italique or texte.italique),
                    taille=taille or 10)
    return p


def _bordures(table) -> None:
    table.style = "Table Grid"


def _ombre(cellule, couleur="E3E3FD") -> None:
    tc_pr = cellule._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), couleur)
    tc_pr.append(shd)


def _cellule(cellule, texte: "str | Bilingue", gras=False) -> None:
    cellule.text = ""
    p = cellule.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    _texte(cellule, texte, gras=gras, paragraphe=p)


def _ligne_insecable(row, *, entete: bool = False) -> None:
    """A table row never broken across two pages (w:cantSplit); a header row is repeated on each page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if entete:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _avec_la_suite(row) -> None:
    """Every paragraph of the row keeps with what follows: a title row stays with the first row below it."""
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True


def _largeurs(table, poids, largeur_cm: float, minimums: tuple[float, ...] = ()) -> None:
    """Fixed column widths (grid and cells) filling the text width: each column its minimum, then the rest of the width
    shared in proportion to `poids`."""
    minimums = minimums or (0,) * len(poids)
    if sum(minimums) > largeur_cm:
        minimums = tuple(m * largeur_cm / sum(minimums) for m in minimums)
    reste = max(largeur_cm - sum(minimums), 0)
    total = sum(poids)
    table.autofit = False
    for colonne, poid, minimum in zip(table.columns, poids, minimums):
        largeur = Cm(minimum + reste * poid / total)
        colonne.width = largeur
        for cell in colonne.cells:
            cell.width = largeur


# What a cell prints, roughly, in characters: names and free text are long, a date short, a yes/no tiny.
_LONGUEURS = (("creneaux", 22), ("date_courte", 11), ("mois_fr", 13), ("montant", 11), ("heures", 8), ("duree", 8),
              ("heure", 8), ("oui_non", 4))
_TEXTE_LONG = ("libelle", "nom", "etablissement", "observations", "designation", "groupe", "atelier", "intervenant", "lieu",
               "statut", "{{ e }}", "{{ i }}", "fonction", "employeur")


def _longueur(cellule: str) -> int:
    if any(t in cellule.split("|")[0] for t in _TEXTE_LONG):  # the value printed, not a filter named « libelle »
        return 18
    return sum(cellule.count(f"|{filtre}") * n for filtre, n in _LONGUEURS) or 5


def _poids_colonnes(el: "Tableau") -> tuple[float, ...]:
    """Columns in proportion to what they print, never narrower than their longest header word: « Groupe B —
    intermédiaires » or « Heures » are not cut in the middle of a word."""
    if el.largeurs:
        return el.largeurs
    return tuple(_longueur(cellule) for cellule in el.cellules)


def _minimums_cm(el: "Tableau") -> tuple[float, ...]:
    """Room for each header's longest word in bold, plus the cell's margins."""
    mots = [max((len(m) for m in (e.francais if isinstance(e, Bilingue) else e).split()), default=0) for e in el.entetes]
    # a name or free text holds words of up to about 14 letters (« intermédiaires »)
    return tuple(max(0.4 + 0.19 * n, 2.8 if _longueur(c) >= 18 else 0) for n, c in zip(mots, el.cellules))


def _champ_page(paragraphe) -> None:
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        run = paragraphe.add_run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _en_tete(doc, g: Gabarit) -> None:
    bloc = doc.add_table(rows=1, cols=2)
    bloc.alignment = WD_TABLE_ALIGNMENT.CENTER
    gauche, droite = bloc.rows[0].cells
    gauche.text = ""
    p = gauche.paragraphs[0]
    _run(p, "RÉPUBLIQUE\nFRANÇAISE", gras=True, taille=12)
    p.paragraph_format.space_after = Pt(2)
    p = gauche.add_paragraph()
    _run(p, "Liberté\nÉgalité\nFraternité", italique=True, taille=9)
    p = gauche.add_paragraph()
    _run(p, "Académie de {{ academie }}", gras=True, taille=11, couleur=BLEU_FRANCE)
    p = gauche.add_paragraph()
    _run(p, "Dispositif « Ouvrir l'École aux parents pour la réussite des enfants »", taille=8, couleur=GRIS)
    droite.text = ""
    p = droite.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(p, "{{ ville_rectorat }}, le {{ date_document|date_fr }}", taille=10)
    p = droite.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(p, "Référence : {{ reference }}", taille=9, couleur=GRIS)
    p = droite.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(p, "Année scolaire {{ annee_scolaire }}", taille=9, couleur=GRIS)
    if g.en_tete_etablissement:
        p = droite.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(p, "{{ etablissement.nom }} — UAI {{ etablissement.uai }}\n{{ etablissement.commune }} — {{ etablissement.departement }}", taille=9)
    if g.destinataire:
        p = droite.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(p, g.destinataire, taille=10, gras=True)


def _titre(doc, g: Gabarit) -> None:
    # A Heading 1: LibreOffice turns it into a PDF bookmark, by which a batch of attestations is split
    # into one file per parent (tech-notes §3), and readers of the PDF get an outline.
    p = doc.add_paragraph(style="Heading 1")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(14)
    p.paragraph_format.space_after = Pt(3)
    run = _run(p, g.titre.upper(), gras=True, taille=14, couleur=BLEU_FRANCE)
    run.font.name = "Calibri"
    if g.sous_titre:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, g.sous_titre, italique=True, taille=10)
    if g.references:
        p = _para(doc, "Références : ", gras=True, taille=8)
        doc.add_paragraph("{%p for r in references_reglementaires %}")
        p = _para(doc, "– {{ r }}", taille=8, couleur=GRIS)
        p.paragraph_format.space_after = Pt(0)
        doc.add_paragraph("{%p endfor %}")


def _largeur_texte(doc) -> float:
    section = doc.sections[0]
    return (section.page_width - section.left_margin - section.right_margin) / 360000  # EMU per cm


def _garder_avec_la_signature(doc) -> None:
    """What comes just before a signature block keeps with it: back to the last paragraph always printed (the
    « {%p … %} » tag paragraphs docxtpl removes, what they may leave out and the empty spacers do not count), or the
    last rows of the table it signs (a procès-verbal's totals). « Fait à …, le … » and the signature share a page."""
    from docx.text.paragraph import Paragraph

    profondeur = 0  # inside a « {%p if %} … {%p endif %} » block, which may print nothing
    for element in reversed(list(doc.element.body.iterchildren())):
        if element.tag == qn("w:tbl"):
            for ligne in element.findall(qn("w:tr"))[-3:]:  # data row, loop tag, totals
                for p in ligne.iter(qn("w:p")):
                    Paragraph(p, doc).paragraph_format.keep_with_next = True
            if profondeur == 0:
                break
            continue
        if element.tag != qn("w:p"):
            continue
        p = Paragraph(element, doc)
        p.paragraph_format.keep_with_next = True
        texte = p.text.strip()
        if texte.startswith("{%p endif"):
            profondeur += 1
        elif texte.startswith("{%p if"):
            profondeur -= 1
        elif texte and not texte.startswith("{%") and profondeur == 0:
            break


def _place_de_la_signature(cell, signataire: Signataire | None) -> None:
    """Room to sign by hand; for a block its holder signs, their signature and stamp images side by side when they
    have them (the images take that room)."""
    if signataire is None:
        for _ in range(3):
            cell.add_paragraph()
        return
    signature, cachet = (nom_image(n, signataire) for n in (NatureImage.SIGNATURE, NatureImage.CACHET))
    cell.add_paragraph(f"{{%p if {signature} or {cachet} %}}")
    p = cell.add_paragraph()
    p.paragraph_format.space_before = Pt(2)
    _run(p, f"{{% if {signature} %}}{{{{ {signature} }}}}{{% endif %}}  {{% if {cachet} %}}{{{{ {cachet} }}}}{{% endif %}}")
    cell.add_paragraph("{%p else %}")
    for _ in range(3):
        cell.add_paragraph()
    cell.add_paragraph("{%p endif %}")


def _element(doc, el) -> None:
    if isinstance(el, Section):
        # A real Heading 2 (a « H2 » in the tagged PDF's structure, a sub-bookmark), printed as the bold blue line it was.
        p = doc.add_paragraph(style="Heading 2")
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(10)
        p.paragraph_format.keep_with_next = True
        _texte(doc, el.titre, gras=True, taille=11, couleur=BLEU_FRANCE, paragraphe=p)
    elif isinstance(el, Texte):
        _para(doc, el.texte, gras=el.gras, italique=el.italique)
    elif isinstance(el, Bilingue):
        if el.francais:
            _texte(doc, el)
        else:  # a translation alone, e.g. under the title
            _traduction(doc, el, taille=12, centre=True)
    elif isinstance(el, Si):
        doc.add_paragraph(f"{{%p if {el.condition} %}}")
        for sous in el.contenu:
            _element(doc, sous)
        doc.add_paragraph("{%p endif %}")
    elif isinstance(el, Champs):
        t = doc.add_table(rows=len(el.lignes), cols=2)
        _bordures(t)
        for row, (libelle, valeur) in zip(t.rows, el.lignes):
            _cellule(row.cells[0], libelle, gras=True)
            _ombre(row.cells[0], "F2F2F9")
            _cellule(row.cells[1], valeur)
            _ligne_insecable(row)
        _largeurs(t, (6, 11), _largeur_texte(doc))
        _para(doc)
    elif isinstance(el, Tableau):
        n = len(el.entetes)
        t = doc.add_table(rows=4 + (1 if el.pied else 0), cols=n)
        _bordures(t)
        for cell, texte in zip(t.rows[0].cells, el.entetes):
            _cellule(cell, texte, gras=True)
            _ombre(cell)
        for i, row in enumerate(t.rows):
            _ligne_insecable(row, entete=i == 0)
        _avec_la_suite(t.rows[0])
        _largeurs(t, _poids_colonnes(el), _largeur_texte(doc), _minimums_cm(el))
        # docxtpl row tags: the whole row holding {%tr %} is replaced by the tag.
        _cellule(t.rows[1].cells[0], f"{{%tr for {el.boucle} %}}")
        for cell, texte in zip(t.rows[2].cells, el.cellules):
            _cellule(cell, texte)
        if el.hauteur_ligne_cm:
            t.rows[2].height, t.rows[2].height_rule = Cm(el.hauteur_ligne_cm), WD_ROW_HEIGHT_RULE.AT_LEAST
        _cellule(t.rows[3].cells[0], "{%tr endfor %}")
        if el.pied:
            for cell, texte in zip(t.rows[4].cells, el.pied):
                _cellule(cell, texte, gras=True)
        _para(doc)
    elif isinstance(el, Signatures):
        _garder_avec_la_signature(doc)
        t = doc.add_table(rows=1, cols=len(el.blocs))
        _ligne_insecable(t.rows[0])
        for i, (cell, (fonction, nom)) in enumerate(zip(t.rows[0].cells, el.blocs)):
            cell.text = ""
            _texte(cell, fonction, gras=True, paragraphe=cell.paragraphs[0])
            p = cell.add_paragraph()
            _run(p, nom)
            p = cell.add_paragraph()
            _run(p, "Date et signature :", italique=True, taille=9, couleur=GRIS)
            _place_de_la_signature(cell, el.signataire(i))
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
    else:  # pragma: no cover - a declaration error
        raise TypeError(el)


def declarer_francais(doc) -> None:
    """French (fr-FR) as the language of every run by default, and of every style that names one (python-docx's own
    template, like many a Word model, says en-US): LibreOffice writes it as the PDF's /Lang, and screen readers and
    hyphenation follow it. The complex-script language (w:bidi, for Arabic translations) is left as it is."""
    styles = doc.styles.element
    parent = styles
    for balise in ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:lang"):  # each the first child of its parent but w:lang
        enfant = parent.find(qn(balise))
        if enfant is None:
            enfant = OxmlElement(balise)
            parent.append(enfant) if balise == "w:lang" else parent.insert(0, enfant)
        parent = enfant
    for langue in styles.iter(qn("w:lang")):
        _attribut(langue, "w:val", "fr-FR")
        _attribut(langue, "w:eastAsia", "fr-FR")


def _titres_en_calibri(doc) -> None:
    """The heading styles without the theme's heading font, which would win over the Calibri their runs ask for."""
    for nom in ("Heading 1", "Heading 2"):
        polices = doc.styles[nom].element.rPr.find(qn("w:rFonts"))
        for attribut in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            polices.attrib.pop(qn(attribut), None)
        doc.styles[nom].font.name = "Calibri"


def construire(g: Gabarit, chemin: Path) -> None:
    doc = NouveauDocx()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10)
    declarer_francais(doc)
    _titres_en_calibri(doc)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    if g.paysage:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(1.5)
    pied = section.footer.paragraphs[0]
    pied.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(pied, f"OEPRE — {g.titre} — académie de {{{{ academie }}}}", taille=8, couleur=GRIS)
    if g.numero_de_page:
        _run(pied, " — page ", taille=8, couleur=GRIS)
        _champ_page(pied)
    _en_tete(doc, g)
    _titre(doc, g)
    for el in g.contenu:
        _element(doc, el)
    # Fixed metadata so that rebuilding gives the same bytes when nothing changed.
    props = doc.core_properties
    props.author = props.last_modified_by = "OEPRE"
    props.title = g.titre
    props.language = "fr-FR"
    props.revision = 1
    props.created = props.modified = datetime(2025, 1, 1)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    doc.save(chemin)


def chemin_gabarit(cle: str) -> Path:
    return DOSSIER / f"{cle}.docx"
