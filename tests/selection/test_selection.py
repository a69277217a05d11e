"""Selection (issue 3) through the service layer: delegation, committee agenda, procès-verbal, envelopes."""

import io
from decimal import Decimal

import pytest
from sqlmodel import select

from db.models import Campagne, Decision, Document, Dossier, SessionComite
from demarrage.demo import COLLEGE_DU_TARN, ECOLE_PORTEUR, candidature_demo
from forms.vocabulaire import Etat
from tests.support.fabrique import dossier_en_etat, executer_etape
from workflow import consultation, echeances, revue, services
from workflow.noyau import moteur, requetes
from workflow.noyau.format import date_fr
from workflow.noyau.moteur import EtapeRefusee
from workflow.noyau.permissions import AccesRefuse
from workflow.selection import candidature
from workflow.selection.actions import campagne_suivante


def _dossier_31(session) -> Dossier:
    return session.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()


def test_delegue_prepare_mais_ne_depose_pas(demo, acteurs):
    from db.models import Utilisateur
    from workflow.noyau.auth import acteur_de

    delegue = acteur_de(demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "enseignante.tilleuls@ac-toulouse.fr")).one())
    assert delegue.peut_deposer is False
    d = _dossier_31(demo)
    version = candidature.enregistrer_brouillon(demo, delegue, dossier_id=d.id, version=d.version, donnees=candidature_demo())
    assert version == 2
    with pytest.raises(AccesRefuse, match="Seul le directeur d'école ou le chef d'établissement dépose"):
        services.executer(demo, delegue, "deposer", dossier_id=d.id, version=version, donnees=candidature_demo(), pdf_apres=False)
    assert executer_etape(demo, acteurs["porteur"], "deposer", d, **candidature_demo()).etat == "depose"


def test_un_brouillon_enregistre_sans_changement_n_ecrit_rien_et_ne_fait_pas_conflit(demo, acteurs):
    """Saving the draft as stored (« Précédent », a second click) writes nothing, even from an older version; a change
    from an older version is still a conflict."""
    from db.models import JournalAudit
    from workflow.noyau.moteur import ConflitEdition

    def lignes() -> int:
        return len(demo.exec(select(JournalAudit).where(JournalAudit.action == "enregistrer_brouillon")).all())

    d = _dossier_31(demo)
    ancienne = d.version
    version = candidature.enregistrer_brouillon(demo, acteurs["porteur"], dossier_id=d.id, version=ancienne,
                                                donnees=candidature_demo())
    avant = lignes()
    for lue in (version, ancienne):
        assert candidature.enregistrer_brouillon(demo, acteurs["porteur"], dossier_id=d.id, version=lue,
                                                 donnees=candidature_demo()) == version
    assert lignes() == avant
    with pytest.raises(ConflitEdition):
        candidature.enregistrer_brouillon(demo, acteurs["porteur"], dossier_id=d.id, version=ancienne,
                                          donnees=candidature_demo() | {"contexte": "Autre chose."})
    assert lignes() == avant

def test_ordre_du_jour_avec_les_criteres_du_comite(demo, acteurs):
    dossier_en_etat(demo, Etat.AVIS_DONNE, donnees={"emettre_avis": {"avis": "favorable_reserve", "motivation": "À suivre.",
                                                                     "priorite_departementale": 2}})
    campagne = demo.exec(select(Campagne)).one()
    (ligne,) = requetes.ordre_du_jour(demo, acteurs["pilote"], campagne)
    assert (ligne.avis, ligne.rang, ligne.nb_groupes, ligne.effectif_min) == ("favorable_reserve", 2, 2, 13)
    assert (ligne.part_primo_pct, ligne.part_reinscrits_pct) == (64, 21)  # 18 and 6 of 28 parents
    assert (ligne.nb_intervenants, ligne.nb_intervenants_fle) == (2, 1)
    assert ligne.heures_total == Decimal("140") and ligne.bilans_n_1 == "sans objet"
    assert requetes.ordre_du_jour(demo, acteurs["dsden81"], campagne) == []  # outside its département


