"""Signatures and stamps: each signatory — the head of a school, the DASEN of a département, the académie's pilote and
its DAEPS office — holds a signature image and a stamp, which the documents they sign print in their signature block
(documents.catalogue declares who signs which block; moteur.contexte_du_document puts the images in).

Who sets them: the holder (the head who files, not a delegate; the DSDEN accounts of the département; the académie's
pilote or DAEPS), and the académie's administrator. An image is checked as every upload is (workflow.noyau.televersement),
then kept as a PNG whose background is transparent (a JPEG scan's white paper is made transparent), trimmed to what is
drawn and bounded in pixels. Files are written once (documents.stockage); a replacement is the next version, a removal
a version without a file; each is an operation written to the audit log."""

import io
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from PIL import Image, ImageOps
from sqlalchemy import func, tuple_
from sqlmodel import Session, select

from db.models import Departement, Etablissement, ImageSignataire, Utilisateur
from documents import stockage
from documents.catalogue import GABARITS, signataires
from forms.base import ErreursSaisie
from forms.contexte import ImageDocument, nom_image
from forms.vocabulaire import NatureImage, Role, Signataire
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import AccesRefuse, Acteur
from workflow.noyau.profil import academie_de
from workflow.noyau.televersement import Regle, ouvrir_image, verifier_type

REGLE = Regle("Image", ("png", "jpg"), "ni une image PNG ni une image JPEG", 5 * 1024 * 1024, 25_000_000,
              "une image PNG (fond transparent) ou JPEG", "réduisez-la (1 000 pixels de large suffisent)",
              objet="une signature ou un cachet", refaire="enregistrez-la à nouveau")
PIXELS_GARDES = 1200  # the longest side kept: 1,200 px over 45 mm print at about 680 dpi
BLANC = 235  # a JPEG's pixels this light (on 255) are its paper: made transparent
# The room each image takes in a signature block (width × height at most, in mm): the stamp beside the signature.
TAILLES_MM = {NatureImage.SIGNATURE: (45.0, 18.0), NatureImage.CACHET: (30.0, 30.0)}
# Who holds each signatory's images, besides the académie's administrator.
ROLE_DU_TITULAIRE = {Signataire.PORTEUR: Role.PORTEUR, Signataire.DASEN: Role.DSDEN, Signataire.PILOTE: Role.PILOTE,
                     Signataire.DAEPS: Role.DAEPS}
SETTERS = (*ROLE_DU_TITULAIRE.values(), Role.ADMIN)


@dataclass(frozen=True)
class Titulaire:
    signataire: Signataire
    perimetre: str  # UAI, département code or académie code
    libelle: str  # « IA-DASEN du département — Haute-Garonne (31) »


@dataclass(frozen=True)
class VersionImage:
    version: int
    present: bool  # False: this version removed the image
    par: str
    le: datetime
    largeur_px: int | None
    hauteur_px: int | None


# --- Who holds what ------------------------------------------------------------------------------


def _academie_du_perimetre(session: Session, signataire: Signataire, perimetre: str) -> str | None:
    if signataire in (Signataire.PILOTE, Signataire.DAEPS):
        return perimetre
    if signataire == Signataire.DASEN:
        dep = session.get(Departement, perimetre)
        return dep.academie_code if dep else None
    etab = session.get(Etablissement, perimetre)
    dep = session.get(Departement, etab.departement_code) if etab else None
    return dep.academie_code if dep else None


def exiger_titulaire(session: Session, acteur: Acteur, signataire: Signataire, perimetre: str) -> None:
    """The holder themself, or the administrator of the holder's académie; anyone else: AccesRefuse."""
    academie = _academie_du_perimetre(session, signataire, perimetre)
    if academie is None:
        raise AccesRefuse("Signataire introuvable.")
    if acteur.role == Role.ADMIN:
        autorise = academie == academie_de(acteur)
    elif acteur.role != ROLE_DU_TITULAIRE[signataire]:
        autorise = False
    elif signataire == Signataire.PORTEUR:
        autorise = acteur.uai == perimetre and acteur.peut_deposer  # a delegate prepares, does not sign
    elif signataire == Signataire.DASEN:
        autorise = acteur.departement == perimetre
    else:
        autorise = academie == academie_de(acteur)
    if not autorise:
        raise AccesRefuse("Accès refusé : seuls le titulaire de cette signature et l'administrateur de son académie "
                          "la gèrent.")


