"""Checking a template an académie uploads for a document type, before it is accepted: a real DOCX of bounded size,
then each part docxtpl fills (body, headers, footers, footnotes, the file's properties) read as docxtpl reads it
(its preprocessing joins the placeholders Word split across runs and turns {%p %} {%tr %} {%tc %} {%r %} into Jinja),
parsed by Jinja and walked: every variable known for the document type, every attribute a field of its record,
every filter known, nothing that turns autoescape off or prints raw XML. Each refusal is one French sentence that
says where (the paragraph, in a table or not, of the body, a header or a footer) and quotes the text around."""

import html
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from documents.render import FILTRES
from documents.variables import Variable
from forms.base import ErreursSaisie

TAILLE_MAX = 10 * 1024 * 1024
DECOMPRESSE_MAX = 80 * 1024 * 1024  # all its parts once unzipped: a ZIP bomb is refused before it is read
PARTIES_MAX = 2000
# Jinja's own filters a template may use besides the French ones: each prints text (escaped like any value).
FILTRES_JINJA = frozenset({"default", "d", "upper", "lower", "capitalize", "title", "trim", "length", "count", "join",
                           "first", "last", "round", "int", "replace", "truncate", "abs", "sum", "min", "max", "sort",
                           "reverse", "unique", "batch", "slice", "center", "wordcount", "striptags", "string"})
FILTRES_CONNUS = frozenset(FILTRES) | FILTRES_JINJA
# What would print a value unescaped (raw XML in the document) or reach outside the template.
INTERDITS = {nodes.ScopedEvalContextModifier: "« {% autoescape %} » (l'échappement des valeurs ne peut pas être désactivé)",
             nodes.EvalContextModifier: "« {% autoescape %} » (l'échappement des valeurs ne peut pas être désactivé)",
             nodes.MarkSafe: "une valeur marquée sûre", nodes.MarkSafeIfAutoescape: "une valeur marquée sûre",
             nodes.Include: "« {% include %} »", nodes.Import: "« {% import %} »", nodes.FromImport: "« {% from … import %} »",
             nodes.Extends: "« {% extends %} »", nodes.Macro: "une macro (« {% macro %} »)",
             nodes.CallBlock: "« {% call %} »", nodes.Call: "un appel de fonction (« (…) »)"}
FILTRES_INTERDITS = {"safe": "le filtre « safe » imprimerait la valeur sans l'échapper",
                     "xmlattr": "le filtre « xmlattr » imprimerait du XML brut",
                     "tojson": "le filtre « tojson » n'a pas sa place dans un document",
                     "forceescape": "le filtre « forceescape » n'a pas sa place dans un document"}
NOMS_LOCAUX = frozenset({"loop"})  # what Jinja itself provides inside a loop
# docxtpl's {{r x }} and {{p x }} print a RichText or a sub-document as raw XML: a value of the application is text.
_BALISE_BRUTE = re.compile(r"\{\{(?:r|p|tr|tc) ")


@dataclass(frozen=True)
class Partie:
    """A part docxtpl fills, as Jinja will read it: one line per paragraph (as docxtpl itself splits them)."""

    libelle: str  # « le corps du document », « l'en-tête n° 1 »…
    xml: str
    texte: str = ""  # its text as typed, before docxtpl's preprocessing

    def lignes(self) -> list[str]:
        return self.xml.split("\n")

    def ou(self, ligne: int | None) -> str:
        """« le paragraphe 12 du corps du document (dans un tableau), « … texte … » »: where line `ligne` is."""
        lignes = self.lignes()
        if not ligne or ligne > len(lignes):
            return self.libelle
        avant = "\n".join(lignes[:ligne - 1])
        dans_tableau = avant.count("<w:tbl>") + avant.count("<w:tbl ") > avant.count("</w:tbl>")
        texte = texte_visible(lignes[ligne - 1])
        lieu = f"le paragraphe {max(ligne - 1, 1)} {de(self.libelle)}{' (dans un tableau)' if dans_tableau else ''}"
        return f"{lieu}, « {extrait(texte)} »" if texte.strip() else lieu


def de(libelle: str) -> str:
    """« du corps du document », « de l'en-tête n° 1 », « des notes de bas de page »."""
    for article, contracte in (("le ", "du "), ("les ", "des ")):
        if libelle.startswith(article):
            return contracte + libelle[len(article):]
    return "de " + libelle


