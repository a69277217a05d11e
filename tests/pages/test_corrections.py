"""Issue 16, item 5, through the pages (AppTest): the head picks a séance, corrects it in a form filled with its values,
sees the new values, the history and the new pay; a failed validation keeps what was typed; a liquidated séance says
why it is locked; a parent's record is corrected on the parents page."""

from datetime import date, time

import pytest
from sqlmodel import select

from db.models import Auditeur, Seance, Transition, Utilisateur
from infra import settings as reglages_oepre
from tests.support import semis_atelier
from tests.support.appli import bouton, ouvrir_application, textes_de
from tests.support.fabrique import executer_etape
from workflow.noyau.auth import acteur_de

GROUPE = semis_atelier.GROUPE


@pytest.fixture
def seance(demo, acteurs, monkeypatch):
    """The Tarn atelier, today 27/02/2026, with one séance on 13/01/2026 from 14:00 to 16:00, Amina and Léa present."""
    dossier = semis_atelier.semer_dans(demo)
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-02-27")
    reglages_oepre.get_settings.cache_clear()
    executer_etape(demo, acteurs["porteur81"], "enregistrer_seance", dossier, groupe=GROUPE, date_seance="2026-01-13",
                   heure_debut="14:00", heure_fin="16:00", axes=["langue"], intervenants=["Sofia ÁLVAREZ"],
                   presences=[{"nom": "Haddad", "prenom": "Amina", "statut": "present"},
                              {"nom": "O'Brien-Müller", "prenom": "Léa", "statut": "present"}])
    return dossier, demo.exec(select(Seance)).one()


def _net(texte: str) -> str:
    return texte.replace("\u202f", " ").replace("\xa0", " ")


def test_le_porteur_corrige_une_seance_par_la_page(demo, acteurs, seance):
    dossier, s = seance
    lea = demo.exec(select(Auditeur).where(Auditeur.prenom == "Léa")).one()
    at = ouvrir_application(acteurs["porteur81"])
    at.switch_page("pages/seances.py").run()
    assert not at.exception, at.exception
    cle = f"seance_correction_{s.id}"
    assert (at.time_input(key=f"{cle}_debut").value, at.time_input(key=f"{cle}_fin").value) == (time(14), time(16))
    assert at.radio(key=f"{cle}_presence_{lea.id}").value == "present"  # the form starts from the séance's values

    at.time_input(key=f"{cle}_fin").set_value(time(15, 20))
    at.radio(key=f"{cle}_presence_{lea.id}").set_value("absent_excuse")
    bouton(at, "Enregistrer la correction").click().run()  # no motif: refused, nothing lost
    assert not at.exception, at.exception
    assert "« Motif de la correction » : est obligatoire" in textes_de(at)
    assert at.time_input(key=f"{cle}_fin").value == time(15, 20)
    assert at.radio(key=f"{cle}_presence_{lea.id}").value == "absent_excuse"
    demo.expire_all()
    assert demo.get(Seance, s.id).minutes == 120

    at.text_input(key=f"{cle}_motif").input("Heure de fin mal saisie ; Léa excusée")
    bouton(at, "Enregistrer la correction").click().run()
    assert not at.exception, at.exception
    demo.expire_all()
    assert demo.get(Seance, s.id).minutes == 80
    neuf = f"{cle}~1"  # the form again, under new keys, with the new values
    assert at.time_input(key=f"{neuf}_fin").value == time(15, 20)
    assert at.radio(key=f"{neuf}_presence_{lea.id}").value == "absent_excuse"
    assert at.text_input(key=f"{neuf}_motif").value == ""
    textes = _net(textes_de(at))
    assert "**Séance du 13/01/2026** : 14:00 – 15:20 (1 h 20), 1 présent(s)" in textes
    assert ("14:00–16:00 (2 h) → 14:00–15:20 (1 h 20), 1 présence(s) modifiée(s). Motif : Heure de fin mal saisie ; "
            "Léa excusée") in textes
    assert f"{acteurs['porteur81'].nom} : 14:00–16:00" in textes

    at.switch_page("pages/paie.py").run()
    at.date_input(key="paie_mois").set_value(date(2026, 1, 13)).run()
    assert "**Sofia ÁLVAREZ** — 1 h 20, 39,39 € brut — à certifier" in _net(textes_de(at))


def test_une_seance_liquidee_dit_pourquoi_elle_est_verrouillee(demo, acteurs, seance):
    dossier, s = seance
    executer_etape(demo, acteurs["porteur81"], "certifier_service_fait", dossier, intervenant="Sofia ÁLVAREZ",
                   mois="2026-01-01", certifie_par="Marc Durand")
    payeur = acteur_de(demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "gestionnaire.jaures@ac-toulouse.fr")).one())
    executer_etape(demo, payeur, "liquider", dossier, structure_payeuse="Collège Jean-Jaurès", mois="2026-01-01")
    at = ouvrir_application(acteurs["porteur81"])
    at.switch_page("pages/seances.py").run()
    assert not at.exception, at.exception
    assert ("Séance liquidée le 27/02/2026 (état liquidatif) : ses heures sont payées, elle ne peut plus être corrigée "
            "ni annulée.") in textes_de(at)
    assert not [b for b in at.button if b.label in ("Enregistrer la correction", "Annuler la séance")]


def test_le_porteur_annule_une_seance_par_la_page(demo, acteurs, seance):
    dossier, s = seance
    at = ouvrir_application(acteurs["porteur81"])
    at.switch_page("pages/seances.py").run()
    at.text_input(key=f"seance_correction_{s.id}_motif").input("Séance non tenue : grève des transports")
    bouton(at, "Annuler la séance").click().run()
    assert not at.exception, at.exception
    demo.expire_all()
    assert (demo.get(Seance, s.id).annulee, demo.get(Seance, s.id).motif_annulation) == (
        True, "Séance non tenue : grève des transports")
    assert "Aucune séance" in textes_de(at) or not [b for b in at.button if b.label == "Annuler la séance"]


def test_le_porteur_corrige_la_fiche_d_un_parent_par_la_page(demo, acteurs, seance):
    dossier, _ = seance
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    at = ouvrir_application(acteurs["porteur81"])
    at.switch_page("pages/parents.py").run()
    assert not at.exception, at.exception
    cle = f"parents_correction_{dossier.id}_{amina.id}"
    assert at.text_input(key=f"{cle}_prenom").value == "Amina"
    at.text_input(key=f"{cle}_prenom").input("Aminah")
    at.text_input(key=f"{cle}_motif").input("Faute de frappe dans le prénom")
    bouton(at, "Corriger la fiche et la produire à nouveau").click().run()
    assert not at.exception, at.exception
    demo.expire_all()
    assert demo.get(Auditeur, amina.id).prenom == "Aminah"
    assert at.text_input(key=f"{cle}~1_prenom").value == "Aminah"
    (t,) = demo.exec(select(Transition).where(Transition.etape == "corriger_parent")).all()
    assert (t.motif, t.donnees["changements"]) == ("Faute de frappe dans le prénom", {"prenom": "modifié"})
