"""The dossier → avis → decision path through the service layer, on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest
from sqlmodel import select

from db.models import Avis, Decision, Document, Dossier, Groupe, Transition
from demarrage.demo import COLLEGE_DU_TARN, ECOLE_PORTEUR, candidature_demo
from documents import stockage
from forms.base import ErreursSaisie
from forms.vocabulaire import Etat
from tests.support.fabrique import dossier_en_etat, executer_etape
from workflow import services
from workflow.noyau import moteur
from workflow.noyau.moteur import ConflitEdition, EtapeRefusee
from workflow.selection import candidature


def _dossier_porteur(session) -> Dossier:
    return session.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()


def test_chemin_complet_depot_avis_decision(demo, acteurs, reglages):
    d = _dossier_porteur(demo)
    assert (d.etat, d.version) == ("brouillon", 1)
    version = candidature.enregistrer_brouillon(demo, acteurs["porteur"], dossier_id=d.id, version=1,
                                             donnees={"responsable_nom": "Claire Martin"})
    assert version == 2

    res = executer_etape(demo, acteurs["porteur"], "deposer", d, **candidature_demo())
    assert res.etat == "depose"
    demo.refresh(d)
    assert d.heures_total == Decimal("140")
    assert d.montant_demande == Decimal("4285.60")  # 140 h × 29,54 € + 150 € of other costs
    assert [g.libelle for g in demo.exec(select(Groupe).where(Groupe.dossier_id == d.id))] == [
        "Groupe A — débutants", "Groupe B — intermédiaires"]

    res = executer_etape(demo, acteurs["dsden31"], "emettre_avis", d, avis="favorable_reserve",
                         motivation="Effectifs à confirmer.", priorite_departementale=1, signataire="Le DASEN 31")
    assert res.etat == "avis_donne"
    assert demo.exec(select(Avis).where(Avis.dossier_id == d.id)).one().avis == "favorable_reserve"

    res = executer_etape(demo, acteurs["pilote"], "decider", d, decision="retenu_sous_conditions", heures_financees="120",
                         montant_p104="2500", montant_en="1044.80", conditions="Effectif de 12 parents au démarrage.")
    assert res.etat == "retenu_sous_conditions"
    decision = demo.exec(select(Decision).where(Decision.dossier_id == d.id)).one()
    assert decision.montant_p104 + decision.montant_en == Decimal("3544.80")

    historique = demo.exec(select(Transition).where(Transition.dossier_id == d.id).order_by(Transition.id)).all()
    assert [(t.etape, t.de, t.vers) for t in historique] == [
        ("creer_dossier", None, "brouillon"), ("deposer", "brouillon", "depose"),
        ("emettre_avis", "depose", "avis_donne"), ("decider", "avis_donne", "retenu_sous_conditions")]
    assert historique[2].donnees["motivation"] == "Effectifs à confirmer."

    docs = demo.exec(select(Document).where(Document.dossier_id == d.id).order_by(Document.id)).all()
    assert [doc.type_document for doc in docs] == ["dossier_candidature", "accuse_reception", "avis_dasen",
                                                       "notification_decision"]
    for doc in docs:  # stored, immutable, checksummed
        contenu = stockage.depot().lire(doc.chemin, doc.sha256)
        assert len(contenu) == doc.taille and contenu[:2] == b"PK"


def test_regeneration_cree_une_nouvelle_version(demo, acteurs):
    d = _dossier_porteur(demo)
    executer_etape(demo, acteurs["porteur"], "deposer", d, **candidature_demo())
    executer_etape(demo, acteurs["dsden31"], "renvoyer_pour_correction", d, motif="Programme de l'axe 3 trop court.")
    executer_etape(demo, acteurs["porteur"], "deposer", d, **candidature_demo(heures="90"))
    versions = demo.exec(select(Document.version, Document.sha256).where(
        Document.dossier_id == d.id, Document.type_document == "dossier_candidature")).all()
    assert [v for v, _ in versions] == [1, 2]
    assert versions[0][1] != versions[1][1]
    renvoi = demo.exec(select(Transition).where(Transition.etape == "renvoyer_pour_correction")).one()
    assert renvoi.motif == "Programme de l'axe 3 trop court."


def test_deux_editeurs_conflit_sans_ecrasement(demo, acteurs):
    d = _dossier_porteur(demo)
    version_lue = d.version
    candidature.enregistrer_brouillon(demo, acteurs["porteur"], dossier_id=d.id, version=version_lue,
                                   donnees={"responsable_nom": "Première personne"})
    with pytest.raises(ConflitEdition, match="modifié par une autre personne"):
        candidature.enregistrer_brouillon(demo, acteurs["porteur"], dossier_id=d.id, version=version_lue,
                                       donnees={"responsable_nom": "Seconde personne"})
    demo.refresh(d)
    assert d.formulaire == {"responsable_nom": "Première personne"}


def test_garde_refusee_n_ecrit_rien(demo, acteurs, reglages):
    d = _dossier_porteur(demo)
    donnees = candidature_demo(heures="40", effectif=9) | {"programme_axe_valeurs": ""}
    with pytest.raises(EtapeRefusee) as exc:
        executer_etape(demo, acteurs["porteur"], "deposer", d, **donnees)
    messages = [b.message for b in exc.value.blocages if b.bloquant]
    assert any("effectif prévu 9, le minimum est de 12" in m for m in messages)
    assert any("40 h prévues, le minimum est de 60" in m for m in messages)
    assert any("valeurs de la République" in m for m in messages)
    demo.refresh(d)
    assert d.etat == "brouillon" and d.version == 1
    assert demo.exec(select(Document).where(Document.dossier_id == d.id)).all() == []
    assert not (reglages.documents_dir / "2025-2026" / ECOLE_PORTEUR).exists()


def test_saisie_invalide_message_francais(demo, acteurs):
    d = _dossier_porteur(demo)
    donnees = candidature_demo() | {"nb_parents_prevus": "beaucoup", "mutualisation": ["0310001X"]}
    with pytest.raises(ErreursSaisie) as exc:
        executer_etape(demo, acteurs["porteur"], "deposer", d, **donnees)
    assert "« Nombre de parents prévus » : doit être un nombre entier." in exc.value.messages
    assert any("lettre clé du code UAI 0310001X est fausse" in m for m in exc.value.messages)


def test_depot_apres_la_date_limite_refuse(demo, acteurs, monkeypatch):
    from db.models import Campagne

    campagne = demo.exec(select(Campagne)).one()
    campagne.depot_prolonge_jusqu_au = None
    demo.add(campagne)
    demo.commit()
    monkeypatch.setattr(moteur, "aujourdhui", lambda: campagne.date_limite_depot.replace(day=campagne.date_limite_depot.day + 1))
    d = _dossier_porteur(demo)
    with pytest.raises(EtapeRefusee, match="date limite de dépôt .* est passée"):
        executer_etape(demo, acteurs["porteur"], "deposer", d, **candidature_demo())


def test_decision_refusee_si_enveloppe_depassee(demo, acteurs):
    d = dossier_en_etat(demo, Etat.AVIS_DONNE, donnees={"emettre_avis": {"signataire": "Le DASEN 31"}}).dossier
    with pytest.raises(EtapeRefusee, match="Enveloppe programme 104 dépassée : il reste 117000.00 €"):
        executer_etape(demo, acteurs["pilote"], "decider", d, decision="retenu", heures_financees="140",
                       montant_p104="117000.01", montant_en="0")


def test_etat_inattendu_refuse(demo, acteurs):
    d = _dossier_porteur(demo)
    with pytest.raises(EtapeRefusee, match="n'est pas possible : le dossier est à l'état « brouillon »"):
        executer_etape(demo, acteurs["dsden31"], "emettre_avis", d, avis="favorable", signataire="X")


def test_rang_departemental_unique(demo, acteurs):
    d81 = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    assert d81.etat == "retenu"
    d = dossier_en_etat(demo, Etat.DEPOSE).dossier
    # rank 1 is taken in the Tarn, not in Haute-Garonne: allowed here
    res = executer_etape(demo, acteurs["dsden31"], "emettre_avis", d, avis="favorable", priorite_departementale=1, signataire="X")
    assert res.etat == "avis_donne"


HOSTILE = "Dupont & Fils <SARL> \"Le Bon\" l'atelier\nligne 2 😀 العربية Кириллица"


@pytest.mark.libreoffice
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # conversion does not depend on the database
def test_chaque_etape_produit_un_pdf_aux_caracteres_hostiles(demo, acteurs, reglages):
    """Dossier → avis → decision with hostile text: each DOCX is converted by LibreOffice and its PDF shows it."""
    import subprocess

    from tests.conftest import exiger_outil, libreoffice_present

    exiger_outil(libreoffice_present(), "LibreOffice absent")
    d = _dossier_porteur(demo)
    etapes = [("porteur", "deposer", candidature_demo() | {"responsable_nom": HOSTILE, "contexte": HOSTILE}),
              ("dsden31", "emettre_avis", {"avis": "favorable_reserve", "motivation": HOSTILE, "signataire": "Le DASEN 31"}),
              ("pilote", "decider", {"decision": "retenu_sous_conditions", "heures_financees": "120", "montant_p104": "3544.80",
                                     "conditions": HOSTILE})]
    for acteur, cle, donnees in etapes:
        demo.refresh(d)
        res = services.executer(demo, acteurs[acteur], cle, dossier_id=d.id, version=d.version, donnees=donnees)
        assert res.erreur_pdf is None
        pdf_doc = next(doc for doc in (demo.get(Document, i) for i in res.documents)
                       if doc.format == "pdf" and doc.type_document != "accuse_reception")
        chemin = reglages.documents_dir / pdf_doc.chemin
        # -raw: the content stream order; the default reading-order guess can detach the first letter after the invisible
        # isolate (FSI) that documents/render.py puts around a right-to-left value in a justified paragraph.
        texte = subprocess.run(["pdftotext", "-raw", str(chemin), "-"], capture_output=True, text=True, check=True).stdout
        assert "Dupont & Fils <SARL> \"Le Bon\" l'atelier" in texte, cle
        assert "Кириллица" in texte and all(lettre in texte for lettre in "عربية"), cle
