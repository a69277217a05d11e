"""The signed attendance sheet: a scan (PDF or image) attached to its séance, checked to be what it claims."""

import io
import re
import struct
import warnings

import pikepdf
from PIL import Image

from db.models import Campagne, Document, Groupe, Seance
from forms.base import ErreursSaisie
from workflow.atelier.etapes import PAR_CLE
from workflow.noyau.moteur import charger_dossier, enregistrer_fichier
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import AccesRefuse

TAILLE_MAX = 10 * 1024 * 1024
PAGES_MAX = 50  # a month's sheets of a group; a scan is never longer
OBJETS_MAX = 20_000  # a PDF declaring more objects is refused before it is parsed (a million pages parse for 20 s)
PIXELS_MAX = 80_000_000  # 80 Mpx: an A3 page at 600 dpi is 70 Mpx
SIGNATURES = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff"}
NOMS_FORMATS = {"pdf": "un PDF", "png": "une image PNG", "jpg": "une image JPEG"}
AUTRES_SIGNATURES = {b"PK\x03\x04": "un document bureautique (Word, LibreOffice) ou une archive ZIP",
                     b"GIF8": "une image GIF", b"II*\x00": "une image TIFF", b"MM\x00*": "une image TIFF"}
CHAMP = "« Feuille d'émargement signée »"


def _format_reel(contenu: bytes) -> str | None:
    """What the bytes are, whatever the name says: pdf, png, jpg, or None. A PDF's header may follow a few bytes
    (a byte-order mark, blank lines: the PDF standard allows it within the first 1,024 bytes)."""
    if SIGNATURES["pdf"] in contenu[:1024]:
        return "pdf"
    return next((fmt for fmt, debut in SIGNATURES.items() if fmt != "pdf" and contenu.startswith(debut)), None)


def verifier_scan(nom: str, contenu: bytes) -> str:
    """The file's format (pdf, png, jpg) once its content matches its name and opens; else one French reason that
    says what is wrong. Cheap checks first (size, type, declared size), so that no file takes long to refuse."""
    extension = nom.rsplit(".", 1)[-1].lower() if "." in nom else ""
    fmt = "jpg" if extension == "jpeg" else extension
    if fmt not in SIGNATURES:
        raise ErreursSaisie([f"{CHAMP} : « {nom} » n'est ni un PDF, ni une image PNG ou JPEG."])
    if not contenu:
        raise ErreursSaisie([f"{CHAMP} : le fichier « {nom} » est vide."])
    if len(contenu) > TAILLE_MAX:
        raise ErreursSaisie([f"{CHAMP} : le fichier fait {len(contenu) / 1048576:.1f} Mo ; 10 Mo au plus."])
    reel = _format_reel(contenu)
    if reel != fmt:
        autre = NOMS_FORMATS.get(reel) or next((v for k, v in AUTRES_SIGNATURES.items() if contenu.startswith(k)), None)
        raise ErreursSaisie([f"{CHAMP} : « {nom} » porte l'extension .{extension} mais "
                             + (f"contient {autre}" if autre else "son contenu n'est celui d'aucun PDF ni d'aucune image")
                             + " ; joignez la feuille scannée en PDF, PNG ou JPEG."])
    if fmt == "pdf":
        _verifier_pdf(nom, contenu)
    else:
        _verifier_image(nom, contenu)
    return fmt


