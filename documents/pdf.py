"""DOCX → PDF through LibreOffice headless.

Interactive documents go through one persistent LibreOffice (unoserver, started once per process,
on its own profile and free ports): about 0.2 s a page instead of about 1.2 s for a cold `soffice`
(bench/pdf_conversion.py measures both). When unoserver is not available, or has failed twice,
each conversion starts a cold `soffice` with a private profile (`convertir_lot`: at most 200 files per
call, output count checked). Batches of hundreds of copies of one template go through documents/lot.py.
"""

import atexit
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pikepdf
from pypdf import PdfWriter

RACINE = Path(__file__).resolve().parent.parent
UNOSERVER = RACINE / ".unovenv" / "bin" / "unoserver"
MESSAGE_ABSENT = (
    "LibreOffice n'est pas installé sur ce serveur : le PDF ne peut pas être produit "
    "(le document DOCX reste disponible). Installez le paquet Debian « libreoffice-writer-nogui »."
)
LOT_MAX = 200  # soffice silently stops after about 247 files in one call (tech-notes §3)
# Accessible PDFs: a structure tree (headings, tables, reading order) and PDF/UA's requirements (the title shown
# instead of the file name, the language declared). LibreOffice's PDF export option names.
OPTIONS_PDF = ("UseTaggedPDF", "PDFUACompliance")
CONVERSION_PDF = "pdf:writer_pdf_Export:" + json.dumps({o: {"type": "boolean", "value": "true"} for o in OPTIONS_PDF})


class LibreOfficeAbsent(RuntimeError):
    def __init__(self) -> None:
        super().__init__(MESSAGE_ABSENT)


class ConversionEchouee(RuntimeError):
    pass


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def soffice_chemin(soffice: str = "soffice") -> str:
    chemin = shutil.which(soffice)
    if not chemin:
        raise LibreOfficeAbsent()
    return chemin


def verifier_pdf(contenu: bytes, origine: str = "LibreOffice") -> bytes:
    """The bytes when they are a readable PDF with at least one page; otherwise ConversionEchouee (a converter that
    exits 0 after writing something else must not have its output stored as the PDF)."""
    try:
        with pikepdf.open(io.BytesIO(contenu)) as document:
            pages = len(document.pages)
    except (pikepdf.PdfError, ValueError, OverflowError) as exc:
        raise ConversionEchouee(f"{origine} a produit un fichier qui n'est pas un PDF lisible.") from exc
    if not pages:
        raise ConversionEchouee(f"{origine} a produit un PDF sans aucune page.")
    return contenu


def titre_xmp_corrige(contenu: bytes) -> bytes:
    """LibreOffice (7.4) escapes the title twice in the XMP metadata (« Avis de l&apos;IA-DASEN »), which PDF/UA
    readers show: the XMP title is set back to the document information's."""
    with pikepdf.open(io.BytesIO(contenu)) as document:
        titre = str(document.docinfo.get("/Title", ""))
        if not titre or document.open_metadata().get("dc:title") == titre:
            return contenu
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:title"] = titre
        sortie = io.BytesIO()
        document.save(sortie)
        return sortie.getvalue()


