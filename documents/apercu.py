"""A PNG preview of a PDF's first page (poppler's pdftoppm), for showing a document inside a page."""

import shutil
import subprocess
import tempfile
from pathlib import Path


def premiere_page_png(pdf: bytes, resolution: int = 70) -> bytes | None:
    """None when poppler is not installed (the page then offers the download only)."""
    if shutil.which("pdftoppm") is None:
        return None
    with tempfile.TemporaryDirectory(prefix="oepre-apercu-") as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", str(resolution), "-png", str(source), str(Path(tmp) / "p")],
                       check=True, capture_output=True, timeout=60)
        (png,) = Path(tmp).glob("p*.png")
        return png.read_bytes()
