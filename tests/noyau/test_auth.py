"""Local accounts: argon2 hashes, one message for every failure, lockout, session expiry, audit."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from db.models import JournalAudit, Utilisateur
from demarrage.demo import MOT_DE_PASSE_DEMO
from forms.vocabulaire import Role
from workflow.noyau.auth import ECHECS_MAX, EchecConnexion, authentifier, hacher, session_expiree


def test_hachage_argon2_et_longueur_minimale():
    h = hacher("une phrase de passe solide")
    assert h.startswith("$argon2id$") and "une phrase" not in h
    with pytest.raises(ValueError, match="au moins 12 caractères"):
        hacher("court")


def test_connexion_reussie_et_journalisee(demo):
    acteur = authentifier(demo, " DSDEN31@ac-toulouse.fr ", MOT_DE_PASSE_DEMO)
    assert (acteur.role, acteur.departement) == (Role.DSDEN, "31")
    assert demo.exec(select(JournalAudit).where(JournalAudit.action == "connexion")).one().objet == "dsden31@ac-toulouse.fr"


@pytest.mark.parametrize("identifiant", ["dsden31@ac-toulouse.fr", "inconnu@ac-toulouse.fr", "dsden31\x00@ac-toulouse.fr"])
def test_meme_message_pour_mauvais_mot_de_passe_et_compte_inconnu(demo, identifiant):
    with pytest.raises(EchecConnexion, match="^Identifiant ou mot de passe incorrect.$"):
        authentifier(demo, identifiant, "mauvais mot de passe")


def test_blocage_apres_echecs_repetes(demo):
    for _ in range(ECHECS_MAX):
        with pytest.raises(EchecConnexion, match="incorrect"):
            authentifier(demo, "pilote@ac-toulouse.fr", "mauvais mot de passe")
    with pytest.raises(EchecConnexion, match="Compte bloqué"):
        authentifier(demo, "pilote@ac-toulouse.fr", MOT_DE_PASSE_DEMO)  # even the right password
    u = demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "pilote@ac-toulouse.fr")).one()
    assert u.bloque_jusqu_au is not None


def test_compte_desactive_refuse(demo):
    u = demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "casnav@ac-toulouse.fr")).one()
    u.actif = False
    demo.add(u)
    demo.commit()
    with pytest.raises(EchecConnexion):
        authentifier(demo, "casnav@ac-toulouse.fr", MOT_DE_PASSE_DEMO)


def test_expiration_de_session():
    t0 = datetime(2025, 10, 1, 9, 0)
    assert not session_expiree(t0, t0 + timedelta(minutes=30), 30)
    assert session_expiree(t0, t0 + timedelta(minutes=31), 30)


def test_empreintes_aux_parametres_de_l_owasp_et_anciennes_refaites(demo):
    """Issue 19: argon2id at OWASP's first recommendation (19 MiB, 2 passes, 1 lane); an account hashed with the
    library's default (64 MiB, 4 lanes) still signs in, and its hash is remade with the bounded parameters."""
    from argon2 import PasswordHasher, extract_parameters

    p = extract_parameters(hacher("une phrase de passe solide"))
    assert (p.memory_cost, p.time_cost, p.parallelism) == (19 * 1024, 2, 1)
    u = demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "dsden31@ac-toulouse.fr")).one()
    u.mot_de_passe_hash = PasswordHasher().hash(MOT_DE_PASSE_DEMO)
    demo.add(u)
    demo.commit()
    assert extract_parameters(u.mot_de_passe_hash).memory_cost == 64 * 1024
    authentifier(demo, "dsden31@ac-toulouse.fr", MOT_DE_PASSE_DEMO)
    demo.refresh(u)
    assert extract_parameters(u.mot_de_passe_hash).memory_cost == 19 * 1024


def test_une_ruee_de_connexions_ne_verifie_qu_un_mot_de_passe_par_coeur(demo, reglages):
    """Twenty sign-ins at once (twenty threads, as Streamlit's sessions are, each its own database session): at most
    one password check per core runs at a time, so the memory they take stays bounded; every one gets its answer."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    from sqlmodel import Session

    from infra.base import moteur
    from workflow.noyau import auth

    auth.VERIFICATIONS.plus_haut = 0

    def se_connecter(k: int) -> str:
        with Session(moteur()) as s:
            try:
                return authentifier(s, "dsden31@ac-toulouse.fr" if k % 2 else f"inconnu{k}@ac-toulouse.fr",
                                    MOT_DE_PASSE_DEMO).nom
            except EchecConnexion as e:
                return str(e)

    with ThreadPoolExecutor(max_workers=20) as groupe:
        reponses = list(groupe.map(se_connecter, range(20)))
    assert reponses.count("Identifiant ou mot de passe incorrect.") == 10 and len(set(reponses)) == 2
    assert 1 <= auth.VERIFICATIONS.plus_haut <= (os.cpu_count() or 1)