def titulaires(session: Session, acteur: Acteur) -> list[Titulaire]:
    """The signatories whose images the actor sets: their own, or for the administrator every one of the académie."""
    academie = academie_de(acteur)
    nom_academie = f"académie ({academie})"
    match acteur.role:
        case Role.PORTEUR if acteur.uai and acteur.peut_deposer:
            etab = session.get(Etablissement, acteur.uai)
            return [Titulaire(Signataire.PORTEUR, acteur.uai, f"{Signataire.PORTEUR.libelle} — {etab.nom if etab else acteur.uai}")]
        case Role.DSDEN if acteur.departement:
            dep = session.get(Departement, acteur.departement)
            return [Titulaire(Signataire.DASEN, acteur.departement, f"{Signataire.DASEN.libelle} — {dep.nom} ({dep.code})")]
        case Role.PILOTE | Role.DAEPS:
            signataire = Signataire.PILOTE if acteur.role == Role.PILOTE else Signataire.DAEPS
            return [Titulaire(signataire, academie, f"{signataire.libelle} — {nom_academie}")]
        case Role.ADMIN:
            deps = session.exec(select(Departement).where(Departement.academie_code == academie).order_by(Departement.code)).all()
            etabs = session.exec(select(Etablissement).where(Etablissement.departement_code.in_([d.code for d in deps]))
                                 .order_by(Etablissement.departement_code, Etablissement.nom)).all()
            return ([Titulaire(s, academie, f"{s.libelle} — {nom_academie}") for s in (Signataire.PILOTE, Signataire.DAEPS)]
                    + [Titulaire(Signataire.DASEN, d.code, f"{Signataire.DASEN.libelle} — {d.nom} ({d.code})") for d in deps]
                    + [Titulaire(Signataire.PORTEUR, e.uai, f"{Signataire.PORTEUR.libelle} — {e.nom} ({e.uai})") for e in etabs])
    return []


def documents_signes(signataire: Signataire) -> list[str]:
    """The documents that print this signatory's images (their declarations in documents.catalogue)."""
    return [g.titre for cle, g in GABARITS.items() if signataire in signataires(cle)]


# --- Reading -------------------------------------------------------------------------------------


def _versions(signataire: Signataire, perimetre: str, nature: NatureImage):
    return select(ImageSignataire).where(ImageSignataire.signataire == signataire.value, ImageSignataire.perimetre == perimetre,
                                         ImageSignataire.nature == nature.value)


def historique(session: Session, acteur: Acteur, signataire: Signataire, perimetre: str,
               nature: NatureImage) -> list[VersionImage]:
    """Every version, the newest first: who set or removed it, when."""
    exiger_titulaire(session, acteur, signataire, perimetre)
    lignes = session.exec(_versions(signataire, perimetre, nature).order_by(ImageSignataire.version.desc())).all()
    noms = {u.id: u.nom_affiche for u in session.exec(select(Utilisateur).where(
        Utilisateur.id.in_({v.depose_par_id for v in lignes})))} if lignes else {}
    return [VersionImage(v.version, v.chemin is not None, noms.get(v.depose_par_id, "—"), v.depose_at, v.largeur_px,
                         v.hauteur_px) for v in lignes]


@lru_cache(maxsize=64)
def _octets(chemin: str, sha: str) -> bytes:
    """A stored image (files never change: a path and its SHA-256 name the same bytes for ever)."""
    return stockage.depot().lire(chemin, sha)


def image_actuelle(session: Session, acteur: Acteur, signataire: Signataire, perimetre: str,
                   nature: NatureImage) -> bytes | None:
    """The PNG documents print now, for the holder's page; None when there is none (never set, or removed)."""
    exiger_titulaire(session, acteur, signataire, perimetre)
    derniere = session.exec(_versions(signataire, perimetre, nature).order_by(ImageSignataire.version.desc())).first()
    return _octets(derniere.chemin, derniere.sha256) if derniere and derniere.chemin else None


def largeur_mm(nature: NatureImage, largeur_px: int, hauteur_px: int) -> float:
    """The printed width: as wide as its box allows without being taller than it (its height follows its ratio)."""
    largeur, hauteur = TAILLES_MM[nature]
    return round(min(largeur, hauteur * largeur_px / max(hauteur_px, 1)), 1)


