"""What every uploaded file goes through before it is kept: its extension is one the field accepts, its size is
bounded, its content is what its extension says, and an image declares no absurd size and decodes whole. Each
refusal is one French sentence naming the field and what is wrong; the cheap checks come first, so that no file
takes long to refuse (the scans signed on paper: workflow.atelier.scans; signatures and stamps:
workflow.noyau.signatures)."""

import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image

from forms.base import ErreursSaisie

SIGNATURES = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff"}
NOMS_FORMATS = {"pdf": "un PDF", "png": "une image PNG", "jpg": "une image JPEG"}
AUTRES_SIGNATURES = {b"PK\x03\x04": "un document bureautique (Word, LibreOffice) ou une archive ZIP",
                     b"GIF8": "une image GIF", b"II*\x00": "une image TIFF", b"MM\x00*": "une image TIFF"}


@dataclass(frozen=True)
class Regle:
    """What a field accepts, and what its refusals advise."""

    champ: str  # « Feuille d'émargement signée », as the page names the field
    formats: tuple[str, ...]  # among SIGNATURES
    formats_refuses: str  # « ni un PDF, ni une image PNG ou JPEG »: what a file of another type is not
    taille_max: int  # bytes
    pixels_max: int  # an image's width × height
    attendu: str  # « la feuille scannée en PDF, PNG ou JPEG »
    conseil_image: str  # what to do with an image too large (« numérisez la feuille à 300 ppp »)
    objet: str = "une page numérisée"  # what an image is compared to when it is too large
    refaire: str = "numérisez-la à nouveau"  # what to do with an image that does not decode


def format_reel(contenu: bytes) -> str | None:
    """What the bytes are, whatever the name says: pdf, png, jpg, or None. A PDF's header may follow a few bytes
    (a byte-order mark, blank lines: the PDF standard allows it within the first 1,024 bytes)."""
    if SIGNATURES["pdf"] in contenu[:1024]:
        return "pdf"
    return next((fmt for fmt, debut in SIGNATURES.items() if fmt != "pdf" and contenu.startswith(debut)), None)


def verifier_type(regle: Regle, nom: str, contenu: bytes) -> str:
    """The file's format once its extension is accepted, it is not empty nor too large, and its content matches."""
    extension = nom.rsplit(".", 1)[-1].lower() if "." in nom else ""
    fmt = "jpg" if extension == "jpeg" else extension
    if fmt not in regle.formats:
        raise ErreursSaisie([f"« {regle.champ} » : « {nom} » n'est {regle.formats_refuses}."])
    if not contenu:
        raise ErreursSaisie([f"« {regle.champ} » : le fichier « {nom} » est vide."])
    if len(contenu) > regle.taille_max:
        raise ErreursSaisie([f"« {regle.champ} » : le fichier fait {len(contenu) / 1048576:.1f} Mo ; "
                             f"{regle.taille_max / 1048576:g} Mo au plus."])
    reel = format_reel(contenu)
    if reel != fmt:
        autre = NOMS_FORMATS.get(reel) or next((v for k, v in AUTRES_SIGNATURES.items() if contenu.startswith(k)), None)
        raise ErreursSaisie([f"« {regle.champ} » : « {nom} » porte l'extension .{extension} mais "
                             + (f"contient {autre}" if autre else "son contenu n'est celui d'aucun PDF ni d'aucune image")
                             + f" ; joignez {regle.attendu}."])
    return fmt


def _image_demesuree(regle: Regle, nom: str, largeur: int, hauteur: int) -> ErreursSaisie:
    taille = f"{largeur:,} × {hauteur:,} pixels".replace(",", "\u202f") if largeur else "une taille démesurée"
    return ErreursSaisie([f"« {regle.champ} » : l'image « {nom} » déclare {taille}, bien plus qu'{regle.objet} ; "
                          f"{regle.conseil_image}."])


def ouvrir_image(regle: Regle, nom: str, contenu: bytes) -> Image.Image:
    """The decoded image, once its declared size is within the rule (read from its header before decoding)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(contenu))  # reads the header only
            largeur, hauteur = image.size
            if largeur * hauteur > regle.pixels_max:
                raise _image_demesuree(regle, nom, largeur, hauteur)
            image.load()  # decodes it: a truncated file is refused here
            return image
    except ErreursSaisie:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own limit, met before the size could be read
        largeur, hauteur = struct.unpack(">II", contenu[16:24]) if contenu[12:16] == b"IHDR" else (0, 0)
        raise _image_demesuree(regle, nom, largeur, hauteur) from exc
    except (OSError, ValueError, SyntaxError, struct.error) as exc:
        raise ErreursSaisie([f"« {regle.champ} » : l'image « {nom} » est endommagée (incomplète ou tronquée ?) et ne "
                             f"s'ouvre pas ; {regle.refaire}."]) from exc
