"""The sign-in page through AppTest: without OIDC settings it is what it was (no provider button); with them but served
without Streamlit's secrets, it says so in French and the local password still signs in."""

import pytest

from demarrage.demo import MOT_DE_PASSE_DEMO
from forms.vocabulaire import Role
from infra import settings
from tests.support.appli import bouton, ouvrir_application, textes_de


def _se_connecter_localement(at) -> None:
    at.text_input(key="connexion_identifiant").input("pilote@ac-toulouse.fr")
    at.text_input(key="connexion_mot_de_passe").input(MOT_DE_PASSE_DEMO)
    bouton(at, "Se connecter").click().run()
    assert at.session_state["acteur"].role == Role.PILOTE
    assert "par_oidc" not in at.session_state


def test_sans_reglages_oidc_la_page_de_connexion_ne_change_pas(demo):
    at = ouvrir_application()
    assert [b.label for b in at.button] == ["Se connecter"]
    assert not at.warning and not at.error
    _se_connecter_localement(at)


@pytest.mark.parametrize("libelle", ["Se connecter avec ProConnect", "Se connecter avec AgentConnect"])
def test_des_reglages_oidc_sans_secrets_servis_le_disent_en_francais(demo, monkeypatch, libelle):
    monkeypatch.setenv("OEPRE_OIDC_URL_METADONNEES", "https://auth.example.gouv.fr/.well-known/openid-configuration")
    monkeypatch.setenv("OEPRE_OIDC_CLIENT_ID", "client-oepre")
    monkeypatch.setenv("OEPRE_OIDC_CLIENT_SECRET", "secret-du-client")
    monkeypatch.setenv("OEPRE_OIDC_LIBELLE", libelle)
    settings.get_settings.cache_clear()
    at = ouvrir_application()
    assert "réglée mais pas servie" in textes_de(at)
    assert libelle not in [b.label for b in at.button] and not at.exception
    _se_connecter_localement(at)