def images_du_contexte(session: Session, academie: str, departement: str | None, uai: str | None) -> dict[str, ImageDocument]:
    """The current images of the signatories of a document's scope (its school's head, its département's DASEN, the
    académie's pilote and DAEPS), by template variable (« signature_porteur »…): those removed or never set are absent."""
    cles = [(Signataire.PILOTE.value, academie), (Signataire.DAEPS.value, academie)]
    cles += [(Signataire.DASEN.value, departement)] if departement else []
    cles += [(Signataire.PORTEUR.value, uai)] if uai else []
    derniere = (select(ImageSignataire.signataire, ImageSignataire.perimetre, ImageSignataire.nature,
                       func.max(ImageSignataire.version).label("version"))
                .where(tuple_(ImageSignataire.signataire, ImageSignataire.perimetre).in_(cles))
                .group_by(ImageSignataire.signataire, ImageSignataire.perimetre, ImageSignataire.nature).subquery())
    lignes = session.exec(select(ImageSignataire).join(derniere, (ImageSignataire.signataire == derniere.c.signataire)
                                                       & (ImageSignataire.perimetre == derniere.c.perimetre)
                                                       & (ImageSignataire.nature == derniere.c.nature)
                                                       & (ImageSignataire.version == derniere.c.version))).all()
    images = {}
    for v in lignes:
        if v.chemin is None:
            continue
        nature = NatureImage(v.nature)
        images[nom_image(nature, Signataire(v.signataire))] = ImageDocument(
            _octets(v.chemin, v.sha256), largeur_mm(nature, v.largeur_px, v.hauteur_px))
    return images


# --- Writing -------------------------------------------------------------------------------------


def preparer(nom: str, contenu: bytes) -> Image.Image:
    """The uploaded image as it will be printed: checked, turned upright, on a transparent background (a PNG's own
    transparency is kept; a JPEG's white paper becomes transparent), trimmed to what is drawn, at most PIXELS_GARDES
    on its longest side."""
    fmt = verifier_type(REGLE, nom, contenu)
    with ouvrir_image(REGLE, nom, contenu) as source:
        image = ImageOps.exif_transpose(source).convert("RGBA")
    if fmt == "jpg":
        papier = image.convert("L").point(lambda v: 0 if v >= BLANC else 255)
        image.putalpha(papier)
    cadre = image.getchannel("A").point(lambda a: 255 if a > 8 else 0).getbbox()
    if cadre is None:
        raise ErreursSaisie([f"« {REGLE.champ} » : l'image « {nom} » est vide (entièrement transparente ou blanche)."])
    image = image.crop(cadre)
    image.thumbnail((PIXELS_GARDES, PIXELS_GARDES), Image.Resampling.LANCZOS)
    return image


def _prochaine_version(session: Session, signataire: Signataire, perimetre: str, nature: NatureImage) -> int:
    return (session.exec(select(func.max(ImageSignataire.version)).where(
        ImageSignataire.signataire == signataire.value, ImageSignataire.perimetre == perimetre,
        ImageSignataire.nature == nature.value)).one() or 0) + 1


@operation("deposer_image_signataire", "Déposer une signature ou un cachet", SETTERS)
def deposer_image(ecriture: Ecriture, *, signataire: Signataire, perimetre: str, nature: NatureImage, nom: str,
                  contenu: bytes) -> ImageSignataire:
    """A new version of the holder's signature or stamp (the previous ones stay, in the history)."""
    session = ecriture.session
    exiger_titulaire(session, ecriture.acteur, signataire, perimetre)
    image = preparer(nom, contenu)
    sortie = io.BytesIO()
    image.save(sortie, format="PNG", optimize=True)
    png = sortie.getvalue()
    version = _prochaine_version(session, signataire, perimetre, nature)
    relatif = f"signatures/{signataire.value}-{perimetre}/{nature.value}-v{version}-{secrets.token_hex(4)}.png"
    ligne = ImageSignataire(signataire=signataire.value, perimetre=perimetre, nature=nature.value, version=version,
                            chemin=relatif, sha256=stockage.sha256(png), largeur_px=image.width, hauteur_px=image.height,
                            depose_par_id=ecriture.acteur.id)
    session.add(ligne)
    session.flush()  # the row first: a refused row writes no file
    ecriture.ecrits.append(stockage.depot().ecrire(relatif, png))
    ecriture.journaliser(f"{signataire.value}:{perimetre}", nature=nature.value, version=version, sha256=ligne.sha256)
    return ligne


@operation("retirer_image_signataire", "Retirer une signature ou un cachet", SETTERS)
def retirer_image(ecriture: Ecriture, *, signataire: Signataire, perimetre: str, nature: NatureImage) -> ImageSignataire:
    """A version that says « none »: documents print no image from now on; the earlier versions stay in the history."""
    session = ecriture.session
    exiger_titulaire(session, ecriture.acteur, signataire, perimetre)
    version = _prochaine_version(session, signataire, perimetre, nature)
    ligne = ImageSignataire(signataire=signataire.value, perimetre=perimetre, nature=nature.value, version=version,
                            depose_par_id=ecriture.acteur.id)
    session.add(ligne)
    session.flush()
    ecriture.journaliser(f"{signataire.value}:{perimetre}", nature=nature.value, version=version, retiree=True)
    return ligne