def texte_visible(xml: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", xml))


def extrait(texte: str, longueur: int = 90) -> str:
    texte = " ".join(texte.split())
    return texte if len(texte) <= longueur else texte[:longueur - 1] + "…"


def _refus(nom: str, message: str) -> ErreursSaisie:
    return ErreursSaisie([f"« {nom} » : {message}"])


def verifier_fichier(nom: str, contenu: bytes) -> None:
    """A DOCX, not another file renamed, of bounded size: cheap checks first, so that no file takes long to refuse."""
    if not nom.lower().endswith(".docx"):
        raise _refus(nom, "le modèle doit être un document Word au format .docx.")
    if not contenu:
        raise _refus(nom, "le fichier est vide.")
    if len(contenu) > TAILLE_MAX:
        raise _refus(nom, f"le fichier fait {len(contenu) / 1048576:.1f} Mo ; {TAILLE_MAX // 1048576} Mo au plus.")
    if contenu.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refus(nom, "c'est un document Word ancien (.doc) ou protégé : enregistrez-le au format .docx (Word 2007 et après).")
    if contenu.startswith(b"%PDF"):
        raise _refus(nom, "le fichier contient un PDF, pas un document Word : joignez le modèle .docx.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(contenu))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refus(nom, "le fichier n'est pas un document Word lisible (.docx) ; il est peut-être abîmé.") from None
    if len(infos) > PARTIES_MAX or sum(i.file_size for i in infos) > DECOMPRESSE_MAX:
        raise _refus(nom, "le document est démesuré une fois décompressé ; allégez ses images.")
    noms = {i.filename for i in infos}
    if "word/document.xml" not in noms or "[Content_Types].xml" not in noms:
        raise _refus(nom, "le fichier est une archive ZIP mais pas un document Word (.docx).")
    if any(n.lower().endswith("vbaproject.bin") for n in noms):
        raise _refus(nom, "le document contient des macros (.docm) : enregistrez-le sans macros, au format .docx.")


def parties(contenu: bytes) -> Iterator[Partie]:
    """The parts docxtpl fills, through docxtpl's own preprocessing (patch_xml), split into paragraphs as it does."""
    tpl = DocxTemplate(io.BytesIO(contenu))
    document = tpl.get_docx()

    def lu(libelle: str, xml: str) -> Partie:
        return Partie(libelle, re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml)), texte_visible(xml))

    yield lu("le corps du document", tpl.xml_to_string(document._element.body))
    numeros = {"en-tête": 0, "pied de page": 0}
    for rel in document.part.rels.values():
        genre = {tpl.HEADER_URI: "en-tête", tpl.FOOTER_URI: "pied de page"}.get(rel.reltype)
        if genre and not rel.is_external and rel.target_part.blob:
            numeros[genre] += 1
            article = "l'" if genre == "en-tête" else "le "
            yield lu(f"{article}{genre} n° {numeros[genre]}", tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    for part in document.part.package.parts:
        if part.content_type.endswith("wordprocessingml.footnotes+xml"):
            yield lu("les notes de bas de page", part.blob.decode("utf-8"))
    proprietes = document.core_properties
    for attribut, libelle in (("title", "le titre"), ("subject", "le sujet"), ("author", "l'auteur"),
                              ("comments", "les commentaires"), ("identifier", "l'identifiant"), ("language", "la langue")):
        if valeur := getattr(proprietes, attribut):
            yield Partie(f"{libelle} des propriétés du fichier", valeur, valeur)


_TRADUCTIONS = (
    (re.compile(r"Encountered unknown tag '(tr|tc|p|r)'"), lambda m: f"la balise « {{%{m[1]} … %}} » doit être seule dans "
     + {"tr": "une ligne de tableau", "tc": "une cellule de tableau", "p": "son paragraphe", "r": "son passage"}[m[1]]),
    (re.compile(r"Encountered unknown tag '(end\w+)'"), lambda m: f"« {{% {m[1]} %}} » ferme un bloc qui n'a pas été ouvert"),
    (re.compile(r"Encountered unknown tag '(\w+)'"), lambda m: f"la balise « {{% {m[1]} %}} » n'existe pas"),
    (re.compile(r"Unexpected end of template\. Jinja was looking for the following tags: .*'(end\w+)'"),
     lambda m: f"un bloc n'est jamais fermé : « {{% {m[1]} %}} » manque"),
    (re.compile(r"unexpected end of template, expected 'end of print statement'"),
     lambda m: "une balise « {{ … }} » n'est pas fermée (« }} » manque)"),
    (re.compile(r"unexpected end of template, expected 'end of statement block'"),
     lambda m: "une balise « {% … %} » n'est pas fermée (« %} » manque)"),
    (re.compile(r"unexpected end of template"), lambda m: "une balise n'est pas fermée"),
    (re.compile(r"unexpected '(.+)'"), lambda m: f"caractère inattendu « {m[1]} » dans une balise"),
    (re.compile(r"expected token '(.+?)', got '(.+?)'"), lambda m: f"« {m[1]} » attendu, « {m[2]} » trouvé dans une balise"),
    (re.compile(r"tag name expected"), lambda m: "« {% %} » ne contient aucune instruction"),
)


def _syntaxe(exc: TemplateSyntaxError, partie: Partie) -> str:
    message = exc.message or ""
    lignes = partie.lignes()
    texte = texte_visible(lignes[exc.lineno - 1]) if exc.lineno and exc.lineno <= len(lignes) else ""
    for ouvre, ferme in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")):  # a tag left open reads Word's XML after it
        if texte.count(ouvre) > texte.count(ferme):
            return f"une balise « {ouvre} … {ferme} » n'est pas fermée (« {ferme} » manque)"
    for motif, traduire in _TRADUCTIONS:
        if m := motif.search(message):
            return traduire(m)
    return f"erreur de syntaxe dans une balise ({message})"


def _chemin(noeud: nodes.Node) -> list[str] | None:
    """« a.b.c » of a Getattr / Getitem chain ending on a name, else None."""
    if isinstance(noeud, nodes.Name):
        return [noeud.name]
    if isinstance(noeud, nodes.Getattr):
        base = _chemin(noeud.node)
        return base + [noeud.attr] if base else None
    if isinstance(noeud, nodes.Getitem) and isinstance(noeud.arg, nodes.Const) and isinstance(noeud.arg.value, str):
        base = _chemin(noeud.node)
        return base + [noeud.arg.value] if base else None
    return None


class _Controle:
    """The walk of one part's syntax tree: what it uses, checked against the document type's variables."""

    def __init__(self, partie: Partie, connues: Mapping[str, Variable]):
        self.partie, self.connues = partie, connues
        self.erreurs: list[str] = []
        self.boucles: dict[str, Variable] = {}  # a loop's name → the list it walks
        self.locaux: set[str] = set(NOMS_LOCAUX)
        self.utilisees: set[str] = set()

    def erreur(self, noeud: nodes.Node, message: str) -> None:
        texte = f"{self.partie.ou(getattr(noeud, 'lineno', None))} : {message}"
        if texte not in self.erreurs:
            self.erreurs.append(texte)

    def variable(self, chemin: list[str]) -> Variable | None:
        racine, *noms = chemin
        courante = self.boucles[racine] if racine in self.boucles else self.connues.get(racine)
        for k, nom in enumerate(noms):
            if courante is None:
                return None
            if courante.liste and not (k == 0 and racine in self.boucles):
                return None
            courante = courante.enfants.get(nom)
        return courante

    def parcourir(self, noeud: nodes.Node) -> None:
        for genre, quoi in INTERDITS.items():
            if type(noeud) is genre:
                if genre is nodes.Call:
                    self.erreur(noeud, "les appels de fonction ne sont pas admis dans un modèle ; utilisez un filtre (« |date_fr »)")
                else:
                    self.erreur(noeud, f"{quoi} n'est pas admis dans un modèle")
        if isinstance(noeud, (nodes.Filter, nodes.FilterBlock)) and noeud.name is not None:
            nom = noeud.name if isinstance(noeud, nodes.Filter) else noeud.filter.name
            if nom in FILTRES_INTERDITS:
                self.erreur(noeud, FILTRES_INTERDITS[nom])
            elif nom not in FILTRES_CONNUS:
                self.erreur(noeud, f"le filtre « {nom} » n'existe pas (filtres : voir le catalogue des variables)")
        if isinstance(noeud, nodes.For):
            self.boucle(noeud)
            return
        if isinstance(noeud, (nodes.Assign, nodes.AssignBlock)):
            for cible in noeud.target.find_all(nodes.Name) if hasattr(noeud.target, "find_all") else ():
                self.locaux.add(cible.name)
            if isinstance(noeud.target, nodes.Name):
                self.locaux.add(noeud.target.name)
        if isinstance(noeud, (nodes.Getattr, nodes.Getitem, nodes.Name)) and self.nom_lu(noeud):
            return
        for enfant in noeud.iter_child_nodes():
            self.parcourir(enfant)

    def boucle(self, noeud: nodes.For) -> None:
        """A loop's name stands for an item of the list it walks, inside the loop only."""
        self.parcourir(noeud.iter)
        liste = self.variable(_chemin(noeud.iter)) if _chemin(noeud.iter) else None
        noms = [noeud.target.name] if isinstance(noeud.target, nodes.Name) else [n.name for n in noeud.target.find_all(nodes.Name)]
        avant = dict(self.boucles), set(self.locaux)
        for nom in noms:
            if liste is not None and liste.liste:
                self.boucles[nom] = liste
                self.locaux.discard(nom)
            else:
                self.boucles.pop(nom, None)
                self.locaux.add(nom)
        for enfant in (*noeud.body, *([noeud.test] if noeud.test else [])):
            self.parcourir(enfant)
        self.boucles, self.locaux = avant
        for enfant in noeud.else_:
            self.parcourir(enfant)

    def nom_lu(self, noeud: nodes.Node) -> bool:
        """Check a variable read (a name and its attributes); True when the whole chain was checked."""
        chemin = _chemin(noeud)
        if chemin is None:
            return False
        if any(n.startswith("_") for n in chemin):
            self.erreur(noeud, f"« {'.'.join(chemin)} » : un nom qui commence par « _ » n'est pas admis")
            return True
        racine = chemin[0]
        if racine in self.locaux and racine not in self.boucles:
            return True
        if racine not in self.boucles:
            if racine not in self.connues:
                self.erreur(noeud, f"la variable « {racine} » n'existe pas pour ce document (voir le catalogue des variables)")
                return True
            self.utilisees.add(racine)
        courante = self.variable(chemin[:1])
        for k, nom in enumerate(chemin[1:], start=1):
            if courante is None or not courante.enfants:
                return True  # a loop over values, a text: its attributes are Jinja's (and refused if called)
            if courante.liste and racine not in self.boucles:
                self.erreur(noeud, f"« {'.'.join(chemin[:k])} » est une liste : parcourez-la avec {{% for … in {'.'.join(chemin[:k])} %}}")
                return True
            if nom not in courante.enfants:
                self.erreur(noeud, f"« {'.'.join(chemin[:k + 1])} » n'existe pas (les champs de « {'.'.join(chemin[:k])} » sont : "
                                   f"{', '.join(sorted(courante.enfants))})")
                return True
            courante = courante.enfants[nom]
        return True


def verifier_modele(nom: str, contenu: bytes, connues: Mapping[str, Variable], obligatoires: set[str]) -> None:
    """ErreursSaisie with every French reason the template at hand is refused for, or None when it may be rendered."""
    verifier_fichier(nom, contenu)
    try:
        lues = list(parties(contenu))
    except Exception:  # python-docx or lxml on a broken part: whatever the cause, the person gets one sentence
        raise _refus(nom, "le document Word est abîmé (une de ses parties ne se lit pas) ; ouvrez-le et enregistrez-le de nouveau.") from None
    env = ImmutableSandboxedEnvironment(autoescape=True)
    erreurs: list[str] = []
    utilisees: set[str] = set()
    for partie in lues:
        if m := _BALISE_BRUTE.search(partie.texte):
            erreurs.append(f"{partie.libelle} : « {m.group().strip()} … }} » insérerait du contenu brut ; écrivez « {{{{ … }}}} »")
        try:
            arbre = env.parse(partie.xml)
        except TemplateSyntaxError as exc:
            erreurs.append(f"{partie.ou(exc.lineno)} : {_syntaxe(exc, partie)}")
            continue
        controle = _Controle(partie, connues)
        controle.parcourir(arbre)
        erreurs += controle.erreurs
        utilisees |= controle.utilisees
    if not erreurs:
        erreurs += [f"la variable « {v} » est obligatoire dans ce document : elle n'y figure pas" for v in sorted(obligatoires - utilisees)]
    if erreurs:
        raise ErreursSaisie([f"« {nom} » : {e}" for e in erreurs[:20]])
