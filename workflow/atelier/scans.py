"""A scan signed on paper (PDF or image), checked to be what it claims before it is stored: the attendance sheet of a
séance, or a letter or état signed outside the tool. Each refusal names the field the person filled in."""

import io
import re
from dataclasses import dataclass

import pikepdf

from forms.base import ErreursSaisie
from workflow.noyau.televersement import Regle, ouvrir_image, verifier_type

TAILLE_MAX = 10 * 1024 * 1024
PAGES_MAX = 50  # a month's sheets of a group; a scan is never longer
OBJETS_MAX = 20_000  # a PDF declaring more objects is refused before it is parsed (a million pages parse for 20 s)
PIXELS_MAX = 80_000_000  # 80 Mpx: an A3 page at 600 dpi is 70 Mpx


@dataclass(frozen=True)
class PieceScannee:
    """How the refusals name what was scanned: the field, the piece (« la feuille ») and one of its kind, with the
    agreement of « scanné » (« e » for a feminine noun)."""

    champ: str
    la_piece: str
    une_piece: str
    accord: str = "e"

    @property
    def regle(self) -> Regle:
        """What every upload is checked for (workflow.noyau.televersement), in this piece's words."""
        return Regle(self.champ.removeprefix("« ").removesuffix(" »"), ("pdf", "png", "jpg"),
                     "ni un PDF, ni une image PNG ou JPEG", TAILLE_MAX, PIXELS_MAX,
                     f"{self.la_piece} scanné{self.accord} en PDF, PNG ou JPEG", f"numérisez {self.la_piece} à 300 ppp")


FEUILLE_EMARGEMENT = PieceScannee("« Feuille d'émargement signée »", "la feuille", "une feuille d'émargement")


def verifier_scan(nom: str, contenu: bytes, piece: PieceScannee = FEUILLE_EMARGEMENT) -> str:
    """The file's format (pdf, png, jpg) once its content matches its name and opens; else one French reason that
    says what is wrong. Cheap checks first (size, type, declared size), so that no file takes long to refuse."""
    fmt = verifier_type(piece.regle, nom, contenu)
    if fmt == "pdf":
        _verifier_pdf(nom, contenu, piece)
    else:
        ouvrir_image(piece.regle, nom, contenu).close()
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