def test_proces_verbal_reprend_les_decisions_nouvelles(demo, acteurs, reglages):
    campagne = demo.exec(select(Campagne)).one()
    pv = {"date_session": "2025-11-05", "lieu": "Rectorat de Toulouse",
          "membres_presents": [{"fonction": "CT-EVS", "nom": "M. Pilote"}, {"fonction": "Directrice du CASNAV", "nom": "Mme C."}]}
    res = services.executer(demo, acteurs["pilote"], "etablir_proces_verbal", campagne_id=campagne.id, donnees=pv, pdf_apres=False)
    seance = demo.exec(select(SessionComite)).one()
    assert seance.membres_presents[1]["fonction"] == "Directrice du CASNAV"
    (decision,) = demo.exec(select(Decision)).all()  # the demo's decision for the Tarn dossier
    assert decision.session_id == seance.id
    (doc,) = [demo.get(Document, i) for i in res.documents]
    from docx import Document as LireDocx

    texte = "\n".join(c.text for t in LireDocx(reglages.documents_dir / doc.chemin).tables for r in t.rows for c in r.cells)
    assert "Collège Jean-Jaurès" in texte and "Retenu" in texte and "3\u202f000,00\xa0€" in texte
    with pytest.raises(EtapeRefusee, match="Aucune décision nouvelle"):
        services.executer(demo, acteurs["pilote"], "etablir_proces_verbal", campagne_id=campagne.id, donnees=pv, pdf_apres=False)


def test_comite_ne_peut_pas_etablir_le_proces_verbal(demo, acteurs):
    with pytest.raises(AccesRefuse):
        services.executer(demo, acteurs["comite"], "etablir_proces_verbal", campagne_id=1, donnees={}, pdf_apres=False)


def test_retards_derives_du_calendrier(demo, acteurs):
    from datetime import date

    campagne = demo.exec(select(Campagne)).one()
    dossier_en_etat(demo, Etat.DEPOSE)
    assert echeances.retards_visibles(demo, acteurs["pilote"], campagne, date(2025, 10, 10)) == []
    (retard,) = echeances.retards_visibles(demo, acteurs["pilote"], campagne, date(2025, 10, 20))
    assert (retard.departement, retard.libelle, retard.nombre) == (
        "31", f"Émettre l'avis du DASEN — échéance du {date_fr(campagne.date_limite_avis_dasen)} passée", 1)
    assert echeances.retards_visibles(demo, acteurs["dsden81"], campagne, date(2025, 10, 20)) == []  # not in its scope


def test_relecture_daeps_visible_par_l_auteur(demo, acteurs):
    import csv
    import hashlib
    import io
    import zipfile

    from db.models import Etablissement
    from documents.archive import nom_lisible
    from forms.base import ErreursSaisie

    d81 = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    a_revoir = revue.documents(demo, acteurs["daeps"], statut="a_revoir", departement="81")
    assert {x.document.type_document for x in a_revoir} == {"dossier_candidature", "accuse_reception", "avis_dasen",
                                                                   "notification_decision"}
    notif = next(x.document for x in a_revoir if x.document.type_document == "notification_decision")
    with pytest.raises(ErreursSaisie, match="Commentaire"):
        revue.reviser(demo, acteurs["daeps"], document_id=notif.id, statut="a_corriger")
    revue.reviser(demo, acteurs["daeps"], document_id=notif.id, statut="a_corriger", commentaire="Imputation P104 à préciser.")
    assert revue.revues_du_dossier(demo, acteurs["porteur81"], d81.id)[notif.id].commentaire == "Imputation P104 à préciser."
    revue.reviser(demo, acteurs["daeps"], document_id=notif.id, statut="approuve")
    assert [x.document.id for x in revue.documents(demo, acteurs["daeps"], statut="approuve")] == [notif.id]
    archive = zipfile.ZipFile(io.BytesIO(revue.archive_zip(demo, acteurs["daeps"], [x.document.id for x in a_revoir])))
    # each file named from its dossier (year, UAI and school, type, version), and a manifest listing them
    etab, campagne = demo.get(Etablissement, COLLEGE_DU_TARN), demo.get(Campagne, d81.campagne_id)
    dossier = f"{campagne.annee_scolaire}/{COLLEGE_DU_TARN} {nom_lisible(etab.nom)}"
    assert set(archive.namelist()) == {"CONTENU.csv", f"{dossier}/Accuse de reception du dossier de candidature - v1.docx",
                                       f"{dossier}/Avis de l'IA-DASEN - v1.docx",
                                       f"{dossier}/Dossier de candidature - atelier OEPRE - v1.docx",
                                       f"{dossier}/Notification de la decision du comite de pilotage - v1.docx"}
    lignes = list(csv.DictReader(io.StringIO(archive.read("CONTENU.csv").decode("utf-8-sig")), delimiter=";"))
    assert {ligne["Fichier"] for ligne in lignes} == set(archive.namelist()) - {"CONTENU.csv"}
    avis = next(ligne for ligne in lignes if ligne["Type de document"] == "Avis de l'IA-DASEN")
    assert (avis["UAI"], avis["Établissement"], avis["Dossier"], avis["Version"], avis["Format"]) == (
        COLLEGE_DU_TARN, etab.nom, moteur.numero_dossier(campagne, d81), "1", "DOCX")
    assert avis["SHA-256"] == hashlib.sha256(archive.read(avis["Fichier"])).hexdigest()
    for intrus in ("porteur81", "dsden31", "comite"):
        with pytest.raises(AccesRefuse):
            revue.reviser(demo, acteurs[intrus], document_id=notif.id, statut="approuve")
    with pytest.raises(AccesRefuse):
        revue.archive_zip(demo, acteurs["porteur"], [notif.id])  # another school's document
    with pytest.raises(AccesRefuse):
        revue.revues_du_dossier(demo, acteurs["porteur"], d81.id)
    # its own dossier has no document yet; the public call for projects is everyone's
    assert [x.document.type_document for x in revue.documents(demo, acteurs["porteur"])] == ["lettre_appel_a_projets"]