def _executer_groupe(commande: list[str], timeout: float) -> int:
    """Run a command in its own process group, within `timeout` seconds; the whole group (soffice's oosplash and
    soffice.bin included) is killed on timeout and reaped after the command ends, so that nothing outlives it."""
    processus = subprocess.Popen(commande, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        return processus.wait(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise ConversionEchouee(f"LibreOffice n'a pas terminé la conversion en {timeout:.0f} s ; il a été arrêté.") from exc
    finally:
        try:
            os.killpg(processus.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        processus.wait()


def convertir_lot(fichiers: list[Path], dossier_sortie: Path, *, soffice: str = "soffice",
                  profil: Path | None = None, timeout: int = 1800) -> list[Path]:
    """Convert DOCX files with cold soffice calls of at most LOT_MAX files, on a private profile; every output is
    checked to be a PDF."""
    executable = soffice_chemin(soffice)
    dossier_sortie.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="oepre-lo-") as tmp:
        profil_uri = (profil or Path(tmp) / "profil").resolve().as_uri()
        for debut in range(0, len(fichiers), LOT_MAX):
            lot = fichiers[debut:debut + LOT_MAX]
            code = _executer_groupe([executable, f"-env:UserInstallation={profil_uri}", "--headless", "--norestore",
                                     "--convert-to", CONVERSION_PDF, "--outdir", str(dossier_sortie), *map(str, lot)], timeout)
            attendus = [dossier_sortie / (f.stem + ".pdf") for f in lot]
            manquants = [p.name for p in attendus if not p.exists()]
            if manquants:
                cause = f"arrêté par le signal {-code}" if code < 0 else f"code {code}"
                raise ConversionEchouee(
                    f"LibreOffice n'a pas converti {len(manquants)} fichier(s) sur {len(lot)} "
                    f"({cause}) : {', '.join(manquants[:5])}")
            for sortie in attendus:
                contenu = verifier_pdf(sortie.read_bytes())
                if (corrige := titre_xmp_corrige(contenu)) is not contenu:
                    sortie.write_bytes(corrige)
    return [dossier_sortie / (f.stem + ".pdf") for f in fichiers]


def convertir_froid(docx: bytes, *, soffice: str = "soffice", timeout: int = 120, travail: Path | None = None) -> bytes:
    """One cold conversion, its files in a temporary folder under `travail` (the system's when None)."""
    if travail is not None:
        travail.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="oepre-lo-", dir=travail) as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(docx)
        (pdf,) = convertir_lot([source], Path(tmp) / "pdf", soffice=soffice, timeout=timeout)
        return pdf.read_bytes()


class ConvertisseurPersistant:
    """One unoserver (one LibreOffice) for this process; calls are serialised by a lock."""

    def __init__(self, *, soffice: str = "soffice", unoserver: Path = UNOSERVER, delai_demarrage: float = 90):
        self.soffice = soffice
        self.unoserver = unoserver
        self.delai_demarrage = delai_demarrage
        self._verrou = threading.Lock()
        self._processus: subprocess.Popen | None = None
        self._profil: tempfile.TemporaryDirectory | None = None
        self._port: int | None = None
        self.echecs = 0

    @property
    def disponible(self) -> bool:
        return self.unoserver.exists() and shutil.which(self.soffice) is not None and self.echecs < 2

    def _demarrer(self) -> None:
        from unoserver.client import UnoClient

        self._profil = tempfile.TemporaryDirectory(prefix="oepre-unoserver-")
        self._port = _port_libre()
        self._processus = subprocess.Popen(
            [str(self.unoserver), "--interface", "127.0.0.1", "--port", str(self._port),
             "--uno-port", str(_port_libre()), "--user-installation", self._profil.name,
             "--executable", soffice_chemin(self.soffice), "--conversion-timeout", "120"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        debut = time.monotonic()
        while time.monotonic() < debut + self.delai_demarrage:
            if self._processus.poll() is not None:
                break
            if time.monotonic() > debut + 3 and not self._libreoffice_lance():
                break  # unoserver outlives a LibreOffice that crashed at start: do not wait for it
            try:
                UnoClient(server="127.0.0.1", port=str(self._port), host_location="remote")._connect(
                    self._client_proxy(), retries=1, sleep=0)
                return
            except Exception:
                time.sleep(0.3)
        self.arreter()
        self.echecs = 2  # it did not even start: starting it again would only make the person wait
        raise ConversionEchouee("Le convertisseur LibreOffice persistant n'a pas démarré.")

    def _libreoffice_lance(self) -> bool:
        """Whether a LibreOffice process runs on this converter's profile (besides unoserver itself)."""
        marque = self._profil.name.encode()
        for entree in Path("/proc").iterdir():
            if entree.name.isdigit() and int(entree.name) != self._processus.pid:
                try:
                    if marque in (entree / "cmdline").read_bytes():
                        return True
                except OSError:
                    continue
        return False

    def _client_proxy(self):
        import xmlrpc.client

        return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self._port}", allow_none=True)

    def _convertir_persistant(self, docx: bytes) -> bytes:
        from unoserver.client import UnoClient

        if self._processus is None or self._processus.poll() is not None:
            self._demarrer()
        client = UnoClient(server="127.0.0.1", port=str(self._port), host_location="remote")
        return titre_xmp_corrige(verifier_pdf(client.convert(indata=docx, convert_to="pdf", update_index=False,
                                                             filter_options=[f"{o}=true" for o in OPTIONS_PDF])))

    def convertir(self, docx: bytes, travail: Path | None = None) -> bytes:
        soffice_chemin(self.soffice)  # a clear message when LibreOffice is absent
        with self._verrou:
            while self.disponible:
                try:
                    return self._convertir_persistant(docx)
                except Exception:
                    self.echecs += 1
                    self.arreter()
            return convertir_froid(docx, soffice=self.soffice, travail=travail)

    def arreter(self) -> None:
        if self._processus is not None:
            try:
                os.killpg(self._processus.pid, signal.SIGTERM)
                self._processus.wait(timeout=3)
            except (ProcessLookupError, subprocess.TimeoutExpired, PermissionError):
                pass
            try:  # whatever is left of the group (soffice.bin under unoserver), then reaped
                os.killpg(self._processus.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self._processus.wait()
            self._processus = None
        if self._profil is not None:
            self._profil.cleanup()
            self._profil = None


_convertisseur: ConvertisseurPersistant | None = None
_verrou_global = threading.Lock()


def convertisseur(soffice: str = "soffice") -> ConvertisseurPersistant:
    """The process-wide converter (started on first use, stopped at exit)."""
    global _convertisseur
    with _verrou_global:
        if _convertisseur is None:
            _convertisseur = ConvertisseurPersistant(soffice=soffice)
            atexit.register(_convertisseur.arreter)
        return _convertisseur


def docx_vers_pdf(docx: bytes, *, mode: str = "persistante", soffice: str = "soffice", travail: Path | None = None) -> bytes:
    if mode == "froide":
        return convertir_froid(docx, soffice=soffice, travail=travail)
    return convertisseur(soffice).convertir(docx, travail)


def assembler(pdfs: list[bytes]) -> bytes:
    """One PDF made of the given ones, in order (the DASEN opinion after the dossier, for instance)."""
    sortie = PdfWriter()
    for contenu in pdfs:
        sortie.append(io.BytesIO(contenu))
    tampon = io.BytesIO()
    sortie.write(tampon)
    return tampon.getvalue()
