"""Streamlit's secrets file, written at start-up from the OEPRE_OIDC_* settings (Streamlit reads its [auth] section
for `st.login`); without OIDC settings the file is removed, and sign-in stays the local passwords alone.

`python -m demarrage.secrets_streamlit` writes it and prints its path, for `streamlit run --secrets.files` (Makefile)."""

import json
import os
import secrets
from pathlib import Path

from infra.settings import Settings, get_settings


def _chaine(valeur: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, and DEL, which JSON leaves as it is, is escaped too."""
    return json.dumps(valeur, ensure_ascii=False).replace("\x7f", "\\u007f")


def _secret_du_cookie(reglages: Settings) -> str:
    """The setting if given (several instances share it), else one drawn once and kept beside the secrets file."""
    if reglages.oidc_cookie_secret is not None:
        return reglages.oidc_cookie_secret.get_secret_value()
    chemin = reglages.secrets_streamlit.with_name("cookie_secret")
    if not chemin.exists():
        _ecrire_prive(chemin, secrets.token_urlsafe(32))
    return chemin.read_text().strip()


def contenu(reglages: Settings) -> str:
    """The [auth] section for these settings (they must configure OIDC)."""
    assert reglages.oidc_configure and reglages.oidc_client_secret is not None
    lignes = {
        "redirect_uri": f"{reglages.adresse_publique}/oauth2callback",
        "cookie_secret": _secret_du_cookie(reglages),
        "client_id": reglages.oidc_client_id,
        "client_secret": reglages.oidc_client_secret.get_secret_value(),
        "server_metadata_url": reglages.oidc_url_metadonnees,
    }
    texte = "# Écrit au démarrage depuis les réglages OEPRE_OIDC_* (demarrage/secrets_streamlit.py) : ne pas modifier.\n"
    texte += "[auth]\n" + "".join(f"{cle} = {_chaine(v)}\n" for cle, v in lignes.items())
    # prompt=login: the provider asks who signs in each time (never a silent sign-in after an expired session).
    return texte + f"client_kwargs = {{ scope = {_chaine(reglages.oidc_scopes)}, prompt = \"login\" }}\n"


def _ecrire_prive(chemin: Path, texte: str) -> None:
    chemin.parent.mkdir(parents=True, exist_ok=True)
    descripteur = os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descripteur, "w", encoding="utf-8") as f:
        f.write(texte)


def ecrire(reglages: Settings | None = None) -> Path:
    """Write (or remove, without OIDC settings) the secrets file; its path, for `streamlit run --secrets.files`."""
    reglages = reglages or get_settings()
    chemin = reglages.secrets_streamlit
    if reglages.oidc_configure:
        _ecrire_prive(chemin, contenu(reglages))
    else:
        chemin.unlink(missing_ok=True)
    return chemin


if __name__ == "__main__":
    print(ecrire())