def _verifier_pdf(nom: str, contenu: bytes) -> None:
    declares = [int(n) for n in re.findall(rb"/Size\s*(\d{1,12})", contenu)]
    if declares and max(declares) > OBJETS_MAX:
        raise ErreursSaisie([f"{CHAMP} : « {nom} » est bien trop volumineux pour une feuille scannée "
                             f"(plus de {OBJETS_MAX:n} objets PDF) ; numérisez seulement la feuille de la séance."])
    try:
        with pikepdf.open(io.BytesIO(contenu)) as document:
            pages = len(document.pages)
    except pikepdf.PasswordError as exc:
        raise ErreursSaisie([f"{CHAMP} : « {nom} » est protégé par un mot de passe ; enregistrez-le sans mot de passe "
                             "puis joignez-le à nouveau."]) from exc
    except pikepdf.PdfError as exc:
        if "encryption" in str(exc).lower():
            raise ErreursSaisie([f"{CHAMP} : « {nom} » est chiffré d'une manière que le service ne sait pas ouvrir ; "
                                 "enregistrez-le sans protection puis joignez-le à nouveau."]) from exc
        raise ErreursSaisie([f"{CHAMP} : « {nom} » est endommagé (incomplet ou tronqué ?) et ne s'ouvre pas ; "
                             "numérisez ou exportez-le à nouveau."]) from exc
    except (ValueError, OverflowError, RuntimeError) as exc:  # qpdf's own refusals of absurd offsets or sizes
        raise ErreursSaisie([f"{CHAMP} : « {nom} » est endommagé (sa structure interne est incohérente) et ne s'ouvre "
                             "pas ; numérisez ou exportez-le à nouveau."]) from exc
    if pages == 0:
        raise ErreursSaisie([f"{CHAMP} : « {nom} » ne contient aucune page."])
    if pages > PAGES_MAX:
        raise ErreursSaisie([f"{CHAMP} : « {nom} » compte {pages} pages ; une feuille d'émargement en a au plus {PAGES_MAX}."])


def _image_demesuree(nom: str, largeur: int, hauteur: int) -> ErreursSaisie:
    taille = f"{largeur:,} × {hauteur:,} pixels".replace(",", "\u202f") if largeur else "une taille démesurée"
    return ErreursSaisie([f"{CHAMP} : l'image « {nom} » déclare {taille}, bien plus qu'une page numérisée ; "
                          "numérisez la feuille à 300 ppp."])


def _verifier_image(nom: str, contenu: bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(contenu)) as image:  # reads the header only
                largeur, hauteur = image.size
                if largeur * hauteur > PIXELS_MAX:
                    raise _image_demesuree(nom, largeur, hauteur)
                image.load()  # decodes it: a truncated file is refused here
    except ErreursSaisie:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own limit, met before the size could be read
        largeur, hauteur = struct.unpack(">II", contenu[16:24]) if contenu[12:16] == b"IHDR" else (0, 0)
        raise _image_demesuree(nom, largeur, hauteur) from exc
    except (OSError, ValueError, SyntaxError, struct.error) as exc:
        raise ErreursSaisie([f"{CHAMP} : l'image « {nom} » est endommagée (incomplète ou tronquée ?) et ne s'ouvre pas ; "
                             "numérisez-la à nouveau."]) from exc


@operation("joindre_feuille_signee", "Joindre une feuille d'émargement signée", PAR_CLE["enregistrer_seance"].acteurs)
def joindre_feuille_signee(ecriture: Ecriture, *, seance_id: int, nom: str, contenu: bytes) -> Document:
    seance = ecriture.session.get(Seance, seance_id)
    if seance is None:
        raise AccesRefuse("Séance introuvable.")
    groupe = ecriture.session.get(Groupe, seance.groupe_id)
    dossier, _ = charger_dossier(ecriture.session, ecriture.acteur, groupe.dossier_id)
    fmt = verifier_scan(nom, contenu)
    doc = enregistrer_fichier(ecriture.session, sujet=f"dossier:{dossier.id}", type_document="emargement_signe", fmt=fmt,
                              contenu=contenu, etape="enregistrer_seance", acteur=ecriture.acteur,
                              campagne=ecriture.session.get(Campagne, dossier.campagne_id), dossier=dossier, source_id=None,
                              ecrits=ecriture.ecrits)
    seance.scan_document_id = doc.id
    ecriture.session.add(seance)
    ecriture.journaliser(f"seance:{seance.id}", document=doc.id)
    return doc
