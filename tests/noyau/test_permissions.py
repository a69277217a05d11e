"""Every access rule, attacked through the service layer: ids of other schools, other départements,
roles that may only read (comité) or only see aggregates (Intérieur)."""

import pytest
from sqlmodel import select

from db.models import Dossier, JournalAudit
from demarrage.demo import COLLEGE_DU_TARN, ECOLE_PORTEUR, candidature_demo
from workflow import consultation, services
from workflow.etapes import ETAPES
from workflow.noyau import requetes
from workflow.noyau.permissions import AccesRefuse
from workflow.selection import candidature


def _dossier_81(session) -> Dossier:
    return session.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()


def _dossier_31(session) -> Dossier:
    return session.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()


def test_porteur_ne_lit_pas_le_dossier_d_une_autre_ecole_par_son_id(demo, acteurs):
    autre = _dossier_81(demo)
    with pytest.raises(AccesRefuse):
        consultation.dossier_detail(demo, acteurs["porteur"], autre.id)
    refus = demo.exec(select(JournalAudit).where(JournalAudit.action == "acces_refuse")).all()
    assert [r.objet for r in refus] == [f"dossier:{autre.id}"]


def test_porteur_ne_modifie_pas_le_dossier_d_une_autre_ecole(demo, acteurs):
    autre = _dossier_81(demo)
    with pytest.raises(AccesRefuse):
        candidature.enregistrer_brouillon(demo, acteurs["porteur"], dossier_id=autre.id, version=autre.version,
                                       donnees={"responsable_nom": "Intrus"})
    with pytest.raises(AccesRefuse):
        services.executer(demo, acteurs["porteur"], "engager_intervenant", dossier_id=autre.id, version=autre.version,
                          donnees={"nom": "X", "prenom": "Y", "statut": "autre", "employeur_principal": "sans",
                                   "groupe": "Groupe A — débutants", "date_debut": "2025-12-01", "date_fin": "2026-06-01",
                                   "heures_prevues": "10"}, pdf_apres=False)
    demo.refresh(autre)
    assert autre.formulaire.get("responsable_nom") == "Karim Benali"


def test_porteur_ne_cree_pas_de_dossier_pour_une_autre_ecole(demo, acteurs):
    from demarrage.demo import uai

    with pytest.raises(AccesRefuse):
        candidature.creer_dossier(demo, acteurs["porteur"], campagne_id=1, uai=uai("31", 9102))


def test_porteur_ne_lit_pas_les_documents_d_une_autre_ecole(demo, acteurs):
    autre = _dossier_81(demo)
    doc_ids = [d.id for d in consultation.documents_du_dossier(demo, acteurs["porteur81"], autre.id)]
    assert doc_ids
    for doc_id in doc_ids:
        with pytest.raises(AccesRefuse):
            consultation.lire_document(demo, acteurs["porteur"], doc_id)
    assert consultation.lire_document(demo, acteurs["porteur81"], doc_ids[0]).contenu[:2] == b"PK"


def test_dsden_n_agit_pas_sur_un_autre_departement(demo, acteurs):
    d31 = _dossier_31(demo)
    services.executer(demo, acteurs["porteur"], "deposer", dossier_id=d31.id, version=d31.version,
                      donnees=candidature_demo(), pdf_apres=False)
    demo.refresh(d31)
    with pytest.raises(AccesRefuse):
        services.executer(demo, acteurs["dsden81"], "emettre_avis", dossier_id=d31.id, version=d31.version,
                          donnees={"avis": "defavorable", "motivation": "Hors sujet", "signataire": "DASEN 81"}, pdf_apres=False)
    with pytest.raises(AccesRefuse):
        consultation.dossier_detail(demo, acteurs["dsden81"], d31.id)
    assert [d.id for d in requetes.dossiers_visibles(demo, acteurs["dsden81"])] == [_dossier_81(demo).id]
    demo.refresh(d31)
    assert d31.etat == "depose"


@pytest.mark.parametrize("etape", [e.cle for e in ETAPES])
def test_membre_du_comite_ne_modifie_rien(demo, acteurs, etape):
    d = _dossier_81(demo)
    with pytest.raises(AccesRefuse):
        services.executer(demo, acteurs["comite"], etape, dossier_id=d.id, version=d.version, campagne_id=1,
                          donnees={}, pdf_apres=False)


def test_membre_du_comite_lit_sans_modifier_les_brouillons(demo, acteurs):
    d = _dossier_31(demo)
    assert consultation.dossier_detail(demo, acteurs["comite"], d.id).dossier.id == d.id
    with pytest.raises(AccesRefuse):
        candidature.enregistrer_brouillon(demo, acteurs["comite"], dossier_id=d.id, version=d.version, donnees={})


