"""Signature and stamp images for tests: drawn, each in its own colour, on a transparent background (or white paper)."""

import io

from PIL import Image, ImageDraw


def signature_png(couleur=(20, 40, 160), *, fond=(0, 0, 0, 0), taille=(600, 200), fmt="PNG") -> bytes:
    image = Image.new("RGBA" if fmt == "PNG" else "RGB", taille, fond if fmt == "PNG" else (255, 255, 255))
    dessin = ImageDraw.Draw(image)
    largeur, hauteur = taille
    points = [(int(largeur * x / 10), int(hauteur * (0.5 + 0.35 * (-1) ** x * (x % 3) / 2))) for x in range(1, 10)]
    dessin.line(points, fill=couleur, width=max(4, hauteur // 25))
    sortie = io.BytesIO()
    image.save(sortie, format=fmt)
    return sortie.getvalue()


def cachet_png(couleur=(190, 20, 40), cote: int = 400) -> bytes:
    image = Image.new("RGBA", (cote, cote), (0, 0, 0, 0))
    dessin = ImageDraw.Draw(image)
    dessin.ellipse((8, 8, cote - 8, cote - 8), outline=couleur, width=cote // 25)
    dessin.ellipse((cote // 4, cote // 4, 3 * cote // 4, 3 * cote // 4), outline=couleur, width=cote // 40)
    dessin.text((cote // 3, cote // 2 - 8), "CACHET", fill=couleur)
    sortie = io.BytesIO()
    image.save(sortie, format="PNG")
    return sortie.getvalue()


def pdf_vierge(pages: int = 1) -> bytes:
    """A PDF of `pages` blank A4 pages (a scan as the tests join it; 0 or too many for the refusals)."""
    from pypdf import PdfWriter

    sortie, tampon = PdfWriter(), io.BytesIO()
    for _ in range(pages):
        sortie.add_blank_page(width=595, height=842)
    sortie.write(tampon)
    return tampon.getvalue()
