"""DOCX → PDF through LibreOffice headless.

Interactive documents go through one persistent LibreOffice (unoserver, started once per process,
on its own profile and free ports): about 0.2 s a page instead of about 1.2 s for a cold `soffice`
(bench/pdf_conversion.py measures both). When unoserver is not available, or has failed twice,
each conversion starts a cold `soffice` with a private profile (`convertir_lot`: at most 200 files per
call, output count checked). Batches of hundreds of copies of one template go through documents/lot.py.
"""

import atexit
import io
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from pypdf import PdfWriter

RACINE = Path(__file__).resolve().parent.parent
UNOSERVER = RACINE / ".unovenv" / "bin" / "unoserver"
MESSAGE_ABSENT = (
    "LibreOffice n'est pas installé sur ce serveur : le PDF ne peut pas être produit "
    "(le document DOCX reste disponible). Installez le paquet Debian « libreoffice-writer-nogui »."
)
LOT_MAX = 200  # soffice silently stops after about 247 files in one call (tech-notes §3)


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


def convertir_lot(fichiers: list[Path], dossier_sortie: Path, *, soffice: str = "soffice",
                  profil: Path | None = None, timeout: int = 1800) -> list[Path]:
    """Convert DOCX files with cold soffice calls of at most LOT_MAX files, on a private profile."""
    executable = soffice_chemin(soffice)
    dossier_sortie.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="oepre-lo-") as tmp:
        profil_uri = (profil or Path(tmp) / "profil").resolve().as_uri()
        for debut in range(0, len(fichiers), LOT_MAX):
            lot = fichiers[debut:debut + LOT_MAX]
            resultat = subprocess.run(
                [executable, f"-env:UserInstallation={profil_uri}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", str(dossier_sortie), *map(str, lot)],
                capture_output=True, timeout=timeout, check=False,
            )
            attendus = [dossier_sortie / (f.stem + ".pdf") for f in lot]
            manquants = [p.name for p in attendus if not p.exists()]
            if manquants:
                raise ConversionEchouee(
                    f"LibreOffice n'a pas converti {len(manquants)} fichier(s) sur {len(lot)} "
                    f"(code {resultat.returncode}) : {', '.join(manquants[:5])}")
    return [dossier_sortie / (f.stem + ".pdf") for f in fichiers]


def convertir_froid(docx: bytes, *, soffice: str = "soffice", timeout: int = 180) -> bytes:
    with tempfile.TemporaryDirectory(prefix="oepre-lo-") as tmp:
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
        fin = time.monotonic() + self.delai_demarrage
        while time.monotonic() < fin:
            if self._processus.poll() is not None:
                break
            try:
                UnoClient(server="127.0.0.1", port=str(self._port), host_location="remote")._connect(
                    self._client_proxy(), retries=1, sleep=0)
                return
            except Exception:
                time.sleep(0.3)
        self.arreter()
        raise ConversionEchouee("Le convertisseur LibreOffice persistant n'a pas démarré.")

    def _client_proxy(self):
        import xmlrpc.client

        return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self._port}", allow_none=True)

    def _convertir_persistant(self, docx: bytes) -> bytes:
        from unoserver.client import UnoClient

        if self._processus is None or self._processus.poll() is not None:
            self._demarrer()
        client = UnoClient(server="127.0.0.1", port=str(self._port), host_location="remote")
        return client.convert(indata=docx, convert_to="pdf", update_index=False)

    def convertir(self, docx: bytes) -> bytes:
        soffice_chemin(self.soffice)  # a clear message when LibreOffice is absent
        with self._verrou:
            while self.disponible:
                try:
                    return self._convertir_persistant(docx)
                except Exception:
                    self.echecs += 1
                    self.arreter()
            return convertir_froid(docx, soffice=self.soffice)

    def arreter(self) -> None:
        if self._processus is not None:
            try:
                os.killpg(self._processus.pid, 15)
                self._processus.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired, PermissionError):
                try:
                    os.killpg(self._processus.pid, 9)
                except ProcessLookupError:
                    pass
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


def docx_vers_pdf(docx: bytes, *, mode: str = "persistante", soffice: str = "soffice") -> bytes:
    if mode == "froide":
        return convertir_froid(docx, soffice=soffice)
    return convertisseur(soffice).convertir(docx)


def assembler(pdfs: list[bytes]) -> bytes:
    """One PDF made of the given ones, in order (the DASEN opinion after the dossier, for instance)."""
    sortie = PdfWriter()
    for contenu in pdfs:
        sortie.append(io.BytesIO(contenu))
    tampon = io.BytesIO()
    sortie.write(tampon)
    return tampon.getvalue()