def test_pilote_rouvre_le_depot(demo, acteurs, monkeypatch):
    from datetime import date

    campagne = demo.exec(select(Campagne)).one()
    campagne.depot_prolonge_jusqu_au = None
    demo.add(campagne)
    demo.commit()
    monkeypatch.setattr(moteur, "aujourdhui", lambda: date(2025, 10, 10))
    d = _dossier_31(demo)
    with pytest.raises(EtapeRefusee, match="date limite de dépôt"):
        executer_etape(demo, acteurs["porteur"], "deposer", d, **candidature_demo())
    with pytest.raises(AccesRefuse):
        services.executer(demo, acteurs["porteur"], "rouvrir_depot", campagne_id=campagne.id, pdf_apres=False,
                          donnees={"jusqu_au": "2025-10-17", "motif": "Retard du courrier"})
    with pytest.raises(EtapeRefusee, match="aujourd'hui ou plus tard"):
        services.executer(demo, acteurs["pilote"], "rouvrir_depot", campagne_id=campagne.id, pdf_apres=False,
                          donnees={"jusqu_au": "2025-10-09", "motif": "Trop tard"})
    services.executer(demo, acteurs["pilote"], "rouvrir_depot", campagne_id=campagne.id, pdf_apres=False,
                      donnees={"jusqu_au": "2025-10-17", "motif": "Écoles du Gers prévenues tardivement."})
    assert executer_etape(demo, acteurs["porteur"], "deposer", d, **candidature_demo()).etat == "depose"


