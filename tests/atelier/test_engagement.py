"""Issue 13, item 9: an intervenant is engaged on one of the dossier's groups, chosen in its list; the intervenant
account named by its e-mail then sees the atelier; engaging again corrects instead of doubling; a person merely
listed in the application is neither recorded on a séance nor paid."""

import pytest
from sqlmodel import select

from db.models import Dossier, Engagement, Intervenant, Utilisateur
from demarrage.demo import COLLEGE_DU_TARN
from forms.base import ErreursSaisie
from infra import settings as reglages_oepre
from tests.support import semis_atelier
from workflow.atelier import vues
from workflow.noyau import requetes
from workflow.noyau.permissions import AccesRefuse

GROUPE = semis_atelier.GROUPE


def _engager(etape, **autres):
    donnees = {"nom": "Rousseau", "prenom": "Marc", "statut": "enseignant_upe2a", "employeur_principal": "EN",
               "groupe": GROUPE, "date_debut": "2025-11-17", "date_fin": "2026-06-30", "heures_prevues": "60"} | autres
    return etape("engager_intervenant", **donnees)


@pytest.fixture
def jaures(demo, acteurs):
    """The Tarn college's retained demo dossier, and its head running steps on it."""
    dossier = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    return dossier, semis_atelier.executeur(demo, acteurs["porteur81"], dossier)


def test_les_listes_du_dossier_sont_ses_groupes_et_ses_intervenants_engages(demo, acteurs, jaures):
    dossier, etape = jaures
    assert requetes.choix_du_dossier(demo, acteurs["porteur81"], dossier.id) == {
        "groupes": ["Groupe A — débutants", "Groupe B — intermédiaires"], "intervenants": []}
    _engager(etape)
    assert requetes.choix_du_dossier(demo, acteurs["porteur81"], dossier.id)["intervenants"] == ["Marc ROUSSEAU"]
    with pytest.raises(AccesRefuse):  # another school's lists stay closed
        requetes.choix_du_dossier(demo, acteurs["porteur"], dossier.id)


def test_un_groupe_inconnu_est_refuse_avec_la_liste_des_groupes(jaures):
    _, etape = jaures
    with pytest.raises(ErreursSaisie) as refus:
        _engager(etape, groupe="Groupe A - debutants")
    assert ("le groupe « Groupe A - debutants » n'existe pas dans ce dossier (groupes du dossier : « Groupe A — débutants » ; "
            "« Groupe B — intermédiaires »)") in str(refus.value)


def test_le_compte_de_l_intervenant_voit_l_atelier_ou_il_est_engage(demo, acteurs, jaures):
    dossier, etape = jaures
    sofia = acteurs["intervenant"]  # the demo account of Sofia Álvarez
    assert requetes.dossiers_visibles(demo, sofia) == []
    _engager(etape, nom="Álvarez", prenom="Sofia", courriel="Intervenante@ac-toulouse.fr")
    assert [d.id for d in requetes.dossiers_visibles(demo, sofia)] == [dossier.id]
    vue = vues.suivi(demo, sofia, dossier.id)
    assert vue.intervenants == ["Sofia ÁLVAREZ"]
    assert demo.exec(select(Intervenant).where(Intervenant.email == "intervenante@ac-toulouse.fr")).one().nom == "ÁLVAREZ"


def test_un_compte_d_intervenant_sans_fiche_est_relie_a_la_personne_engagee(demo, acteurs, jaures):
    dossier, etape = jaures
    compte = demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "intervenante@ac-toulouse.fr")).one()
    sofia = demo.get(Intervenant, compte.intervenant_id)
    with pytest.raises(ErreursSaisie, match="intervenante@ac-toulouse.fr est l'adresse de Sofia ÁLVAREZ, pas de Marc ROUSSEAU"):
        _engager(etape, courriel="intervenante@ac-toulouse.fr")
    demo.rollback()
    compte.intervenant_id, sofia.email = None, None  # an account created before the person was ever recorded
    demo.add_all([compte, sofia])
    demo.commit()
    _engager(etape, courriel="intervenante@ac-toulouse.fr")
    demo.refresh(compte)
    assert demo.get(Intervenant, compte.intervenant_id).nom == "ROUSSEAU"
    from workflow.noyau.auth import acteur_de

    assert [d.id for d in requetes.dossiers_visibles(demo, acteur_de(compte))] == [dossier.id]


def test_le_courriel_d_un_autre_role_est_refuse(demo, jaures):
    _, etape = jaures
    with pytest.raises(ErreursSaisie, match="est le compte d'un autre rôle"):
        _engager(etape, courriel="principal.jaures@ac-toulouse.fr")
    with pytest.raises(ErreursSaisie, match="adresse électronique invalide"):
        _engager(etape, courriel="marc.rousseau@")


def test_engager_deux_fois_corrige_l_engagement(demo, jaures):
    dossier, etape = jaures
    _engager(etape)
    _engager(etape, heures_prevues="45")
    (engagement,) = demo.exec(select(Engagement).where(Engagement.dossier_id == dossier.id, Engagement.engage.is_(True)))
    assert engagement.heures_prevues == 45
    _engager(etape, groupe="Groupe B — intermédiaires")  # another group: a second engagement
    assert len(demo.exec(select(Engagement).where(Engagement.dossier_id == dossier.id, Engagement.engage.is_(True))).all()) == 2


def test_un_intervenant_seulement_prevu_n_anime_pas_de_seance(demo, jaures, monkeypatch):
    """The Tarn application lists Sofia ROUSSEAU without engaging her: a séance naming her is refused."""
    _, etape = jaures
    _engager(etape)
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-02-27")
    reglages_oepre.get_settings.cache_clear()
    with pytest.raises(ErreursSaisie, match=r"Sofia ROUSSEAU n'est pas engagé\(e\) sur ce dossier \(intervenants engagés : Marc ROUSSEAU\)"):
        etape("enregistrer_seance", groupe=GROUPE, date_seance="2026-01-13", heure_debut="14:00", heure_fin="16:00",
              axes=["langue"], intervenants=["Sofia ROUSSEAU"], presences=[])
