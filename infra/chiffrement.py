"""Encryption of the intervenants' pay data (NIR, IBAN, address; spec §10 rule 7), with Fernet (AES and HMAC,
from the `cryptography` library): the database and its backups never hold them in clear."""

import os
from functools import cache

from cryptography.fernet import Fernet, InvalidToken

from infra.settings import get_settings

FICHIER_CLE = "cle-donnees-paie.key"


class CleIncorrecte(RuntimeError):
    pass


@cache
def _fernet(cle: bytes) -> Fernet:
    return Fernet(cle)


def _cle() -> bytes:
    reglages = get_settings()
    if reglages.cle_chiffrement is not None:
        return reglages.cle_chiffrement.get_secret_value().encode()
    chemin = reglages.data_dir / FICHIER_CLE
    if not chemin.exists():  # embedded default: one key per installation, readable by its owner only
        chemin.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it meanwhile
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(Fernet.generate_key())
    return chemin.read_bytes().strip()


def chiffrer(texte: str | None) -> str | None:
    return None if not texte else _fernet(_cle()).encrypt(texte.encode()).decode()


def dechiffrer(jeton: str | None) -> str | None:
    if not jeton:
        return None
    try:
        return _fernet(_cle()).decrypt(jeton.encode()).decode()
    except InvalidToken as exc:
        raise CleIncorrecte("Les données de paie ne peuvent pas être lues : la clé de chiffrement a changé "
                            "(réglage OEPRE_CLE_CHIFFREMENT).") from exc
