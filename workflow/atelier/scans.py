"""A scan signed on paper (PDF or image), checked to be what it claims before it is stored: the attendance sheet of a
séance, or a letter or état signed outside the tool. Each refusal names the field the person filled in."""

import io
import re
import struct
import warnings
from dataclasses import dataclass

import pikepdf
from PIL import Image

from forms.base import ErreursSaisie

TAILLE_MAX = 10 * 1024 * 1024
PAGES_MAX = 50  # a month's sheets of a group; a scan is never longer
OBJETS_MAX = 20_000  # a PDF declaring more objects is refused before it is parsed (a million pages parse for 20 s)
PIXELS_MAX = 80_000_000  # 80 Mpx: an A3 page at 600 dpi is 70 Mpx
SIGNATURES = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff"}
NOMS_FORMATS = {"pdf": "un PDF", "png": "une image PNG", "jpg": "une image JPEG"}
AUTRES_SIGNATURES = {b"PK\x03\x04": "un document bureautique (Word, LibreOffice) ou une archive ZIP",
                     b"GIF8": "une image GIF", b"II*\x00": "une image TIFF", b"MM\x00*": "une image TIFF"}


@dataclass(frozen=True)
class PieceScannee:
    """How the refusals name what was scanned: the field, the piece (« la feuille ») and one of its kind, with the
    agreement of « scanné » (« e » for a feminine noun)."""

    champ: str
    la_piece: str
    une_piece: str
    accord: str = "e"


FEUILLE_EMARGEMENT = PieceScannee("« Feuille d'émargement signée »", "la feuille", "une feuille d'émargement")


def _format_reel(contenu: bytes) -> str | None:
    """What the bytes are, whatever the name says: pdf, png, jpg, or None. A PDF's header may follow a few bytes
    (a byte-order mark, blank lines: the PDF standard allows it within the first 1,024 bytes)."""
    if SIGNATURES["pdf"] in contenu[:1024]:
        return "pdf"
    return next((fmt for fmt, debut in SIGNATURES.items() if fmt != "pdf" and contenu.startswith(debut)), None)


def verifier_scan(nom: str, contenu: bytes, piece: PieceScannee = FEUILLE_EMARGEMENT) -> str:
    """The file's format (pdf, png, jpg) once its content matches its name and opens; else one French reason that
    says what is wrong. Cheap checks first (size, type, declared size), so that no file takes long to refuse."""
    extension = nom.rsplit(".", 1)[-1].lower() if "." in nom else ""
    fmt = "jpg" if extension == "jpeg" else extension
    if fmt not in SIGNATURES:
        raise ErreursSaisie([f"{piece.champ} : « {nom} » n'est ni un PDF, ni une image PNG ou JPEG."])
    if not contenu:
        raise ErreursSaisie([f"{piece.champ} : le fichier « {nom} » est vide."])
    if len(contenu) > TAILLE_MAX:
        raise ErreursSaisie([f"{piece.champ} : le fichier fait {len(contenu) / 1048576:.1f} Mo ; 10 Mo au plus."])
    reel = _format_reel(contenu)
    if reel != fmt:
        autre = NOMS_FORMATS.get(reel) or next((v for k, v in AUTRES_SIGNATURES.items() if contenu.startswith(k)), None)
        raise ErreursSaisie([f"{piece.champ} : « {nom} » porte l'extension .{extension} mais "
                             + (f"contient {autre}" if autre else "son contenu n'est celui d'aucun PDF ni d'aucune image")
                             + f" ; joignez {piece.la_piece} scanné{piece.accord} en PDF, PNG ou JPEG."])
    if fmt == "pdf":
        _verifier_pdf(nom, contenu, piece)
    else:
        _verifier_image(nom, contenu, piece)
    return fmt


def _verifier_pdf(nom: str, contenu: bytes, piece: PieceScannee) -> None:
    declares = [int(n) for n in re.findall(rb"/Size\s*(\d{1,12})", contenu)]
    if declares and max(declares) > OBJETS_MAX:
        raise ErreursSaisie([f"{piece.champ} : « {nom} » est bien trop volumineux pour {piece.une_piece} scanné{piece.accord} "
                             f"(plus de {OBJETS_MAX:n} objets PDF) ; numérisez seulement {piece.la_piece} signé{piece.accord}."])
    try:
        with pikepdf.open(io.BytesIO(contenu)) as document:
            pages = len(document.pages)
    except pikepdf.PasswordError as exc:
        raise ErreursSaisie([f"{piece.champ} : « {nom} » est protégé par un mot de passe ; enregistrez-le sans mot de passe "
                             "puis joignez-le à nouveau."]) from exc
    except pikepdf.PdfError as exc:
        if "encryption" in str(exc).lower():
            raise ErreursSaisie([f"{piece.champ} : « {nom} » est chiffré d'une manière que le service ne sait pas ouvrir ; "
                                 "enregistrez-le sans protection puis joignez-le à nouveau."]) from exc
        raise ErreursSaisie([f"{piece.champ} : « {nom} » est endommagé (incomplet ou tronqué ?) et ne s'ouvre pas ; "
                             "numérisez ou exportez-le à nouveau."]) from exc
    except (ValueError, OverflowError, RuntimeError) as exc:  # qpdf's own refusals of absurd offsets or sizes
        raise ErreursSaisie([f"{piece.champ} : « {nom} » est endommagé (sa structure interne est incohérente) et ne s'ouvre "
                             "pas ; numérisez ou exportez-le à nouveau."]) from exc
    if pages == 0:
        raise ErreursSaisie([f"{piece.champ} : « {nom} » ne contient aucune page."])
    if pages > PAGES_MAX:
        raise ErreursSaisie([f"{piece.champ} : « {nom} » compte {pages} pages ; {piece.une_piece} en a au plus {PAGES_MAX}."])


def _image_demesuree(nom: str, largeur: int, hauteur: int, piece: PieceScannee) -> ErreursSaisie:
    taille = f"{largeur:,} × {hauteur:,} pixels".replace(",", "\u202f") if largeur else "une taille démesurée"
    return ErreursSaisie([f"{piece.champ} : l'image « {nom} » déclare {taille}, bien plus qu'une page numérisée ; "
                          f"numérisez {piece.la_piece} à 300 ppp."])


def _verifier_image(nom: str, contenu: bytes, piece: PieceScannee) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(contenu)) as image:  # reads the header only
                largeur, hauteur = image.size
                if largeur * hauteur > PIXELS_MAX:
                    raise _image_demesuree(nom, largeur, hauteur, piece)
                image.load()  # decodes it: a truncated file is refused here
    except ErreursSaisie:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own limit, met before the size could be read
        largeur, hauteur = struct.unpack(">II", contenu[16:24]) if contenu[12:16] == b"IHDR" else (0, 0)
        raise _image_demesuree(nom, largeur, hauteur, piece) from exc
    except (OSError, ValueError, SyntaxError, struct.error) as exc:
        raise ErreursSaisie([f"{piece.champ} : l'image « {nom} » est endommagée (incomplète ou tronquée ?) et ne s'ouvre pas ; "
                             "numérisez-la à nouveau."]) from exc
