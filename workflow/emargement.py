"""The signed attendance sheet: a scan (PDF or image) attached to its séance, checked to be what it claims."""

import io

from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from sqlmodel import Session

from db.models import Campagne, Document, Groupe, Seance
from forms.base import ErreursSaisie
from workflow.etapes import ETAPES_PAR_CLE
from workflow.permissions import AccesRefuse, Acteur, exiger_role
from workflow.services import charger_dossier, enregistrer_fichier, journaliser, transaction_et_fichiers

TAILLE_MAX = 10 * 1024 * 1024
SIGNATURES = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff"}
CHAMP = "« Feuille d'émargement signée »"


def verifier_scan(nom: str, contenu: bytes) -> str:
    """The file's format (pdf, png, jpg) once its content matches its name and opens; else French reasons."""
    extension = nom.rsplit(".", 1)[-1].lower() if "." in nom else ""
    fmt = "jpg" if extension == "jpeg" else extension
    if fmt not in SIGNATURES:
        raise ErreursSaisie([f"{CHAMP} : « {nom} » n'est ni un PDF, ni une image PNG ou JPEG."])
    if not contenu:
        raise ErreursSaisie([f"{CHAMP} : le fichier « {nom} » est vide."])
    if len(contenu) > TAILLE_MAX:
        raise ErreursSaisie([f"{CHAMP} : le fichier fait {len(contenu) / 1048576:.1f} Mo ; 10 Mo au plus."])
    if not contenu.startswith(SIGNATURES[fmt]):
        raise ErreursSaisie([f"{CHAMP} : le contenu de « {nom} » n'est pas celui d'un fichier {fmt.upper()} "
                             "(fichier renommé ?)."])
    try:
        if fmt == "pdf":
            if not PdfReader(io.BytesIO(contenu)).pages:
                raise PyPdfError("aucune page")
        else:
            Image.open(io.BytesIO(contenu)).verify()
    except (PyPdfError, OSError, ValueError, SyntaxError) as exc:
        raise ErreursSaisie([f"{CHAMP} : « {nom} » est endommagé et ne s'ouvre pas."]) from exc
    return fmt


def joindre_feuille_signee(session: Session, acteur: Acteur, *, seance_id: int, nom: str, contenu: bytes) -> Document:
    exiger_role(acteur, ETAPES_PAR_CLE["enregistrer_seance"].acteurs, "Joindre une feuille d'émargement signée")
    seance = session.get(Seance, seance_id)
    if seance is None:
        raise AccesRefuse("Séance introuvable.")
    groupe = session.get(Groupe, seance.groupe_id)
    dossier, _ = charger_dossier(session, acteur, groupe.dossier_id)
    fmt = verifier_scan(nom, contenu)
    with transaction_et_fichiers(session) as ecrits:
        doc = enregistrer_fichier(session, sujet=f"dossier:{dossier.id}", type_document="emargement_signe", fmt=fmt,
                                  contenu=contenu, etape="enregistrer_seance", acteur=acteur,
                                  campagne=session.get(Campagne, dossier.campagne_id), dossier=dossier, source_id=None,
                                  ecrits=ecrits)
        seance.scan_document_id = doc.id
        session.add(seance)
        journaliser(session, acteur, "joindre_feuille_signee", f"seance:{seance.id}", document=doc.id)
    return doc
