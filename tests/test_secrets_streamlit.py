"""Streamlit's secrets file written at start-up from the OEPRE_OIDC_* settings: its [auth] section is what the
settings say (whatever characters a secret holds), private to its owner, removed without OIDC settings; the cookie
secret drawn once and kept when none is set; a relative or bare address refused in French."""

import stat
import tomllib

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from demarrage import secrets_streamlit
from infra.settings import Settings

secrets_saisis = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)


def _reglages(tmp_path, **autres) -> Settings:
    return Settings(data_dir=tmp_path, oidc_url_metadonnees="https://auth.example.gouv.fr/api/v2/.well-known/openid-configuration",
                    oidc_client_id="client-oepre", oidc_client_secret="secret-du-client", **autres)


@settings(max_examples=60, deadline=None)
@given(client_secret=secrets_saisis, cookie=secrets_saisis, client_id=secrets_saisis)
@example(client_secret='\x7f"\\\n\x00é', cookie="'''\t#", client_id='[auth]\nclient_id = "x"')
def test_la_section_auth_dit_ce_que_disent_les_reglages(tmp_path_factory, client_secret, cookie, client_id):
    dossier = tmp_path_factory.mktemp("secrets")
    reglages = _reglages(dossier, oidc_cookie_secret=cookie, adresse_publique="https://oepre.ac-toulouse.fr/").model_copy(
        update={"oidc_client_secret": Settings(oidc_client_secret=client_secret).oidc_client_secret,
                "oidc_client_id": client_id})
    chemin = secrets_streamlit.ecrire(reglages)
    assert chemin == dossier / "streamlit" / "secrets.toml"
    auth = tomllib.loads(chemin.read_text(encoding="utf-8"))["auth"]
    assert auth == {"redirect_uri": "https://oepre.ac-toulouse.fr/oauth2callback", "cookie_secret": cookie,
                    "client_id": client_id, "client_secret": client_secret,
                    "server_metadata_url": "https://auth.example.gouv.fr/api/v2/.well-known/openid-configuration",
                    "client_kwargs": {"scope": "openid email given_name usual_name", "prompt": "login"}}
    assert stat.S_IMODE(chemin.stat().st_mode) == 0o600


def test_sans_reglages_oidc_le_fichier_disparait(tmp_path):
    chemin = secrets_streamlit.ecrire(_reglages(tmp_path))
    assert chemin.exists()
    for incomplet in ({"oidc_client_secret": None}, {"oidc_client_id": None}, {"oidc_url_metadonnees": None}):
        reglages = _reglages(tmp_path).model_copy(update=incomplet)
        assert not reglages.oidc_configure
        secrets_streamlit.ecrire(_reglages(tmp_path))
        assert secrets_streamlit.ecrire(reglages) == chemin and not chemin.exists()


def test_le_secret_du_cookie_tire_une_fois_est_garde(tmp_path):
    premier = tomllib.loads(secrets_streamlit.ecrire(_reglages(tmp_path)).read_text())["auth"]["cookie_secret"]
    second = tomllib.loads(secrets_streamlit.ecrire(_reglages(tmp_path)).read_text())["auth"]["cookie_secret"]
    assert premier == second and len(premier) >= 32
    autre = tomllib.loads(secrets_streamlit.ecrire(_reglages(tmp_path / "autre")).read_text())["auth"]["cookie_secret"]
    assert autre != premier


@pytest.mark.parametrize("cle", ["adresse_publique", "oidc_url_metadonnees"])
@pytest.mark.parametrize("valeur", ["oepre.ac-toulouse.fr", "/oauth2callback", "ftp://oepre.ac-toulouse.fr"])
def test_une_adresse_qui_n_est_pas_absolue_est_refusee(tmp_path, cle, valeur):
    with pytest.raises(ValidationError, match="une adresse absolue est attendue"):
        Settings(data_dir=tmp_path, **{cle: valeur})
