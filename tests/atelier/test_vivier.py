"""The CASNAV's pool and the schools' profile requests: record, ask, propose, accept (which engages the person
through the engagement step) or decline; the pool stays the CASNAV's."""

import pytest
from sqlmodel import select

from db.models import DemandeProfil, Document, Dossier, Engagement, Intervenant
from demarrage.demo import COLLEGE_DU_TARN
from forms.base import ErreursSaisie
from workflow.atelier import vivier
from workflow.noyau.permissions import AccesRefuse

MARIAM = {"nom": "Diallo", "prenom": "Mariam", "email": "m.diallo@example.org", "statut": "formateur_greta",
          "employeur_principal": "prive", "qualifications": ["fle", "langue"], "departements": ["81", "82"],
          "disponibilites": "Mardi et jeudi après-midi"}
ENGAGEMENT = {"date_debut": "2025-12-01", "date_fin": "2026-06-19", "heures_prevues": "60", "statut_cumul": "non_requis"}


@pytest.fixture
def demande(demo, acteurs):
    dossier = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()  # the Tarn college, retained
    mariam = vivier.ajouter_candidat(demo, acteurs["casnav"], MARIAM)
    demande_id = vivier.demander_profil(demo, acteurs["porteur81"], dossier_id=dossier.id, donnees={
        "groupe": "Groupe B — intermédiaires", "qualification": "fle", "disponibilites": "Jeudi 9 h – 11 h"})
    return dossier, mariam, demande_id


def test_demande_proposition_acceptation_engage_l_intervenant(demo, acteurs, demande):
    dossier, mariam, demande_id = demande
    assert [c.nom for c in vivier.candidats(demo, acteurs["casnav"], departement="81", qualification="fle")] == ["Mariam DIALLO"]
    assert vivier.candidats(demo, acteurs["casnav"], departement="31") == []
    (vue,) = vivier.demandes(demo, acteurs["casnav"])
    assert (vue.etablissement, vue.departement, vue.statut) == ("Collège Jean-Jaurès (Albi)", "81", "ouverte")
    vivier.proposer(demo, acteurs["casnav"], demande_id=demande_id, intervenant_id=mariam)
    (vue,) = vivier.demandes(demo, acteurs["porteur81"])
    assert vue.statut == "proposee" and vue.propose.nom == "Mariam DIALLO"
    assert vue.propose.qualifications == ["Français langue étrangère (FLE)", "Parle une langue des familles"]
    vivier.accepter(demo, acteurs["porteur81"], demande_id=demande_id, donnees=ENGAGEMENT)
    engagement = demo.exec(select(Engagement).where(Engagement.intervenant_id == mariam)).one()
    assert (engagement.dossier_id, engagement.heures_prevues) == (dossier.id, 60)
    assert demo.exec(select(Document).where(Document.dossier_id == dossier.id, Document.type_document == "lettre_engagement")).all()
    assert demo.get(DemandeProfil, demande_id).statut == "acceptee"
    with pytest.raises(ErreursSaisie, match="déjà satisfaite"):
        vivier.proposer(demo, acteurs["casnav"], demande_id=demande_id, intervenant_id=mariam)


def test_profil_decline_la_demande_se_rouvre(demo, acteurs, demande):
    _, mariam, demande_id = demande
    vivier.proposer(demo, acteurs["casnav"], demande_id=demande_id, intervenant_id=mariam)
    with pytest.raises(ErreursSaisie, match="pourquoi"):
        vivier.decliner(demo, acteurs["porteur81"], demande_id=demande_id, motif="")
    vivier.decliner(demo, acteurs["porteur81"], demande_id=demande_id, motif="Indisponible le jeudi matin")
    (vue,) = vivier.demandes(demo, acteurs["casnav"])
    assert (vue.statut, vue.propose, vue.reponse) == ("ouverte", None, "Indisponible le jeudi matin")


def test_candidat_hors_du_departement_refuse(demo, acteurs, demande):
    _, _, demande_id = demande
    autre = vivier.ajouter_candidat(demo, acteurs["casnav"], {**MARIAM, "nom": "Martin", "prenom": "Paul", "departements": ["31"]})
    with pytest.raises(ErreursSaisie, match="n'intervient pas dans le département 81"):
        vivier.proposer(demo, acteurs["casnav"], demande_id=demande_id, intervenant_id=autre)
    hors_vivier = Intervenant(nom="BERNARD", prenom="Anne", statut="enseignant_1d")  # a teacher, not in the pool
    demo.add(hors_vivier)
    demo.commit()
    with pytest.raises(ErreursSaisie, match="pas inscrite au vivier"):
        vivier.proposer(demo, acteurs["casnav"], demande_id=demande_id, intervenant_id=hors_vivier.id)


@pytest.mark.parametrize("qui", ["porteur", "porteur81", "dsden81", "pilote", "comite", "gestionnaire", "interieur"])
def test_le_vivier_reste_au_casnav(demo, acteurs, demande, qui):
    with pytest.raises(AccesRefuse):
        vivier.candidats(demo, acteurs[qui])
    with pytest.raises(AccesRefuse):
        vivier.ajouter_candidat(demo, acteurs[qui], MARIAM)


def test_une_ecole_ne_voit_ni_ne_repond_aux_demandes_d_une_autre(demo, acteurs, demande):
    _, mariam, demande_id = demande
    vivier.proposer(demo, acteurs["casnav"], demande_id=demande_id, intervenant_id=mariam)
    assert vivier.demandes(demo, acteurs["porteur"]) == []
    for qui in ("porteur", "casnav", "dsden81"):
        with pytest.raises(AccesRefuse):
            vivier.accepter(demo, acteurs[qui], demande_id=demande_id, donnees=ENGAGEMENT)
    with pytest.raises(AccesRefuse):
        vivier.demander_profil(demo, acteurs["porteur"], dossier_id=demo.get(DemandeProfil, demande_id).dossier_id,
                               donnees={"groupe": "Groupe A — débutants", "qualification": "fle", "disponibilites": "x"})