def test_renouvellement_sur_deux_campagnes(demo, acteurs, monkeypatch):
    """Year N+1: the school re-applies from last year's dossier; without last year's bilans the committee cannot
    retain it unless the pilote records a derogation."""
    from datetime import date

    ancienne = demo.exec(select(Campagne)).one()
    res = services.executer(demo, acteurs["pilote"], "ouvrir_campagne", pdf_apres=False,
                            donnees=campagne_suivante(ancienne))
    nouvelle = demo.get(Campagne, res.campagne_id)
    assert nouvelle.date_limite_depot == date(2026, 10, 3)
    monkeypatch.setattr(moteur, "aujourdhui", lambda: date(2026, 9, 20))
    jaures = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one().uai
    nouveau_id = candidature.creer_dossier(demo, acteurs["porteur81"], campagne_id=nouvelle.id, uai=jaures)
    assert candidature.bilans_de_l_an_dernier(demo, acteurs["porteur81"], nouveau_id) == set()
    version, avertissements = candidature.reprendre_dossier_precedent(demo, acteurs["porteur81"], dossier_id=nouveau_id, version=1)
    assert [a.niveau for a in avertissements] == ["avertissement"] and "bilans" in avertissements[0].message
    d = demo.get(Dossier, nouveau_id)
    assert d.formulaire["renouvellement"] is True and d.formulaire["groupes"][0]["date_debut"] == "2026-11-17"
    executer_etape(demo, acteurs["porteur81"], "deposer", d, **d.formulaire)
    executer_etape(demo, acteurs["dsden81"], "emettre_avis", d, avis="favorable", signataire="DASEN 81")
    decision = {"decision": "retenu", "heures_financees": "100", "montant_p104": "2954"}
    with pytest.raises(EtapeRefusee, match="sans une dérogation motivée du pilote"):
        executer_etape(demo, acteurs["pilote"], "decider", d, **decision)
    res = executer_etape(demo, acteurs["pilote"], "decider", d, **decision,
                         derogation_bilans_motif="Bilans reçus par courrier le 15/09, saisie en cours.")
    assert res.etat == "retenu"



def test_renouvellement_avec_les_bilans_de_l_an_dernier(demo, acteurs, monkeypatch):
    """Both bilans transmitted last year: the committee sees them « complets » and retains without any derogation."""
    from datetime import date

    from db.models import Bilan

    ancienne = demo.exec(select(Campagne)).one()
    jaures = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    demo.add_all([Bilan(dossier_id=jaures.id, type_bilan=t, donnees={}, transmis_le=date(2026, 7, 2))
                  for t in ("pedagogique", "financier")])
    jaures.etat = "clos"
    demo.add(jaures)
    demo.commit()
    nouvelle = demo.get(Campagne, services.executer(demo, acteurs["pilote"], "ouvrir_campagne", pdf_apres=False,
                                                    donnees=campagne_suivante(ancienne)).campagne_id)
    assert (nouvelle.annee_scolaire, nouvelle.budget_p104, nouvelle.seuil_assiduite_pct) == (
        "2026-2027", ancienne.budget_p104, ancienne.seuil_assiduite_pct)
    monkeypatch.setattr(moteur, "aujourdhui", lambda: date(2026, 9, 20))
    nouveau_id = candidature.creer_dossier(demo, acteurs["porteur81"], campagne_id=nouvelle.id, uai=jaures.uai)
    assert candidature.bilans_de_l_an_dernier(demo, acteurs["porteur81"], nouveau_id) == {"pedagogique", "financier"}
    _, avertissements = candidature.reprendre_dossier_precedent(demo, acteurs["porteur81"], dossier_id=nouveau_id, version=1)
    assert avertissements == []
    d = demo.get(Dossier, nouveau_id)
    executer_etape(demo, acteurs["porteur81"], "deposer", d, **d.formulaire)
    executer_etape(demo, acteurs["dsden81"], "emettre_avis", d, avis="favorable", signataire="DASEN 81")
    ligne = next(x for x in requetes.ordre_du_jour(demo, acteurs["pilote"], nouvelle) if x.id == d.id)
    assert ligne.bilans_n_1 == "complets"
    res = executer_etape(demo, acteurs["pilote"], "decider", d, decision="retenu", heures_financees="100", montant_p104="2954")
    assert res.etat == "retenu" and demo.exec(select(Decision).where(Decision.dossier_id == d.id)).one().derogation_bilans_motif == ""

