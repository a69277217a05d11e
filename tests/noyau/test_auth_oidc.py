"""The mapping of a sign-in through the State's identity provider to an existing account, without Streamlit: by e-mail
whatever its case and surrounding spaces, among several accounts; an unknown, missing or ambiguous e-mail and a
deactivated account refused in French and logged; never an account created; the age rule of a new session's token."""

import string
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import delete, select

from db.models import JournalAudit, Utilisateur
from forms.vocabulaire import Role
from workflow.noyau.auth import EchecConnexion, connecter_par_oidc, jeton_oidc_expire

REGLAGES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ROLES_SANS_PERIMETRE = [Role.PILOTE, Role.DAEPS, Role.COMITE, Role.CASNAV, Role.INTERIEUR, Role.ADMIN]

_locale = st.text(string.ascii_lowercase + string.digits + "._-", min_size=1, max_size=12).filter(
    lambda s: s[0] not in "._-")
adresses = st.builds(lambda a, d: f"{a}@{d}", _locale, st.sampled_from(["ac-toulouse.fr", "ac-montpellier.fr",
                                                                        "occitanie.gouv.fr", "education.gouv.fr"]))
blancs = st.text(" \t\n\u00a0", max_size=3)


def _casse(adresse: str, majuscules: list[bool]) -> str:
    return "".join(c.upper() if m else c for c, m in zip(adresse, majuscules + [False] * len(adresse)))


def _ouvrir(session, comptes: dict[str, Role], actifs: dict[str, bool] | None = None) -> None:
    session.exec(delete(JournalAudit))
    session.exec(delete(Utilisateur))
    for adresse, role in comptes.items():
        session.add(Utilisateur(identifiant=adresse, nom_affiche=f"Compte {adresse}", role=role,
                                mot_de_passe_hash="$argon2id$sans-mot-de-passe", actif=(actifs or {}).get(adresse, True)))
    session.commit()


def _journal(session) -> list[JournalAudit]:
    return list(session.exec(select(JournalAudit).order_by(JournalAudit.id)))


@REGLAGES
@given(comptes=st.dictionaries(adresses, st.sampled_from(ROLES_SANS_PERIMETRE), min_size=1, max_size=6),
       choix=st.integers(min_value=0), majuscules=st.lists(st.booleans(), max_size=40), avant=blancs, apres=blancs)
def test_le_compte_de_l_adresse_quelle_que_soit_sa_casse(session, comptes, choix, majuscules, avant, apres):
    _ouvrir(session, comptes)
    adresse = sorted(comptes)[choix % len(comptes)]
    acteur = connecter_par_oidc(session, avant + _casse(adresse, majuscules) + apres)
    u = session.exec(select(Utilisateur).where(Utilisateur.identifiant == adresse)).one()
    assert (acteur.id, acteur.role, acteur.nom) == (u.id, comptes[adresse], f"Compte {adresse}")
    assert u.derniere_connexion is not None
    [ligne] = _journal(session)
    assert (ligne.action, ligne.utilisateur_id, ligne.objet, ligne.details) == ("connexion", u.id, adresse, {"par": "oidc"})


@REGLAGES
@given(comptes=st.dictionaries(adresses, st.sampled_from(ROLES_SANS_PERIMETRE), max_size=5), inconnue=adresses,
       majuscules=st.lists(st.booleans(), max_size=40))
def test_une_adresse_inconnue_est_refusee_et_aucun_compte_cree(session, comptes, inconnue, majuscules):
    comptes.pop(inconnue, None)
    _ouvrir(session, comptes)
    with pytest.raises(EchecConnexion, match=f"^Aucun compte OEPRE n'est ouvert à l'adresse {inconnue} : la connexion est refusée"):
        connecter_par_oidc(session, _casse(inconnue, majuscules))
    assert sorted(u.identifiant for u in session.exec(select(Utilisateur))) == sorted(comptes)
    [ligne] = _journal(session)
    assert (ligne.action, ligne.utilisateur_id, ligne.objet, ligne.details["par"]) == ("connexion_refusee", None, inconnue, "oidc")


@pytest.mark.parametrize("courriel", [None, "", "   ", 42, True, ["pilote@ac-toulouse.fr"], "pilote\x00@ac-toulouse.fr"])
def test_sans_adresse_utilisable_la_connexion_est_refusee(session, courriel):
    _ouvrir(session, {"pilote@ac-toulouse.fr": Role.PILOTE})
    with pytest.raises(EchecConnexion, match="n'a pas transmis votre adresse électronique"):
        connecter_par_oidc(session, courriel)
    assert [(j.action, j.details["motif"]) for j in _journal(session)] == [("connexion_refusee", "sans courriel")]


@pytest.mark.parametrize("role", ROLES_SANS_PERIMETRE)
def test_un_compte_desactive_est_refuse(session, role):
    _ouvrir(session, {"ancien@ac-toulouse.fr": role, "actif@ac-toulouse.fr": role}, actifs={"ancien@ac-toulouse.fr": False})
    with pytest.raises(EchecConnexion, match="^Votre compte OEPRE est désactivé"):
        connecter_par_oidc(session, "Ancien@ac-toulouse.fr")
    assert connecter_par_oidc(session, "actif@ac-toulouse.fr").role == role
    refus, reussite = _journal(session)
    assert (refus.action, refus.objet, reussite.action) == ("connexion_refusee", "ancien@ac-toulouse.fr", "connexion")
    assert refus.utilisateur_id is not None


@REGLAGES
@given(adresse=adresses, majuscules=st.lists(st.booleans(), min_size=1, max_size=40).filter(any))
def test_deux_comptes_qui_ne_different_que_par_la_casse_ne_sont_jamais_devines(session, adresse, majuscules):
    jumelle = _casse(adresse, majuscules)
    if jumelle == adresse:
        jumelle = adresse.upper()
    _ouvrir(session, {adresse: Role.PILOTE, jumelle: Role.ADMIN})
    with pytest.raises(EchecConnexion, match="^Plusieurs comptes OEPRE portent l'adresse"):
        connecter_par_oidc(session, adresse)
    assert [j.action for j in _journal(session)] == ["connexion_refusee"]


@given(age=st.integers(min_value=-3600, max_value=48 * 3600), minutes=st.integers(min_value=1, max_value=24 * 60),
       flottant=st.booleans())
def test_un_jeton_plus_vieux_que_le_delai_n_ouvre_pas_de_session(age, minutes, flottant):
    maintenant = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)
    emis = (maintenant - timedelta(seconds=age)).timestamp()
    assert jeton_oidc_expire(emis if flottant else int(emis), maintenant, minutes) is (age > minutes * 60)
    assert jeton_oidc_expire(emis, maintenant.replace(tzinfo=None), minutes) is (age > minutes * 60)  # a naive clock, UTC


@pytest.mark.parametrize("emis", [None, "1759309200", True, [1759309200], {}])
def test_un_jeton_sans_date_d_emission_n_ouvre_pas_de_session(emis):
    assert jeton_oidc_expire(emis, datetime(2025, 10, 1, 9, 0, tzinfo=UTC), 30)
