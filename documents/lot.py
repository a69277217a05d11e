"""Hundreds of copies of one template as print-ready PDFs: one merged file plus one file per copy (in a ZIP that lists
them in its manifest, CONTENU.csv).

LibreOffice is the slow part (tech-notes §2–3): a cold start costs about 1.2 s, a page about 22 ms when
both cores convert. So the copies are rendered as a few long DOCX (one per core, each copy on its own
page, inside a Jinja loop wrapped around the unchanged template), converted by parallel `soffice` calls
with separate profiles (calls sharing a profile wait for each other), and split back into one PDF per
copy by the bookmarks LibreOffice makes of each copy's Heading 1 title. Rendering the next part overlaps
the conversion of the previous one, and a part is split as soon as it is converted.
"""

import hashlib
import io
import multiprocessing
import os
import re
import subprocess
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pikepdf
from anyascii import anyascii
from docxtpl import DocxTemplate
from jinja2 import TemplateError

from documents import archive, render
from documents.gabarits import chemin_gabarit
from documents.pdf import CONVERSION_PDF, ConversionEchouee, soffice_chemin
from documents.tableur import EcrivainCsv

Progression = Callable[[float, str], None]
SECONDES_PAR_PAGE = 0.04  # one soffice on one core (tech-notes §3), for the progress estimate only
DEMARRAGE = 2.0


@dataclass(frozen=True)
class Exemplaire:
    nom_fichier: str  # its name in the ZIP
    contexte: Mapping[str, Any]
    titre: str = ""  # its bookmark in the print file (default: the file name)


@dataclass(frozen=True)
class Lot:
    pdf: Path  # every copy, in order, ready to print
    zip: Path  # one PDF per copy
    exemplaires: int
    pages: int


def nom_de_fichier(*parties: str) -> str:
    """« 0007-0310001H-haddad-amina »: ASCII, no space; a name in another script transliterated (« olga-kuznetsova »,
    « ftmh-lnjr »), so that two parents' files never share a name."""
    mots = []
    for partie in parties:
        ascii_ = "".join(c if c.isascii() else anyascii(c).replace("'", "") for c in partie)  # Ольга: olga, not ol'ga
        mot = re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-").lower()
        if mot:
            mots.append(mot)
    return "-".join(mots)[:120]


def _paragraphe(texte: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{texte}</w:t></w:r></w:p>'


# Ends each copy but the last with a page break, in a 1-pt paragraph so that nothing shows.
SAUT_DE_PAGE = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
                '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr>{% if not loop.last %}<w:r><w:br w:type="page"/></w:r>'
                '{% endif %}</w:p>')


@lru_cache(maxsize=8)
def gabarit_en_boucle(cle: str, gabarit: bytes | None = None) -> bytes:
    """Template `cle` (the built-in one, or `gabarit`: the académie's version in force) with its body repeated for
    each item of `lot`: inside the loop each item's keys are the template's own variables, so the copy printed is
    exactly the single document."""
    variables = sorted(render.variables_gabarit(cle, gabarit))
    source = zipfile.ZipFile(io.BytesIO(gabarit) if gabarit is not None else chemin_gabarit(cle))
    xml = source.read("word/document.xml").decode()
    debut = xml.index(">", xml.index("<w:body")) + 1
    fin = xml.rindex("<w:sectPr")
    affectations = ", ".join(f"{v}=item.{v}" for v in variables)
    xml = (xml[:debut] + _paragraphe("{%p for item in lot %}") + _paragraphe(f"{{%p with {affectations} %}}")
           + xml[debut:fin] + SAUT_DE_PAGE + _paragraphe("{%p endwith %}") + _paragraphe("{%p endfor %}") + xml[fin:])
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            cible.writestr(info, xml.encode() if info.filename == "word/document.xml" else source.read(info.filename))
    return sortie.getvalue()


def rendre_en_boucle(cle: str, communs: Mapping[str, Any], contextes: list[Mapping[str, Any]],
                     gabarit: bytes | None = None) -> bytes:
    """One DOCX holding one page (or more) per context; `communs` fills headers and footers."""
    tpl = DocxTemplate(io.BytesIO(gabarit_en_boucle(cle, gabarit)))
    try:
        tpl.render(render.avec_images(tpl, {**communs, "lot": contextes}), render.environnement(bac_a_sable=gabarit is not None),
                   autoescape=True)
    except TemplateError as exc:
        raise render.ErreurRendu(f"Modèle « {cle} » en lot : {exc}") from exc
    render.titrer_en_francais(tpl.docx, cle)
    sortie = io.BytesIO()
    tpl.save(sortie)
    return sortie.getvalue()


