"""The signed attendance sheet: a scan (PDF or image) attached to its séance, checked to be what it claims."""

import io
import re

import pikepdf

from db.models import Campagne, Document, Groupe, Seance
from forms.base import ErreursSaisie
from workflow.atelier.etapes import PAR_CLE
from workflow.noyau.moteur import charger_dossier, enregistrer_fichier
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import AccesRefuse
from workflow.noyau.televersement import Regle, ouvrir_image, verifier_type

TAILLE_MAX = 10 * 1024 * 1024
PAGES_MAX = 50  # a month's sheets of a group; a scan is never longer
OBJETS_MAX = 20_000  # a PDF declaring more objects is refused before it is parsed (a million pages parse for 20 s)
PIXELS_MAX = 80_000_000  # 80 Mpx: an A3 page at 600 dpi is 70 Mpx
CHAMP = "« Feuille d'émargement signée »"
REGLE = Regle("Feuille d'émargement signée", ("pdf", "png", "jpg"), "ni un PDF, ni une image PNG ou JPEG", TAILLE_MAX,
              PIXELS_MAX, "la feuille scannée en PDF, PNG ou JPEG", "numérisez la feuille à 300 ppp")


def verifier_scan(nom: str, contenu: bytes) -> str:
    """The file's format (pdf, png, jpg) once its content matches its name and opens; else one French reason that
    says what is wrong. Cheap checks first (size, type, declared size), so that no file takes long to refuse."""
    fmt = verifier_type(REGLE, nom, contenu)
    if fmt == "pdf":
        _verifier_pdf(nom, contenu)
    else:
        ouvrir_image(REGLE, nom, contenu).close()
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
