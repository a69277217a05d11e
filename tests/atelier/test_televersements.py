"""Issue 14, item 5: a corpus of odd uploads, generated here, each refused quickly with the French reason that says
what is wrong (or accepted when it is a real scan); no parser exception ever escapes."""

import io
import struct
import time
import zlib

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfWriter

from forms.base import ErreursSaisie
from workflow.atelier.scans import OBJETS_MAX, PAGES_MAX, verifier_scan


def _pdf(pages: int = 1, **chiffrement) -> bytes:
    sortie, tampon = PdfWriter(), io.BytesIO()
    for _ in range(pages):
        sortie.add_blank_page(width=595, height=842)
    if chiffrement:
        sortie.encrypt(**chiffrement)
    sortie.write(tampon)
    return tampon.getvalue()


def _image(fmt: str, taille=(400, 300)) -> bytes:
    tampon = io.BytesIO()
    Image.new("RGB", taille, "white").save(tampon, format=fmt)
    return tampon.getvalue()


def _png_bombe(largeur: int = 30000, hauteur: int = 30000) -> bytes:
    """A tiny PNG whose header declares a huge picture (74 bytes declaring 30000 × 30000 pixels)."""
    def morceau(genre: bytes, donnees: bytes) -> bytes:
        return struct.pack(">I", len(donnees)) + genre + donnees + struct.pack(">I", zlib.crc32(genre + donnees))

    return (b"\x89PNG\r\n\x1a\n" + morceau(b"IHDR", struct.pack(">IIBBBBB", largeur, hauteur, 8, 2, 0, 0, 0))
            + morceau(b"IDAT", zlib.compress(b"\x00" * 16)) + morceau(b"IEND", b""))


def _pdf_tres_long(pages: int) -> bytes:
    """A PDF of `pages` blank pages in object streams: small on disk, slow to parse."""
    document = pikepdf.new()
    racine = document.Root.Pages
    racine.Kids = pikepdf.Array([document.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, Parent=racine, MediaBox=[0, 0, 10, 10])) for _ in range(pages)])
    racine.Count = pages
    tampon = io.BytesIO()
    document.save(tampon, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return tampon.getvalue()


UNE_PAGE = _pdf()
MOT_DE_PASSE = _pdf(user_password="secret", owner_password="proprietaire")

CORPUS = [  # (name, content, expected reason or None when accepted)
    ("scan.pdf", UNE_PAGE, None),
    ("scan.PDF", b"\xef\xbb\xbf" + UNE_PAGE, None),  # a byte-order mark before the header: a valid PDF
    ("scan.pdf", b"\r\n\n" + UNE_PAGE, None),
    ("scan.pdf", _pdf(user_password="", owner_password="proprietaire"), None),  # restrictions only: it opens
    ("photo.png", _image("PNG"), None),
    ("photo.jpeg", _image("JPEG"), None),
    ("scan.pdf", MOT_DE_PASSE, "est protégé par un mot de passe"),
    ("scan.pdf", MOT_DE_PASSE.replace(b"/Standard", b"/Inconnu1"), "est chiffré d'une manière que le service ne sait pas ouvrir"),
    ("scan.pdf", _pdf(pages=0), "ne contient aucune page"),
    ("scan.pdf", UNE_PAGE[: len(UNE_PAGE) // 2], "est endommagé (incomplet ou tronqué ?)"),
    ("scan.pdf", b"%PDF-1.7\n garbage without any page", "est endommagé"),
    ("scan.pdf", UNE_PAGE[: UNE_PAGE.rfind(b"startxref")] + b"startxref\n99999999999999999999999\n%%EOF\n", "est endommagé"),
    ("scan.pdf", _pdf(pages=PAGES_MAX + 1), f"compte {PAGES_MAX + 1} pages"),
    ("scan.pdf", _pdf_tres_long(OBJETS_MAX * 5), "bien trop volumineux pour une feuille d'émargement scannée"),
    ("photo.png", _png_bombe(), "déclare 30\u202f000 × 30\u202f000 pixels"),
    ("photo.png", _png_bombe(12000, 8000), "déclare 12\u202f000 × 8\u202f000 pixels"),
    ("photo.png", _image("PNG")[:200], "est endommagée (incomplète ou tronquée ?)"),
    ("photo.jpg", b"\xff\xd8\xff\xe0 broken jpeg", "est endommagée"),
    ("scan.pdf", _image("PNG"), "porte l'extension .pdf mais contient une image PNG"),
    ("photo.png", UNE_PAGE, "porte l'extension .png mais contient un PDF"),
    ("scan.pdf", b"PK\x03\x04" + b"\x00" * 40, "contient un document bureautique (Word, LibreOffice) ou une archive ZIP"),
    ("scan.jpg", b"GIF89a" + b"\x00" * 40, "contient une image GIF"),
    ("scan.pdf", b"bonjour", "son contenu n'est celui d'aucun PDF ni d'aucune image"),
    ("feuille.docx", b"PK\x03\x04", "n'est ni un PDF, ni une image PNG ou JPEG"),
    ("feuille", UNE_PAGE, "n'est ni un PDF, ni une image PNG ou JPEG"),
    ("feuille.png", b"", "est vide"),
    ("feuille.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "10 Mo au plus"),
]


@pytest.mark.parametrize(("nom", "contenu", "raison"), CORPUS, ids=[f"{i}-{c[0]}" for i, c in enumerate(CORPUS)])
def test_chaque_fichier_du_corpus_a_sa_raison_en_moins_de_deux_secondes(nom, contenu, raison):
    debut = time.perf_counter()
    if raison is None:
        assert verifier_scan(nom, contenu) in ("pdf", "png", "jpg")
    else:
        with pytest.raises(ErreursSaisie) as refus:
            verifier_scan(nom, contenu)
        assert raison in str(refus.value)
        assert "« Feuille d'émargement signée »" in str(refus.value)
    assert time.perf_counter() - debut < 2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from([UNE_PAGE, MOT_DE_PASSE, _image("PNG"), _image("JPEG")]),
       coupe=st.integers(min_value=0, max_value=2000), bruit=st.binary(max_size=64), position=st.integers(min_value=0))
def test_un_fichier_abime_n_echappe_jamais_au_message_francais(base, coupe, bruit, position):
    """Whatever bytes are cut or overwritten, the answer is a format or a French refusal, never a parser's exception."""
    i = position % (len(base) + 1)
    contenu = (base[:i] + bruit + base[i + len(bruit):])[: max(1, len(base) - coupe)]
    nom = "scan.pdf" if base in (UNE_PAGE, MOT_DE_PASSE) else ("photo.png" if base.startswith(b"\x89PNG") else "photo.jpg")
    try:
        verifier_scan(nom, contenu)
    except ErreursSaisie as refus:
        assert str(refus).startswith("« Feuille d'émargement signée »")
