"""PNG previews of a PDF's first pages (poppler's pdftoppm), for showing a document inside a page."""

import shutil
import subprocess
import tempfile
from pathlib import Path


def premieres_pages_png(pdf: bytes, pages: int = 3, resolution: int = 70) -> list[bytes] | None:
    """The first `pages` pages, in order; None when poppler is not installed (the page then offers the download only)."""
    if shutil.which("pdftoppm") is None:
        return None
    with tempfile.TemporaryDirectory(prefix="oepre-apercu-") as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-f", "1", "-l", str(pages), "-r", str(resolution), "-png", str(source), str(Path(tmp) / "p")],
                       check=True, capture_output=True, timeout=60)
        # p-1.png … p-10.png: pdftoppm pads the number to the page count's width, so the names sort in page order
        return [png.read_bytes() for png in sorted(Path(tmp).glob("p*.png"))]


def premiere_page_png(pdf: bytes, resolution: int = 70) -> bytes | None:
    images = premieres_pages_png(pdf, pages=1, resolution=resolution)
    return images[0] if images else None