@pytest.mark.libreoffice
def test_avis_du_dasen_joint_au_pdf_du_dossier(demo, acteurs, tmp_path):
    from pypdf import PdfReader

    from tests.conftest import exiger_outil, libreoffice_present

    exiger_outil(libreoffice_present(), "LibreOffice absent")
    d = _dossier_31(demo)
    services.executer(demo, acteurs["porteur"], "deposer", dossier_id=d.id, version=d.version, donnees=candidature_demo())
    demo.refresh(d)
    services.executer(demo, acteurs["dsden31"], "emettre_avis", dossier_id=d.id, version=d.version,
                      donnees={"avis": "favorable_reserve", "motivation": "Vérifier le créneau du jeudi.",
                               "priorite_departementale": 1, "signataire": "La DASEN de la Haute-Garonne"})
    pdfs = {(x.type_document, x.version): x for x in consultation.documents_du_dossier(demo, acteurs["porteur"], d.id)
            if x.format == "pdf"}
    seul, avis, joint = pdfs[("dossier_candidature", 1)], pdfs[("avis_dasen", 1)], pdfs[("dossier_candidature", 2)]
    pages = {doc.id: PdfReader(io.BytesIO(consultation.lire_document(demo, acteurs["porteur"], doc.id).contenu)).pages
             for doc in (seul, avis, joint)}
    assert len(pages[joint.id]) == len(pages[seul.id]) + len(pages[avis.id])
    texte_fin = "".join(p.extract_text() for p in pages[joint.id][len(pages[seul.id]):])
    assert "Vérifier le créneau du jeudi." in texte_fin and joint.source_id == avis.id


def test_la_notification_des_credits_reprend_les_montants_decides(demo, acteurs):
    """1 153,60 € typed instead of the decided 1 135,60 € is refused; the dossier page proposes the decided amounts."""
    d81 = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    proposees = requetes.valeurs_proposees(demo, acteurs["daeps"], "notifier_credits", d81.id)
    assert proposees == {"montant_p104": Decimal("3000.00"), "montant_en": Decimal("1135.60"),
                         "structure_payeuse": "Collège Jean-Jaurès (0819109L)"}
    with pytest.raises(EtapeRefusee, match=r"Éducation nationale : la notification doit reprendre le montant décidé par le comité, "
                                           r"1\u202f135,60\xa0€ \(saisi : 1\u202f153,60\xa0€\)"):
        executer_etape(demo, acteurs["daeps"], "notifier_credits", d81, montant_p104="3000", montant_en="1153.60",
                       structure_payeuse=proposees["structure_payeuse"])
    resultat = executer_etape(demo, acteurs["daeps"], "notifier_credits", d81, **{k: str(v) for k, v in proposees.items()})
    assert resultat.documents


def test_reste_des_enveloppes_pendant_la_saisie_du_comite():
    """The committee grid's live rest: typed amounts (French decimals, blanks, unreadable cells as 0) added to those
    recorded; a negative rest is the envelope the decision's guard refuses to exceed."""
    from types import SimpleNamespace

    from workflow.selection.regles import reste_des_enveloppes

    campagne = SimpleNamespace(budget_p104=Decimal("10000"), budget_en=Decimal("4000"))
    saisis = [("2 500,00", "1 044,80"), ("", None), ("douze", "100")]
    assert reste_des_enveloppes(campagne, Decimal("5000"), Decimal("0"), saisis) == (Decimal("2500.00"), Decimal("2855.20"))
    assert reste_des_enveloppes(campagne, Decimal("9000"), Decimal("3000"), [("1 000,01", "0")])[0] == Decimal("-0.01")
    assert reste_des_enveloppes(campagne, Decimal("0"), Decimal("0"), []) == (Decimal("10000"), Decimal("4000"))


def test_vacations_du_brouillon_au_taux_du_jour(demo):
    """The Budget section's figure: the draft's planned hours (cells not yet numbers count 0) × today's rate, to the
    cent, as the filed form's cout_vacations."""
    from forms.base import valider
    from forms.candidature import CandidatureForm
    from infra.settings import aujourdhui
    from workflow.noyau.taux import taux_a_la_date

    taux = taux_a_la_date(demo, aujourdhui())
    brouillon = {"groupes": [{"heures_prevues": "40"}, {"heures_prevues": "12,5"}, {"heures_prevues": "beaucoup"}, "?"]}
    v = candidature.vacations_du_brouillon(demo, brouillon)
    assert (v.heures, v.taux) == (Decimal("52.5"), taux)
    assert v.montant == (Decimal("52.5") * taux).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert candidature.vacations_du_brouillon(demo, {"groupes": "pas une liste"}).montant == 0
    depose = valider(CandidatureForm, candidature_demo()).model_copy(update={"taux_horaire": taux})
    assert candidature.vacations_du_brouillon(demo, candidature_demo()).montant == depose.cout_vacations
