"""Intervenants' pay data (spec §10 rules 7 and 9): encrypted in the database, entered and read by the paying
service of a school or DSDEN where the person is engaged, by nobody else; every reading in the audit log."""

import pytest
from sqlalchemy import text
from sqlmodel import select

from db.models import Intervenant, JournalAudit
from forms.base import ErreursSaisie
from infra import settings
from tests.support import semis_atelier
from workflow.atelier import intervenants
from workflow.noyau.permissions import AccesRefuse

IBAN = "FR76 3000 6000 0112 3456 7890 189"
NIR = "2 90 06 75 123 456 85"


@pytest.fixture
def sofia(demo, acteurs, monkeypatch, tmp_path):
    monkeypatch.setenv("OEPRE_DATA_DIR", str(tmp_path))
    settings.get_settings.cache_clear()
    semis_atelier.semer_dans(demo)  # Sofia engaged by the Tarn college (département 81)
    return demo.exec(select(Intervenant.id).where(Intervenant.nom == "ÁLVAREZ")).one()


@pytest.fixture
def payeur81(demo):
    """The Tarn DSDEN's paying service, which pays the Tarn college's vacations in this test."""
    from db.models import Utilisateur
    from workflow.noyau.auth import acteur_de, hacher

    compte = Utilisateur(identifiant="paie.dsden81@test", nom_affiche="Service des vacations DSDEN 81", role="gestionnaire",
                         departement_code="81", mot_de_passe_hash=hacher("x" * 12))
    demo.add(compte)
    demo.commit()
    return acteur_de(compte)


def test_donnees_de_paie_chiffrees_et_relues_par_le_payeur(demo, sofia, payeur81):
    intervenants.enregistrer_donnees_de_paie(demo, payeur81, sofia, {"iban": IBAN, "nir": NIR, "adresse": "3 rue des Lilas, Albi"})
    brut = demo.execute(text("SELECT iban, nir, adresse FROM intervenant WHERE id = :i"), {"i": sofia}).one()
    assert all(v.startswith("gAAAA") for v in brut)  # Fernet tokens
    assert not any(x in " ".join(brut) for x in ("FR76", "3000", "290067", "Lilas"))
    lues = intervenants.donnees_de_paie(demo, payeur81, sofia)
    assert (lues.iban, lues.nir, lues.adresse) == ("FR7630006000011234567890189", "290067512345685", "3 rue des Lilas, Albi")
    actions = [j.action for j in demo.exec(select(JournalAudit).where(JournalAudit.objet == f"intervenant:{sofia}"))]
    assert actions == ["modification_donnees_paie", "lecture_donnees_paie"]
    (vue,) = intervenants.intervenants(demo, payeur81)
    assert vue.donnees_paie_saisies and vue.ateliers == ["Collège Jean-Jaurès"]


@pytest.mark.parametrize("qui", ["porteur81", "porteur", "dsden81", "daeps", "pilote", "comite", "admin", "intervenant",
                                 "gestionnaire", "paie31"])
def test_personne_d_autre_ne_lit_ni_n_ecrit_les_donnees_de_paie(demo, acteurs, sofia, qui):
    """Heads, DSDEN opinion-givers, the rectorat, the intervenant's own account and the paying services of another
    school or département: refused, and the attempt is logged."""
    with pytest.raises(AccesRefuse):
        intervenants.donnees_de_paie(demo, acteurs[qui], sofia)
    with pytest.raises(AccesRefuse):
        intervenants.enregistrer_donnees_de_paie(demo, acteurs[qui], sofia, {"iban": IBAN})
    assert demo.exec(select(Intervenant.iban).where(Intervenant.id == sofia)).one() is None


def test_iban_ou_nir_faux_refuse_en_francais_sans_rien_effacer(demo, sofia, payeur81):
    intervenants.enregistrer_donnees_de_paie(demo, payeur81, sofia, {"iban": IBAN})
    with pytest.raises(ErreursSaisie) as refus:
        intervenants.enregistrer_donnees_de_paie(demo, payeur81, sofia, {"iban": IBAN[:-1] + "8", "nir": "123"})
    assert any("IBAN invalide" in m for m in refus.value.messages) and any("sécurité sociale" in m for m in refus.value.messages)
    assert intervenants.donnees_de_paie(demo, payeur81, sofia).iban == "FR7630006000011234567890189"


def test_le_porteur_voit_ses_intervenants_sans_donnees_de_paie(demo, acteurs, sofia):
    (vue,) = intervenants.intervenants(demo, acteurs["porteur81"])
    assert vue.nom == "Sofia ÁLVAREZ" and not vue.donnees_paie_saisies
    assert intervenants.intervenants(demo, acteurs["porteur"]) == []  # the Tilleuls head: not engaged there
