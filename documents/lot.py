"""Hundreds of copies of one template as print-ready PDFs: one merged file plus one file per copy.

LibreOffice is the slow part (tech-notes §2–3): a cold start costs about 1.2 s, a page about 22 ms when
both cores convert. So the copies are rendered as a few long DOCX (one per core, each copy on its own
page, inside a Jinja loop wrapped around the unchanged template), converted by parallel `soffice` calls
with separate profiles (calls sharing a profile wait for each other), and split back into one PDF per
copy by the bookmarks LibreOffice makes of each copy's Heading 1 title. Rendering the next part overlaps
the conversion of the previous one, and a part is split as soon as it is converted.
"""

import io
import os
import re
import shutil
import subprocess
import time
import unicodedata
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError
from pypdf import PdfReader, PdfWriter

from documents import render
from documents.gabarits import chemin_gabarit
from documents.pdf import ConversionEchouee, soffice_chemin

Progression = Callable[[float, str], None]
SECONDES_PAR_PAGE = 0.04  # one soffice on one core (tech-notes §3), for the progress estimate only
DEMARRAGE = 2.0


@dataclass(frozen=True)
class Exemplaire:
    nom_fichier: str  # its name in the ZIP
    contexte: Mapping[str, Any]


@dataclass(frozen=True)
class Lot:
    pdf: Path  # every copy, in order, ready to print
    zip: Path  # one PDF per copy
    exemplaires: int
    pages: int


def nom_de_fichier(*parties: str) -> str:
    """« 0007-0310001H-haddad-amina »: ASCII, no space; a name in another script keeps its number only."""
    mots = []
    for partie in parties:
        ascii_ = unicodedata.normalize("NFKD", partie).encode("ascii", "ignore").decode()
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
def gabarit_en_boucle(cle: str) -> bytes:
    """Template `cle` with its body repeated for each item of `lot`: inside the loop each item's keys
    are the template's own variables, so the copy printed is exactly the single document."""
    variables = sorted(render.variables_gabarit(cle))
    source = zipfile.ZipFile(chemin_gabarit(cle))
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


def rendre_en_boucle(cle: str, communs: Mapping[str, Any], contextes: list[Mapping[str, Any]]) -> bytes:
    """One DOCX holding one page (or more) per context; `communs` fills headers and footers."""
    tpl = DocxTemplate(io.BytesIO(gabarit_en_boucle(cle)))
    try:
        tpl.render({**communs, "lot": contextes}, render.environnement(), autoescape=True)
    except TemplateError as exc:
        raise render.ErreurRendu(f"Modèle « {cle} » en lot : {exc}") from exc
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


def _lancer(part: _Part, executable: str, profil: Path) -> None:
    part.processus = subprocess.Popen(
        [executable, f"-env:UserInstallation={profil.resolve().as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(part.docx.parent), str(part.docx)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    part.lance_a = time.monotonic()


def _decouper(part: _Part) -> tuple[list[bytes], int]:
    """One PDF per copy, by the bookmark of each copy's title; refuses a count that does not match."""
    lecteur = PdfReader(part.pdf)
    debuts = [lecteur.get_destination_page_number(o) for o in lecteur.outline if not isinstance(o, list)]
    if len(debuts) != len(part.exemplaires) or debuts != sorted(debuts):
        raise ConversionEchouee(f"LibreOffice a produit {len(debuts)} document(s) au lieu de {len(part.exemplaires)} : "
                                "le lot est abandonné, aucun fichier n'est enregistré.")
    fins = [*debuts[1:], len(lecteur.pages)]
    fichiers = []
    for debut, fin in zip(debuts, fins):
        ecrivain = PdfWriter()
        for page in range(debut, fin):
            ecrivain.add_page(lecteur.pages[page])
        tampon = io.BytesIO()
        ecrivain.write(tampon)
        fichiers.append(tampon.getvalue())
    return fichiers, len(lecteur.pages)


def _arreter(parts: list[_Part]) -> None:
    for part in parts:
        if part.processus is not None and part.processus.poll() is None:
            os.killpg(part.processus.pid, 9)
            part.processus.wait()


def produire(cle: str, communs: Mapping[str, Any], exemplaires: list[Exemplaire], dossier: Path, *,
             soffice: str = "soffice", parts: int | None = None, progression: Progression | None = None,
             timeout: float = 1800) -> Lot:
    """Write `attestations.pdf` and `attestations.zip` (names from `cle`) into `dossier`, a private work
    folder the caller removes. Raises ConversionEchouee (in French) if anything is missing."""
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
    fichiers: dict[int, list[bytes]] = {}
    pages = 0
    try:
        for k, part in enumerate(lots):
            signaler(0.02 + 0.08 * k / nb_parts, f"Mise en page des documents ({len(part.exemplaires)} sur {n})…")
            part.docx.write_bytes(rendre_en_boucle(cle, communs, [e.contexte for e in part.exemplaires]))
            _lancer(part, executable, dossier / f"profil-{k}")
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
                fichiers[k], nb_pages = _decouper(part)
                pages += nb_pages
            if en_cours:
                ecoule = time.monotonic() - min(lots[k].lance_a for k in en_cours)
                signaler(0.1 + 0.75 * min(ecoule / estimation, 0.95), "Conversion en PDF par LibreOffice…")
                time.sleep(0.1)
    finally:
        _arreter(lots)
    signaler(0.9, "Assemblage du PDF à imprimer et de l'archive…")
    complet, archive = dossier / f"{cle}.pdf", dossier / f"{cle}.zip"
    if nb_parts == 1:
        shutil.copyfile(lots[0].pdf, complet)
    else:
        ecrivain = PdfWriter()
        for part in lots:
            ecrivain.append(part.pdf, import_outline=True)
        with complet.open("wb") as f:
            ecrivain.write(f)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:  # PDFs are already compressed
        for k, part in enumerate(lots):
            for exemplaire, contenu in zip(part.exemplaires, fichiers[k]):
                z.writestr(exemplaire.nom_fichier, contenu)
    signaler(1.0, f"{n} documents produits ({pages} pages).")
    return Lot(complet, archive, n, pages)
