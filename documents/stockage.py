"""Immutable document storage: a document is written once, whole or not at all, never overwritten, and checked
against its SHA-256 when read. Two stores behind one interface: files under the data folder (the embedded default)
and an S3-compatible object store (settings OEPRE_STOCKAGE=s3 and OEPRE_S3_*), for deployments where several app
instances and workers share the documents."""

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from infra.settings import Settings, get_settings


class FichierExistant(FileExistsError):
    pass


class DocumentAltere(OSError):
    pass


def sha256(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


def _existant(relatif: str) -> FichierExistant:
    return FichierExistant(f"Le document {relatif} existe déjà : il ne peut pas être remplacé.")


def _verifie(relatif: str, contenu: bytes, empreinte: str, sha_attendu: str | None) -> bytes:
    if sha_attendu and empreinte != sha_attendu:
        raise DocumentAltere(f"Le document {relatif} a été altéré (empreinte SHA-256 différente).")
    return contenu


class Depot(Protocol):
    def ecrire(self, relatif: str, contenu: bytes) -> str: ...  # FichierExistant if it is there already
    def lire(self, relatif: str, sha_attendu: str | None = None) -> bytes: ...  # FileNotFoundError, DocumentAltere
    def existe(self, relatif: str) -> bool: ...
    def supprimer(self, relatif: str) -> bool: ...  # whether there was one
    def entrees(self) -> Iterator[tuple[str, float]]: ...  # every stored document and its age in seconds
    def balayer_temporaires(self, age_min_s: float) -> int: ...  # what interrupted writes left, older than that


class DepotFichiers:
    """Files under `racine`, written through a temp file + fsync + link: a reader sees either no file or the whole
    file, a crash leaves no half-written document (only a temp file, swept later), an existing file is never replaced."""

    def __init__(self, racine: Path) -> None:
        self.racine = racine

    def ecrire(self, relatif: str, contenu: bytes) -> str:
        cible = self.racine / relatif
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
                raise _existant(relatif) from exc
        finally:
            os.unlink(tmp)
        return relatif

    def lire(self, relatif: str, sha_attendu: str | None = None) -> bytes:
        contenu = (self.racine / relatif).read_bytes()
        return _verifie(relatif, contenu, sha256(contenu), sha_attendu)

    def existe(self, relatif: str) -> bool:
        return (self.racine / relatif).is_file()

    def supprimer(self, relatif: str) -> bool:
        chemin = self.racine / relatif
        existait = chemin.is_file()
        chemin.unlink(missing_ok=True)
        return existait

    def entrees(self) -> Iterator[tuple[str, float]]:
        if not self.racine.is_dir():
            return
        maintenant = time.time()
        for chemin in sorted(self.racine.rglob("*")):
            if chemin.is_file() and not chemin.name.startswith((".tmp-", ".lot-")):
                try:
                    yield chemin.relative_to(self.racine).as_posix(), maintenant - chemin.stat().st_mtime
                except FileNotFoundError:  # deleted meanwhile
                    continue

    def balayer_temporaires(self, age_min_s: float) -> int:
        """An atomic write's temp file, and the batches' old work folders kept inside the store before they moved to
        the work folder."""
        if not self.racine.is_dir():
            return 0
        limite, supprimes = time.time() - age_min_s, 0
        for chemin in sorted(self.racine.rglob("*"), reverse=True):  # a folder after what it holds
            if chemin.name.startswith((".tmp-", ".lot-")) and plus_ancien_que(chemin, limite):
                effacer_entree(chemin)
                supprimes += 1
        return supprimes


def plus_ancien_que(chemin: Path, limite: float) -> bool:
    """Last modified before `limite` (a time.time() value); False when it is gone meanwhile."""
    try:
        return chemin.lstat().st_mtime < limite
    except FileNotFoundError:
        return False


def effacer_entree(chemin: Path) -> None:
    """A file, a link or a whole folder, gone (nothing raised if it already is)."""
    if chemin.is_dir() and not chemin.is_symlink():
        shutil.rmtree(chemin, ignore_errors=True)
    else:
        chemin.unlink(missing_ok=True)


class DepotS3:
    """Objects in one bucket of an S3-compatible store. Written once (`If-None-Match: *`: the store refuses a second
    write of the same key, atomically, even from another machine); read as a stream, hashed as it comes; a PUT is
    whole or absent, so no temp object is ever left."""

    def __init__(self, url: str, bucket: str, cle: str, secret: str, region: str = "us-east-1") -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self._client = boto3.client(
            "s3", endpoint_url=url, aws_access_key_id=cle, aws_secret_access_key=secret, region_name=region,
            config=Config(s3={"addressing_style": "path"}, connect_timeout=5, read_timeout=60,
                          retries={"max_attempts": 4, "mode": "standard"},
                          # checksums only where the API requires them: not every S3-compatible store knows the others
                          request_checksum_calculation="when_required", response_checksum_validation="when_required"))

    @staticmethod
    def _code(exc) -> str:
        return str(exc.response.get("Error", {}).get("Code", ""))

    def ecrire(self, relatif: str, contenu: bytes) -> str:
        from botocore.exceptions import ClientError

        try:
            self._client.put_object(Bucket=self.bucket, Key=relatif, Body=contenu, IfNoneMatch="*",
                                    Metadata={"sha256": sha256(contenu)})
        except ClientError as exc:
            if self._code(exc) in ("PreconditionFailed", "412", "ConditionalRequestConflict", "409"):
                raise _existant(relatif) from exc
            raise
        return relatif

    def lire(self, relatif: str, sha_attendu: str | None = None) -> bytes:
        from botocore.exceptions import ClientError

        try:
            corps = self._client.get_object(Bucket=self.bucket, Key=relatif)["Body"]
        except ClientError as exc:
            if self._code(exc) in ("NoSuchKey", "404"):
                raise FileNotFoundError(relatif) from exc
            raise
        empreinte, morceaux = hashlib.sha256(), []
        for morceau in corps.iter_chunks(1 << 20):
            empreinte.update(morceau)
            morceaux.append(morceau)
        return _verifie(relatif, b"".join(morceaux), empreinte.hexdigest(), sha_attendu)

    def existe(self, relatif: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._client.head_object(Bucket=self.bucket, Key=relatif)
        except ClientError as exc:
            if self._code(exc) in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def supprimer(self, relatif: str) -> bool:
        existait = self.existe(relatif)
        if existait:
            self._client.delete_object(Bucket=self.bucket, Key=relatif)
        return existait

    def entrees(self) -> Iterator[tuple[str, float]]:
        maintenant = time.time()
        for page in self._client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for objet in page.get("Contents", []):
                yield objet["Key"], maintenant - objet["LastModified"].timestamp()

    def balayer_temporaires(self, age_min_s: float) -> int:
        return 0  # a PUT is whole or absent (and the service sends no multipart upload)

    def creer_le_bucket(self) -> None:
        """For a new deployment (demarrage.initialisation): the bucket, if the store does not have it yet."""
        from botocore.exceptions import ClientError

        try:
            self._client.head_bucket(Bucket=self.bucket)
        except ClientError:
            self._client.create_bucket(Bucket=self.bucket)


@lru_cache(maxsize=8)
def _depot(stockage: str, racine: Path, url: str | None, bucket: str, cle: str | None, secret: str | None,
           region: str) -> Depot:
    if stockage == "s3":
        if not (url and cle and secret):
            raise ValueError("Stockage S3 : OEPRE_S3_URL, OEPRE_S3_CLE et OEPRE_S3_SECRET sont requis.")
        return DepotS3(url, bucket, cle, secret, region)
    return DepotFichiers(racine)


def depot(reglages: Settings | None = None) -> Depot:
    """The deployment's document store (one client per configuration, shared by the threads)."""
    r = reglages or get_settings()
    return _depot(r.stockage, r.documents_dir, r.s3_url, r.s3_bucket, r.s3_cle,
                  r.s3_secret.get_secret_value() if r.s3_secret else None, r.s3_region)
