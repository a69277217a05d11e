"""Immutable file storage: a file is written once, atomically, and never overwritten."""

import hashlib
import os
import tempfile
from pathlib import Path


class FichierExistant(FileExistsError):
    pass


def sha256(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


def ecrire_immuable(racine: Path, relatif: str, contenu: bytes) -> Path:
    """Write `contenu` to racine/relatif through a temp file + fsync + link: a reader sees either no
    file or the whole file, a crash leaves no half-written document, an existing file is never replaced."""
    cible = racine / relatif
    cible.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cible.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(contenu)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, cible)  # fails if the target exists: no silent overwrite
        except FileExistsError as exc:
            raise FichierExistant(f"Le document {relatif} existe déjà : il ne peut pas être remplacé.") from exc
    finally:
        os.unlink(tmp)
    return cible


def lire(racine: Path, relatif: str, sha_attendu: str | None = None) -> bytes:
    contenu = (racine / relatif).read_bytes()
    if sha_attendu and sha256(contenu) != sha_attendu:
        raise OSError(f"Le document {relatif} a été altéré (empreinte SHA-256 différente).")
    return contenu