@dataclass
class _Part:
    exemplaires: list[Exemplaire]
    docx: Path
    processus: subprocess.Popen | None = None
    lance_a: float = 0.0

    @property
    def pdf(self) -> Path:
        return self.docx.with_suffix(".pdf")


def _rendre_fichier(cle: str, communs: Mapping[str, Any], part: "_Part", gabarit: bytes | None = None) -> None:
    part.docx.write_bytes(rendre_en_boucle(cle, communs, [e.contexte for e in part.exemplaires], gabarit))


# fork, not spawn: a child that only renders and writes one file starts in milliseconds with every module loaded.
_FORK = multiprocessing.get_context("fork")


def _lancer(part: _Part, executable: str, profil: Path) -> None:
    part.processus = subprocess.Popen(
        [executable, f"-env:UserInstallation={profil.resolve().as_uri()}", "--headless", "--norestore",
         "--convert-to", CONVERSION_PDF, "--outdir", str(part.docx.parent), str(part.docx)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    part.lance_a = time.monotonic()


def _debut(item: pikepdf.OutlineItem, pages: dict[tuple[int, int], int]) -> int:
    destination = item.destination if item.destination is not None else item.action.D
    return pages[destination[0].objgen]


def _sommaire(part: _Part) -> tuple[list[int], int]:
    """The first page of each copy, read from the bookmark of its title, and the number of pages;
    refuses a count that does not match (tech-notes §3: LibreOffice may stop short without an error)."""
    with pikepdf.open(part.pdf) as source:
        pages = {page.obj.objgen: i for i, page in enumerate(source.pages)}
        with source.open_outline() as sommaire:
            debuts = [_debut(item, pages) for item in sommaire.root]
        if len(debuts) != len(part.exemplaires) or debuts != sorted(debuts):
            raise ConversionEchouee(f"LibreOffice a produit {len(debuts)} document(s) au lieu de {len(part.exemplaires)} : "
                                    "le lot est abandonné, aucun fichier n'est enregistré.")
        return debuts, len(source.pages)


def _titre_et_langue(source: pikepdf.Pdf, cible: pikepdf.Pdf) -> None:
    """The converted part's language and title onto a PDF made of its pages (a copy, the print file); its structure
    tree cannot be cut along with the pages, so only the tagged part itself carries one."""
    if "/Lang" in source.Root:
        cible.Root.Lang = source.Root.Lang
    titre = str(source.docinfo.get("/Title", ""))
    if titre:
        cible.docinfo.Title = titre
        with cible.open_metadata(set_pikepdf_as_editor=False) as xmp:
            xmp["dc:title"] = titre
        cible.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)


def _decouper(part: _Part, debuts: list[int], zip_: zipfile.ZipFile, manifeste: EcrivainCsv) -> None:
    """One PDF per copy into the archive, and its line in the archive's manifest. pikepdf (qpdf) rather than pypdf
    here: it splits 500 pages in about 0.5 s instead of 1.2 s."""
    with pikepdf.open(part.pdf) as source:
        for exemplaire, debut, fin in zip(part.exemplaires, debuts, [*debuts[1:], len(source.pages)]):
            copie = pikepdf.new()
            _titre_et_langue(source, copie)
            copie.pages.extend(source.pages[debut:fin])
            tampon = io.BytesIO()
            copie.save(tampon)
            zip_.writestr(exemplaire.nom_fichier, tampon.getvalue())
            manifeste.writerow((exemplaire.nom_fichier, exemplaire.titre or exemplaire.nom_fichier, fin - debut,
                                hashlib.sha256(tampon.getvalue()).hexdigest()))


def _assembler(lots: list[_Part], debuts: dict[int, list[int]], cible: Path) -> None:
    """The print file: every part in order, with one bookmark per copy titled by its `titre`."""
    sources = [pikepdf.open(part.pdf) for part in lots]
    try:
        with pikepdf.new() as assemble:
            signets = []
            for k, (part, source) in enumerate(zip(lots, sources)):
                decalage = len(assemble.pages)
                signets += [pikepdf.OutlineItem(e.titre or e.nom_fichier, decalage + debut) for e, debut in zip(part.exemplaires, debuts[k])]
                assemble.pages.extend(source.pages)
            _titre_et_langue(sources[0], assemble)
            with assemble.open_outline() as sommaire:
                sommaire.root.extend(signets)
            assemble.save(cible)
    finally:
        for source in sources:
            source.close()


def _arreter(parts: list[_Part]) -> None:
    for part in parts:
        if part.processus is not None and part.processus.poll() is None:
            os.killpg(part.processus.pid, 9)
            part.processus.wait()


def produire(cle: str, communs: Mapping[str, Any], exemplaires: list[Exemplaire], dossier: Path, *,
             soffice: str = "soffice", parts: int | None = None, progression: Progression | None = None,
             timeout: float = 1800, gabarit: bytes | None = None) -> Lot:
    """Write `attestations.pdf` and `attestations.zip` (names from `cle`) into `dossier`, a private work
    folder the caller removes. Raises ConversionEchouee (in French) if anything is missing. `gabarit`: the
    académie's version in force of template `cle` (None: the built-in one)."""
    if not exemplaires:
        raise ValueError("Aucun exemplaire à produire.")
    deja = [0.0]

    def signaler(fraction: float, message: str) -> None:  # never moves backwards
        deja[0] = max(deja[0], fraction)
        if progression:
            progression(deja[0], message)

    executable = soffice_chemin(soffice)
    n = len(exemplaires)
    nb_parts = max(1, min(parts or os.cpu_count() or 1, n))
    decoupe = [exemplaires[k * n // nb_parts:(k + 1) * n // nb_parts] for k in range(nb_parts)]
    lots = [_Part(tranche, dossier / f"{cle}-{k}.docx") for k, tranche in enumerate(decoupe)]
    estimation = DEMARRAGE + SECONDES_PAR_PAGE * max(len(t) for t in decoupe) * 1.1
    debuts: dict[int, list[int]] = {}
    pages = 0
    complet, chemin_zip = dossier / f"{cle}.pdf", dossier / f"{cle}.zip"
    zip_ = zipfile.ZipFile(chemin_zip, "w", zipfile.ZIP_STORED)  # PDFs are already compressed; filled part by part
    manifeste = io.StringIO()  # what the archive holds (documents.archive.MANIFESTE), one line per copy
    ecrivain = EcrivainCsv(manifeste, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(("Fichier", "Document", "Pages", "SHA-256"))
    try:
        signaler(0.02, f"Mise en page des {n} documents…")
        # The parts are rendered at once, one per core: forked children (no import, no pickling) render all but
        # the last, which this process renders; each part goes to LibreOffice as soon as it is written.
        enfants = [_FORK.Process(target=_rendre_fichier, args=(cle, communs, part, gabarit), daemon=True) for part in lots[:-1]]
        for enfant in enfants:
            enfant.start()
        _rendre_fichier(cle, communs, lots[-1], gabarit)
        _lancer(lots[-1], executable, dossier / f"profil-{nb_parts - 1}")
        for k, enfant in enumerate(enfants):
            enfant.join()
            if enfant.exitcode != 0:
                raise ConversionEchouee(f"La mise en page de la partie {k + 1} du lot a échoué (code {enfant.exitcode}).")
            _lancer(lots[k], executable, dossier / f"profil-{k}")
        en_cours = set(range(nb_parts))
        while en_cours:
            for k in sorted(en_cours):
                part = lots[k]
                code = part.processus.poll()
                if code is None:
                    if time.monotonic() - part.lance_a > timeout:
                        raise ConversionEchouee("LibreOffice n'a pas terminé la conversion à temps : le lot est abandonné.")
                    continue
                en_cours.discard(k)
                if not part.pdf.exists():
                    erreur = part.processus.stderr.read().decode(errors="replace").strip()[-300:]
                    raise ConversionEchouee(f"LibreOffice n'a pas converti la partie {k + 1} du lot (code {code}). {erreur}")
                signaler(0.1 + 0.75 * (nb_parts - len(en_cours)) / nb_parts, "Découpage en un fichier par document…")
                debuts[k], nb_pages = _sommaire(part)
                pages += nb_pages
                if not en_cours:  # the last part: the print file is assembled by a child meanwhile
                    assemblage = _FORK.Process(target=_assembler, args=(lots, debuts, complet), daemon=True)
                    assemblage.start()
                _decouper(part, debuts[k], zip_, ecrivain)
            if en_cours:
                ecoule = time.monotonic() - min(lots[k].lance_a for k in en_cours)
                signaler(0.1 + 0.75 * min(ecoule / estimation, 0.95), "Conversion en PDF par LibreOffice…")
                time.sleep(0.1)
        zip_.writestr(archive.MANIFESTE, "\ufeff" + manifeste.getvalue())
    finally:
        _arreter(lots)
        zip_.close()
    signaler(0.95, "Assemblage du PDF à imprimer…")
    assemblage.join()
    if assemblage.exitcode != 0 or not complet.exists():
        raise ConversionEchouee(f"L'assemblage du PDF à imprimer a échoué (code {assemblage.exitcode}).")
    signaler(1.0, f"{n} documents produits ({pages} pages).")
    return Lot(complet, chemin_zip, n, pages)
