"""Sign-in through the State's identity provider (OpenID Connect, ProConnect) with Streamlit's own st.login / st.user /
st.logout, when the OEPRE_OIDC_* settings configure it (the local passwords stay, always).

Streamlit keeps the provider's sign-in in a cookie signed with the settings' cookie secret, read when a browser
session starts: app.py maps it to the existing account of the same e-mail (workflow.noyau.auth.connecter_par_oidc),
once per session. A session that expired, or a sign-in refused, sets the cookie aside for the rest of the session:
only a new sign-in at the provider (the button) opens it again."""

from datetime import datetime

import streamlit as st

from infra.base import session
from infra.settings import get_settings
from workflow.noyau.auth import EchecConnexion, connecter_par_oidc, jeton_oidc_expire
from workflow.noyau.permissions import Acteur

MESSAGE_EXPIRATION = "Votre session a expiré après une période d'inactivité : reconnectez-vous."


def configure() -> bool:
    return get_settings().oidc_configure


def _section_lue() -> bool:
    """Streamlit read the [auth] section (st.user then says whether a sign-in is held): not when the app was served
    without the secrets file written at start-up (`streamlit run` without `--secrets.files`, see the Makefile)."""
    return st.user.get("is_logged_in") is not None


def acteur_du_fournisseur(maintenant: datetime) -> Acteur | None:
    """The actor of the provider's sign-in this browser holds, when there is one this session has not set aside; the
    session's state then says so (`par_oidc`), and a refusal or an expiry leaves its French message for the sign-in
    page."""
    etat = st.session_state
    if not configure() or etat.get("oidc_ecarte") or not st.user.get("is_logged_in"):
        return None
    if jeton_oidc_expire(st.user.get("iat"), maintenant, get_settings().session_minutes):
        etat["oidc_ecarte"] = True
        etat["message_connexion"] = MESSAGE_EXPIRATION
        return None
    try:
        with session() as s:
            acteur = connecter_par_oidc(s, st.user.get("email"))
    except EchecConnexion as exc:
        etat["oidc_ecarte"] = True
        etat["refus_oidc"] = str(exc)
        return None
    etat["acteur"], etat["derniere_activite"], etat["par_oidc"] = acteur, maintenant, True
    return acteur


def apres_expiration(etait_par_oidc: bool) -> None:
    """An expired session signed in through the provider: its cookie is not taken again in this session."""
    if etait_par_oidc:
        st.session_state["oidc_ecarte"] = True


def se_deconnecter() -> None:
    """Sign out: the session's state, and the provider's cookie (and its session there) for a provider's sign-in."""
    par_oidc = st.session_state.get("par_oidc", False)
    st.session_state.clear()
    if par_oidc:
        st.logout()  # a new session once the browser is back
    else:
        st.rerun()


def bouton_de_connexion() -> None:
    """On the sign-in page: the provider's button, or, after a refusal, its message and the way out of that account."""
    if not configure():
        return
    if not _section_lue():
        st.warning("La connexion par le fournisseur d'identité est réglée mais pas servie : l'application a été lancée "
                   "sans ses secrets Streamlit (voir « Configuration » dans le README). Connectez-vous avec votre "
                   "identifiant et votre mot de passe OEPRE.", icon=":material/key_off:")
    elif refus := st.session_state.get("refus_oidc"):
        st.error(refus, icon=":material/person_off:")
        if st.button("Se déconnecter du fournisseur d'identité", icon=":material/logout:", key="deconnexion_oidc"):
            st.session_state.clear()
            st.logout()
    elif st.button(get_settings().oidc_libelle, type="primary", icon=":material/account_balance:", key="connexion_oidc"):
        st.login()
    st.caption("ou avec votre identifiant et votre mot de passe OEPRE :")
