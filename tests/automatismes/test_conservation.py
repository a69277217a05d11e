"""Retention of parents' data and their rights: notice 30 days before, anonymisation with the aggregates kept,
export and erasure on request by the head of the school, each written to the audit log."""

import json
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from bench.annee import semer_annee
from db.models import Auditeur, Campagne, Document, Enfant, JournalAudit, Notification, Presence
from forms.base import ErreursSaisie
from tests.support.semis_atelier import semer_dans
from workflow import consultation
from workflow.automatismes import conservation
from workflow.cloture import bilans
from workflow.noyau.permissions import AccesRefuse

MAINTENANT = datetime(2027, 9, 1, 3, 30, tzinfo=UTC)


@pytest.fixture
def annee(demo):
    campagne = demo.exec(select(Campagne)).one()
    tarn = semer_dans(demo)  # four parents registered, their fiches stored
    genere = semer_annee(demo, campagne.id, ateliers=2, parents=20)
    return campagne, tarn, genere


def test_avis_puis_anonymisation_en_gardant_les_agregats(demo, acteurs, annee):
    campagne, tarn, genere = annee
    assert conservation.date_anonymisation(campagne) == date(2027, 8, 31)
    avant = bilans.chiffres_bilans(demo, genere)
    assert conservation.appliquer(demo, date(2027, 7, 31), MAINTENANT).avis == 0  # 31 days before: not yet
    assert conservation.appliquer(demo, date(2027, 8, 1), MAINTENANT).avis == 3  # Tarn's head, two generated schools
    assert conservation.appliquer(demo, date(2027, 8, 2), MAINTENANT).avis == 0  # once
    avis = demo.exec(select(Notification).where(Notification.dossier_id == tarn.id,
                                                Notification.type_notification == "purge_prochaine")).one()
    assert avis.destinataire == "principal.jaures@ac-toulouse.fr" and "31 août 2027" in avis.sujet
    assert demo.exec(select(Auditeur).where(Auditeur.anonymise_at.is_not(None))).all() == []

    fiches = [d for d in consultation.documents_du_dossier(demo, acteurs["porteur81"], tarn.id) if d.type_document == "fiche_inscription"]
    assert len(fiches) == 4
    rapport = conservation.appliquer(demo, date(2027, 8, 31), MAINTENANT)
    assert rapport.parents_anonymises == 24 and rapport.fichiers_supprimes == 4
    parents = demo.exec(select(Auditeur)).all()
    assert {p.nom for p in parents} == {conservation.NOM_ANONYME} and all(p.telephone is None for p in parents)
    assert demo.exec(select(Enfant)).all() == [] and demo.exec(select(Presence)).all()
    apres = bilans.chiffres_bilans(demo, genere)
    assert {i: (c.inscrits_total, c.femmes, c.pays, c.assidus) for i, c in apres.items()} == {
        i: (c.inscrits_total, c.femmes, c.pays, c.assidus) for i, c in avant.items()}
    assert [d for d in consultation.documents_du_dossier(demo, acteurs["porteur81"], tarn.id)
            if d.type_document == "fiche_inscription"] == []
    assert len(demo.exec(select(Document).where(Document.type_document == "fiche_inscription")).all()) == 4  # tombstones
    purges = demo.exec(select(JournalAudit).where(JournalAudit.action == "purge_conservation")).all()
    assert sum(j.details["parents"] for j in purges) == 24
    assert conservation.appliquer(demo, date(2027, 9, 1), MAINTENANT).parents_anonymises == 0


def test_droits_d_un_parent(demo, acteurs, annee):
    _, tarn, _ = annee
    amina = demo.exec(select(Auditeur).where(Auditeur.dossier_id == tarn.id, Auditeur.nom == "Haddad")).one()
    export = json.loads(conservation.exporter_parent(demo, acteurs["porteur81"], amina.id))
    assert export["parent"]["prenom"] == "Amina" and export["enfants"] == [{"prenom": "Yasmine", "classe": "CE1",
                                                                             "ecole": "0819109L"}]
    assert [d["type"] for d in export["documents"]] == ["fiche_inscription"]
    for nom in ("porteur", "dsden81", "daeps", "intervenant"):
        with pytest.raises(AccesRefuse):
            conservation.exporter_parent(demo, acteurs[nom], amina.id)
    with pytest.raises(ErreursSaisie, match="Motif"):
        conservation.effacer_parent(demo, acteurs["porteur81"], amina.id, "", MAINTENANT)
    assert conservation.effacer_parent(demo, acteurs["porteur81"], amina.id, "Demande écrite du 12/03", MAINTENANT) == 1
    demo.refresh(amina)
    assert (amina.nom, amina.pays_origine, amina.annee_naissance) == (conservation.NOM_ANONYME, None, None)
    autres = [d for d in consultation.documents_du_dossier(demo, acteurs["porteur81"], tarn.id) if d.type_document == "fiche_inscription"]
    assert len(autres) == 3  # only hers is gone
    actions = [j.action for j in demo.exec(select(JournalAudit).where(JournalAudit.objet == f"auditeur:{amina.id}"))]
    assert actions == ["rgpd_export", "rgpd_effacement"]


def test_effacement_par_la_page(demo, acteurs, annee):
    """The head erases a parent from the Parents page: refused without the confirmation (nothing typed lost), done with it."""

    from tests.support.appli import ouvrir_application

    _, tarn, _ = annee
    at = ouvrir_application(acteurs["porteur81"], "pages/parents.py")
    choix = at.selectbox(key="parents_rgpd_choix")
    choix.select_index([i for i, p in enumerate(choix.options) if "Haddad" in p][0]).run()
    at.text_input(key="parents_rgpd_motif").input("Demande écrite du 12/03")
    [b for b in at.button if b.label == "Effacer ses données"][0].click().run()
    assert "Cochez la case de confirmation" in at.error[0].value
    assert at.text_input(key="parents_rgpd_motif").value == "Demande écrite du 12/03"
    at.checkbox(key="parents_rgpd_confirme").check()
    [b for b in at.button if b.label == "Effacer ses données"][0].click().run()
    assert not at.exception
    demo.expire_all()
    assert demo.exec(select(Auditeur).where(Auditeur.nom == "Haddad")).all() == []