def test_interieur_ne_voit_aucun_dossier_individuel(demo, acteurs):
    assert requetes.dossiers_visibles(demo, acteurs["interieur"]) == []
    for d in demo.exec(select(Dossier)):
        with pytest.raises(AccesRefuse):
            consultation.dossier_detail(demo, acteurs["interieur"], d.id)


def test_intervenant_ne_voit_que_ses_ateliers(demo, acteurs):
    assert requetes.dossiers_visibles(demo, acteurs["intervenant"]) == []
    with pytest.raises(AccesRefuse):
        consultation.dossier_detail(demo, acteurs["intervenant"], _dossier_81(demo).id)


def test_porteur_ne_decide_pas_et_dsden_ne_depose_pas(demo, acteurs):
    d = _dossier_81(demo)
    for acteur, etape in (("porteur81", "decider"), ("dsden81", "deposer"), ("daeps", "emettre_avis"),
                          ("casnav", "decider"), ("admin", "decider")):
        with pytest.raises(AccesRefuse, match="n'est pas ouverte au rôle"):
            services.executer(demo, acteurs[acteur], etape, dossier_id=d.id, version=d.version, donnees={}, pdf_apres=False)


def test_liste_des_comptes_reservee_a_l_administrateur(demo, acteurs):
    assert len(requetes.utilisateurs(demo, acteurs["admin"])) == 15
    for nom in ("pilote", "porteur", "dsden31", "comite"):
        with pytest.raises(AccesRefuse, match="réservée à l'administrateur"):
            requetes.utilisateurs(demo, acteurs[nom])


def test_chaque_dossier_de_la_demo_a_son_service_payeur(demo):
    """The Tarn college pays its intervenants itself, the Haute-Garonne school's are paid by the DSDEN's service."""
    from db.models import Etablissement, Utilisateur
    from forms.vocabulaire import Role
    from workflow.noyau.auth import acteur_de
    from workflow.noyau.permissions import dans_perimetre

    payeurs = [acteur_de(u) for u in demo.exec(select(Utilisateur).where(Utilisateur.role == Role.GESTIONNAIRE.value))]
    for d in demo.exec(select(Dossier)):
        dep = demo.get(Etablissement, d.uai).departement_code
        assert any(dans_perimetre(p, uai=d.uai, departement=dep) for p in payeurs), d.uai


# --- What a page asks before it offers a step: workflow.etapes.peut, over the table's rows -----------------------


def _un(role, **attributs):
    from workflow.noyau.permissions import Acteur

    return Acteur(1, role, "Compte d'essai", **attributs)


def test_peut_suit_les_lignes_de_la_table_pour_chaque_role_et_chaque_etat():
    """The whole matrix, every role × every step × every state (and no state): the helper says what the row says."""
    from forms.vocabulaire import Etat, Role
    from workflow.etapes import etapes_possibles, peut

    for role in Role:
        acteur = _un(role)
        for e in ETAPES:
            assert peut(acteur, e.cle) == (role in e.acteurs), (role, e.cle)
            for etat in Etat:
                assert peut(acteur, e.cle, etat) == (role in e.acteurs and etat in e.depuis), (role, e.cle, etat)
                assert peut(acteur, e.cle, etat.value) == peut(acteur, e.cle, etat)
        for etat in Etat:  # the dossier page's « Étapes possibles » agree with it
            assert [e.cle for e in etapes_possibles(role, etat)] == [
                e.cle for e in ETAPES if e.sujet == "dossier" and peut(acteur, e.cle, etat)], (role, etat)


def test_peut_garde_au_titulaire_ce_qui_lui_est_reserve():
    """A teacher preparing the dossier on the head's behalf prepares it, but the steps kept to the head are not hers."""
    from forms.vocabulaire import Etat, Role
    from workflow.etapes import peut

    delegue = _un(Role.PORTEUR, peut_deposer=False)
    for e in ETAPES:
        attendu = Role.PORTEUR in e.acteurs and not e.titulaire_seul
        assert peut(delegue, e.cle) == attendu, e.cle
    assert peut(_un(Role.PORTEUR), "deposer", Etat.BROUILLON) and not peut(delegue, "deposer", Etat.BROUILLON)


def test_la_navigation_montre_une_page_exactement_quand_la_table_ou_l_acces_l_ouvre():
    """For every role and page: shown iff the role may run one of the page's steps or is in the access set of what it
    reads; and each set of roles a page is shown to is one the domain checks."""
    from forms.vocabulaire import Role
    from workflow.etapes import peut
    from workflow.navigation import PAGES, pages_du_role

    for role in Role:
        vues = {p.fichier for p in pages_du_role(role)}
        for p in PAGES:
            ouverte = role in p.lecteurs or any(peut(_un(role), cle) for cle in p.etapes)
            assert (p.fichier in vues) == ouverte, (role, p.fichier)
    assert all(cle in {e.cle for e in ETAPES} for p in PAGES for cle in p.etapes)
