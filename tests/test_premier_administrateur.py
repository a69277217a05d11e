"""The first administrator of a new deployment, opened from the server's console (demarrage.administrateur): no
demo, no password typed, a single-use link printed and put in the outbox, the account of the deployment's académie."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import JetonCompte, JournalAudit, Notification, Utilisateur
from demarrage.administrateur import ouvrir_administrateur
from demarrage.demo import semer_referentiel
from forms.base import ErreursSaisie
from workflow import comptes
from workflow.comptes import SANS_MOT_DE_PASSE

RACINE = Path(__file__).resolve().parents[1]


def test_la_commande_ouvre_l_administrateur_d_une_base_neuve(tmp_path):
    env = os.environ | {"OEPRE_DATABASE_URL": f"sqlite:///{tmp_path / 'oepre.sqlite'}", "OEPRE_DATA_DIR": str(tmp_path),
                        "OEPRE_ACADEMIE": "montpellier", "OEPRE_ADRESSE_PUBLIQUE": "https://oepre.ac-montpellier.fr/"}
    env.pop("OEPRE_DATE_DU_JOUR", None)
    subprocess.run([sys.executable, "-m", "demarrage.initialisation"], cwd=RACINE, env=env, check=True, capture_output=True)
    sortie = subprocess.run([sys.executable, "-m", "demarrage.administrateur", "admin@ac-montpellier.fr", "Administratrice"],
                            cwd=RACINE, env=env, check=True, capture_output=True, text=True).stdout
    assert "Compte d'administrateur prêt : admin@ac-montpellier.fr." in sortie
    assert "https://oepre.ac-montpellier.fr/mot_de_passe?jeton=" in sortie
    jeton = sortie.rsplit("jeton=", 1)[1].strip()
    import sqlite3
    with sqlite3.connect(tmp_path / "oepre.sqlite") as base:
        ((role, academie, hachage),) = base.execute("select role, academie_code, mot_de_passe_hash from utilisateur").fetchall()
        assert (role, academie, hachage) == ("admin", "montpellier", SANS_MOT_DE_PASSE)
        (corps,) = base.execute("select corps from notification where type_notification = 'lien_compte'").fetchone()
        assert jeton in corps  # the same link is in the e-mail, and nowhere else in the database
        assert not base.execute("select 1 from jetoncompte where empreinte = ?", (jeton,)).fetchall()
    # A wrong address is refused in French, with nothing written and no traceback.
    refus = subprocess.run([sys.executable, "-m", "demarrage.administrateur", "pas-une-adresse", "X"],
                           cwd=RACINE, env=env, capture_output=True, text=True)
    assert refus.returncode == 1 and "Traceback" not in refus.stderr and "Adresse électronique" in refus.stderr


def test_relancee_elle_donne_un_nouveau_lien_et_l_ancien_ne_sert_plus(session):
    semer_referentiel(session)
    premier = ouvrir_administrateur(session, "admin@ac-toulouse.fr", "Admin")
    second = ouvrir_administrateur(session, "admin@ac-toulouse.fr", "Admin")
    assert premier != second
    assert len(session.exec(select(Utilisateur)).all()) == 1
    assert comptes.lien(session, premier.rsplit("jeton=", 1)[1]).valide is False
    assert comptes.lien(session, second.rsplit("jeton=", 1)[1]).valide is True
    assert len(session.exec(select(JetonCompte)).all()) == 2
    assert len(session.exec(select(Notification).where(Notification.type_notification == "lien_compte")).all()) == 2
    assert [j.action for j in session.exec(select(JournalAudit))].count("envoyer_lien_compte") == 2
    comptes.choisir_mot_de_passe(session, second.rsplit("jeton=", 1)[1], {"mot_de_passe": "Une-phrase-de-passe-2026",
                                                                           "confirmation": "Une-phrase-de-passe-2026"})
    assert session.exec(select(Utilisateur)).one().mot_de_passe_hash != SANS_MOT_DE_PASSE


def test_un_compte_d_un_autre_role_n_est_pas_fait_administrateur(demo):
    with pytest.raises(ErreursSaisie, match="n'est pas l'administrateur"):
        ouvrir_administrateur(demo, "pilote@ac-toulouse.fr", "Pilote")
    assert demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "pilote@ac-toulouse.fr")).one().role == "pilote"
