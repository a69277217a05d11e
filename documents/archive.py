"""A ZIP of stored documents that says what it holds: each file named from its dossier (year, UAI and school, document
type, whom it concerns, version), « 2025-2026/0310001H Ecole des Tilleuls/Attestation de suivi de formation - Amina
Haddad - v2.pdf », and a manifest at the root, CONTENU.csv, one line per file.

Names are ASCII (transliterated as documents.lot.nom_de_fichier does: a name in another script stays readable), hold no
character a file system refuses or reads as a path (/ \\ : * ? " < > |), never start with a dot, and no two entries share
a name, not even on a file system that ignores case."""

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from anyascii import anyascii

from documents.tableur import EcrivainCsv

MANIFESTE = "CONTENU.csv"
COLONNES = ("Fichier", "Dossier", "Établissement", "UAI", "Type de document", "Concerne", "Version", "Format",
            "Généré le (UTC)", "SHA-256")
LONGUEUR = 60  # per part of a name: a whole path stays well under Windows' 260 characters


@dataclass(frozen=True)
class Piece:
    """A stored document as the archive names and lists it."""

    contenu: bytes
    annee_scolaire: str
    dossier: str  # its number (« 2025-031-0002 »), « » for a campaign's document
    etablissement: str  # the school's name, or the scope of a campaign's document (« Académie », « Département 31 »)
    uai: str
    type_document: str  # its label (documents.catalogue.libelle_document)
    concerne: str
    version: int
    format: str
    genere_at: datetime
    sha256: str


def nom_lisible(texte: str, longueur: int = LONGUEUR) -> str:
    """« Ecole des Tilleuls », « Olga Kuznetsova », « ftmh lzhr'»: the text in ASCII, capitals and spaces kept, without
    what a file name cannot hold; never empty, never « . » or « .. »."""
    ascii_ = "".join(c if c.isascii() else anyascii(c).replace("'", "") for c in texte)
    ascii_ = " ".join(re.sub(r"[^A-Za-z0-9 .,'()&+_-]+", " ", ascii_).split())
    return ascii_[:longueur].strip(" .-") or "sans nom"


def chemin(piece: Piece) -> str:
    """Its name in the archive, before any collision is resolved."""
    dossier = nom_lisible(f"{piece.uai} {piece.etablissement}")
    nom = " - ".join([*(nom_lisible(p) for p in (piece.type_document, piece.concerne) if p.strip()), f"v{piece.version}"])
    return f"{nom_lisible(piece.annee_scolaire)}/{dossier}/{nom}.{nom_lisible(piece.format)}"


def _unique(nom: str, pris: set[str]) -> str:
    """`nom`, or « … (2).pdf », « … (3).pdf » once taken (compared ignoring case: Windows and macOS would merge them)."""
    base, point, extension = nom.rpartition(".")
    candidat, n = nom, 1
    while candidat.casefold() in pris:
        n += 1
        candidat = f"{base} ({n}){point}{extension}"
    pris.add(candidat.casefold())
    return candidat


def _utc(moment: datetime) -> str:
    """A stored timestamp is UTC (db.models.maintenant); SQLite gives it back without its zone."""
    return (moment.astimezone(UTC) if moment.tzinfo else moment).strftime("%Y-%m-%d %H:%M:%S")


def construire(pieces: Iterable[Piece]) -> bytes:
    """The ZIP: every piece under its name, then the manifest listing them (CSV, « ; », UTF-8 with BOM for Excel)."""
    pris = {MANIFESTE.casefold()}
    manifeste = io.StringIO()
    ecrivain = EcrivainCsv(manifeste, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    ecrivain.writerow(COLONNES)
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        for piece in pieces:
            nom = _unique(chemin(piece), pris)
            archive.writestr(nom, piece.contenu)
            ecrivain.writerow((nom, piece.dossier, piece.etablissement, piece.uai, piece.type_document, piece.concerne,
                               piece.version, piece.format.upper(), _utc(piece.genere_at),
                               piece.sha256))
        archive.writestr(MANIFESTE, "\ufeff" + manifeste.getvalue())
    return tampon.getvalue()
