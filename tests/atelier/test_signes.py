"""Issue 17, item 4: the engagement letter, the cumul request and the état liquidatif signed outside the tool, their
scan joined as a new version beside the generated document, by whoever produces it, in their dossier only."""

import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlmodel import select

from db.models import Document, Dossier, JournalAudit
from demarrage.demo import COLLEGE_DU_TARN
from forms.base import ErreursSaisie
from forms.vocabulaire import Etat
from infra import settings as reglages_oepre
from tests.support import semis_atelier
from tests.support.fabrique import dossier_en_etat, executer_etape
from tests.support.images import pdf_vierge
from workflow import consultation, revue
from workflow.atelier import signes
from workflow.atelier.scans import verifier_scan
from workflow.cloture.bilans import financier_calcule
from workflow.noyau.format import libelle_du_document
from workflow.noyau.permissions import AccesRefuse

GROUPE = "Groupe A — débutants"
SOFIA = "Sofia ÁLVAREZ"


def _jpeg() -> bytes:
    tampon = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(tampon, format="JPEG")
    return tampon.getvalue()


def _engager(etape, **autres):
    return etape("engager_intervenant", nom="Álvarez", prenom="Sofia", statut="enseignant_upe2a", employeur_principal="EN",
                 groupe=GROUPE, date_debut="2025-11-17", date_fin="2026-06-30", heures_prevues="80",
                 statut_cumul="demande", atteste_hors_service=True, **autres)


@pytest.fixture
def lettre(demo, acteurs):
    """The Tarn college's engagement letter of Sofia (and her cumul request), as generated (DOCX)."""
    dossier = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    etape = semis_atelier.executeur(demo, acteurs["porteur81"], dossier)
    docs = [demo.get(Document, i) for i in _engager(etape).documents]
    return dossier, etape, {d.type_document: d for d in docs}


def _scans(session, type_document="lettre_engagement"):
    return session.exec(select(Document).where(Document.type_document == type_document,
                                               Document.signe_de_id.is_not(None))).all()


@pytest.mark.parametrize(("nom", "contenu", "fmt"), [("lettre signée.PDF", pdf_vierge(2), "pdf"), ("photo.jpeg", _jpeg(), "jpg")])
def test_le_scan_d_une_lettre_est_une_nouvelle_version_a_cote_de_la_lettre_produite(demo, acteurs, lettre, nom, contenu, fmt):
    dossier, _, produits = lettre
    genere = produits["lettre_engagement"]
    scan = signes.joindre_scan_signe(demo, acteurs["porteur81"], document_id=genere.id, nom=nom, contenu=contenu)
    assert (scan.type_document, scan.sujet, scan.concerne, scan.dossier_id) == (
        "lettre_engagement", genere.sujet, genere.concerne, dossier.id)
    assert (scan.format, scan.signe_de_id, scan.source_id, scan.etape) == (fmt, genere.id, None, "engager_intervenant")
    assert scan.nom_fichier == f"lettre_engagement-sofia-alvarez-signe-v1.{fmt}"  # the first of its format
    assert demo.get(Document, genere.id).sha256 == genere.sha256  # the generated letter is kept as it was
    fichier = consultation.lire_document(demo, acteurs["porteur81"], scan.id)
    assert fichier.contenu == contenu and fichier.mime == consultation.MIME[fmt]
    (trace,) = demo.exec(select(JournalAudit).where(JournalAudit.action == "joindre_scan_signe")).all()
    assert (trace.objet, trace.details) == (f"document:{genere.id}", {"document": scan.id, "version_signee": 1})
    assert trace.utilisateur_id == acteurs["porteur81"].id
    assert libelle_du_document(scan) == "Lettre d'engagement d'un intervenant — Sofia Álvarez (scan « signé hors application »)"


def test_un_second_scan_et_une_lettre_produite_a_nouveau_gardent_chacun_leur_version(demo, acteurs, lettre):
    _, etape, produits = lettre
    genere = produits["lettre_engagement"]
    premier = signes.joindre_scan_signe(demo, acteurs["porteur81"], document_id=genere.id, nom="a.pdf", contenu=pdf_vierge())
    second = signes.joindre_scan_signe(demo, acteurs["porteur81"], document_id=genere.id, nom="b.pdf", contenu=pdf_vierge(3))
    assert (premier.version, second.version) == (1, 2)  # versions of the letter's PDFs, per person
    (vue,) = signes.signables(consultation.documents_du_dossier(demo, acteurs["porteur81"], genere.dossier_id),
                              ["lettre_engagement"])
    assert vue.genere.id == genere.id and [s.document.id for s in vue.scans] == [second.id, premier.id]
    assert vue.signe_a_jour.document.id == second.id

    _engager(etape)  # engaged again (hours corrected): a new letter, the signed one is now of the older version
    (vue,) = signes.signables(consultation.documents_du_dossier(demo, acteurs["porteur81"], genere.dossier_id),
                              ["lettre_engagement"])
    assert vue.genere.version == 2 and vue.signe_a_jour is None
    assert [(s.version_signee, s.a_jour) for s in vue.scans] == [(1, False), (1, False)]
    troisieme = signes.joindre_scan_signe(demo, acteurs["porteur81"], document_id=vue.genere.id, nom="c.png",
                                          contenu=_png())
    (vue,) = signes.signables(consultation.documents_du_dossier(demo, acteurs["porteur81"], genere.dossier_id),
                              ["lettre_engagement"])
    assert (vue.signe_a_jour.document.id, vue.signe_a_jour.version_signee) == (troisieme.id, 2)


def _png() -> bytes:
    tampon = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(tampon, format="PNG")
    return tampon.getvalue()


@pytest.mark.parametrize(("type_document", "nom", "contenu", "message"), [
    ("lettre_engagement", "lettre.pdf", _png(), "« Lettre d'engagement signée » : « lettre.pdf » porte l'extension .pdf mais "
     "contient une image PNG ; joignez la lettre scannée en PDF, PNG ou JPEG."),
    ("lettre_engagement", "lettre.docx", b"PK\x03\x04", "« Lettre d'engagement signée » : « lettre.docx » n'est ni un PDF"),
    ("lettre_engagement", "lettre.pdf", pdf_vierge(0), "« Lettre d'engagement signée » : « lettre.pdf » ne contient aucune page."),
    ("lettre_engagement", "lettre.pdf", pdf_vierge(51), "compte 51 pages ; une lettre d'engagement en a au plus 50."),
    ("lettre_engagement", "vide.png", b"", "« Lettre d'engagement signée » : le fichier « vide.png » est vide."),
    ("demande_cumul", "cumul.pdf", b"%PDF-1.7\n garbage", "« Demande d'autorisation de cumul signée » : « cumul.pdf » est "
     "endommagé"),
    ("demande_cumul", "cumul.jpg", b"GIF89a" + b"\x00" * 40, "contient une image GIF ; joignez la demande scannée"),
])
def test_chaque_refus_dit_en_francais_ce_qui_ne_va_pas_et_ne_garde_rien(demo, acteurs, lettre, type_document, nom, contenu,
                                                                        message):
    _, _, produits = lettre
    with pytest.raises(ErreursSaisie) as refus:
        signes.joindre_scan_signe(demo, acteurs["porteur81"], document_id=produits[type_document].id, nom=nom,
                                  contenu=contenu)
    assert message in str(refus.value)
    assert _scans(demo, type_document) == []
    racine = reglages_oepre.get_settings().documents_dir
    assert not [f for f in racine.rglob("*signe*") if f.is_file()]


@settings(max_examples=40, deadline=None)
@given(contenu=st.binary(max_size=200), extension=st.sampled_from(["pdf", "png", "jpg", "jpeg", "docx", ""]))
def test_l_etat_liquidatif_nomme_son_champ_dans_chaque_refus(contenu, extension):
    try:
        verifier_scan(f"etat.{extension}", contenu, signes.SIGNABLES["etat_liquidatif"][1])
    except ErreursSaisie as refus:
        assert str(refus).startswith("« État liquidatif signé » : ")
        assert "feuille" not in str(refus)


def test_seul_qui_produit_le_document_joint_son_scan_et_dans_son_dossier(demo, acteurs, lettre):
    _, _, produits = lettre
    genere = produits["lettre_engagement"]
    with pytest.raises(AccesRefuse, match="n'est pas ouverte au rôle intervenant"):
        signes.joindre_scan_signe(demo, acteurs["intervenant"], document_id=genere.id, nom="l.pdf", contenu=pdf_vierge())
    with pytest.raises(AccesRefuse, match="n'est pas ouverte au rôle daeps"):
        signes.joindre_scan_signe(demo, acteurs["daeps"], document_id=genere.id, nom="l.pdf", contenu=pdf_vierge())
    with pytest.raises(AccesRefuse, match="pas dans votre périmètre"):  # the Tilleuls head, another dossier
        signes.joindre_scan_signe(demo, acteurs["porteur"], document_id=genere.id, nom="l.pdf", contenu=pdf_vierge())
    scan = signes.joindre_scan_signe(demo, acteurs["porteur81"], document_id=genere.id, nom="l.pdf", contenu=pdf_vierge())
    with pytest.raises(ErreursSaisie, match="Seuls la lettre d'engagement"):  # a scan is not signed again
        signes.joindre_scan_signe(demo, acteurs["porteur81"], document_id=scan.id, nom="l.pdf", contenu=pdf_vierge())
    with pytest.raises(AccesRefuse, match="Document introuvable"):
        signes.joindre_scan_signe(demo, acteurs["porteur81"], document_id=10**9, nom="l.pdf", contenu=pdf_vierge())
    assert [d.id for d in _scans(demo)] == [scan.id]
    refus = demo.exec(select(JournalAudit).where(JournalAudit.action == "acces_refuse")).all()
    assert any(r.utilisateur_id == acteurs["porteur"].id for r in refus)  # the other dossier's attempt is written down


def test_une_fiche_d_inscription_ne_se_joint_pas_signee_hors_application(demo, acteurs, lettre):
    dossier, etape, _ = lettre
    resultat = etape("inscrire_parent", nom="Haddad", prenom="Amina", groupe=GROUPE, date_inscription="2025-11-17",
                     annee_naissance=1990, enfants=[{"prenom": "Yasmine", "classe": "CE1", "uai_ecole": "0819109L"}])
    with pytest.raises(ErreursSaisie, match="Seuls la lettre d'engagement, la demande d'autorisation de cumul"):
        signes.joindre_scan_signe(demo, acteurs["porteur81"], document_id=resultat.documents[0], nom="f.pdf",
                                  contenu=pdf_vierge())


@pytest.fixture
def etat_liquidatif(demo, acteurs, monkeypatch):
    """The Tilleuls dossier's état liquidatif of January 2026, established by the DSDEN 31 pay office."""
    tilleuls = dossier_en_etat(demo, Etat.RETENU).dossier
    executer_etape(demo, acteurs["porteur"], "engager_intervenant", tilleuls, nom="Álvarez", prenom="Sofia",
                   statut="enseignant_upe2a", employeur_principal="EN", groupe=GROUPE, date_debut="2025-11-17",
                   date_fin="2026-06-30", heures_prevues="80", statut_cumul="accorde", atteste_hors_service=True)
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-07-10")
    reglages_oepre.get_settings.cache_clear()
    for jour in (date(2026, 1, 8), date(2026, 1, 15)):
        executer_etape(demo, acteurs["porteur"], "enregistrer_seance", tilleuls, groupe=GROUPE, date_seance=jour.isoformat(),
                       heure_debut="09:00", heure_fin="10:45", axes=["langue"], intervenants=[SOFIA])
    executer_etape(demo, acteurs["porteur"], "certifier_service_fait", tilleuls, intervenant=SOFIA, mois="2026-01-01",
                   certifie_par="Claire Martin")
    resultat = executer_etape(demo, acteurs["paie31"], "liquider", tilleuls, structure_payeuse="DSDEN 31",
                              mois="2026-01-01", imputation="P104")
    (etat,) = [demo.get(Document, i) for i in resultat.documents]
    return tilleuls, etat


def test_l_etat_liquidatif_signe_se_joint_par_le_service_payeur_seulement(demo, acteurs, etat_liquidatif):
    tilleuls, etat = etat_liquidatif
    with pytest.raises(AccesRefuse, match="« État liquidatif signé » se joint par le rôle qui produit ce document "
                                          "\\(« Établir l'état liquidatif »\\), pas par le rôle porteur"):
        signes.joindre_scan_signe(demo, acteurs["porteur"], document_id=etat.id, nom="etat.pdf", contenu=pdf_vierge())
    scan = signes.joindre_scan_signe(demo, acteurs["paie31"], document_id=etat.id, nom="etat.pdf", contenu=pdf_vierge())
    assert (scan.type_document, scan.concerne, scan.etape, scan.signe_de_id) == ("etat_liquidatif", etat.concerne, "liquider",
                                                                                 etat.id)
    # the bilan counts one état (signed or not) and its signed scan as a piece
    bilan = financier_calcule(demo, tilleuls, _bilan_vide())
    assert (bilan.nb_etats_liquidatifs, bilan.nb_etats_signes) == (1, 1)
    # the head reads it as the état itself (it names intervenants, not parents), the other head does not
    assert consultation.lire_document(demo, acteurs["porteur"], scan.id).contenu == pdf_vierge()
    with pytest.raises(AccesRefuse):
        consultation.lire_document(demo, acteurs["porteur81"], scan.id)


def _bilan_vide():
    from forms.cloture import BilanFinancierForm

    return BilanFinancierForm.model_construct()


def test_la_revue_et_le_zip_de_la_daeps_contiennent_le_scan(demo, acteurs, lettre):
    import zipfile

    _, _, produits = lettre
    genere = produits["lettre_engagement"]
    scan = signes.joindre_scan_signe(demo, acteurs["porteur81"], document_id=genere.id, nom="l.pdf", contenu=pdf_vierge())
    lignes = {x.document.id: x for x in revue.documents(demo, acteurs["daeps"], etape="engager_intervenant")}
    assert {genere.id, scan.id} <= set(lignes)
    assert (lignes[scan.id].version_signee, lignes[genere.id].version_signee) == (1, None)
    archive = zipfile.ZipFile(io.BytesIO(revue.archive_zip(demo, acteurs["daeps"], [genere.id, scan.id])))
    noms = [n.rsplit("/", 1)[-1] for n in archive.namelist()]
    assert noms == ["Lettre d'engagement d'un intervenant - Sofia Alvarez - v1.docx",
                    "Lettre d'engagement d'un intervenant signe hors application - Sofia Alvarez - v1.pdf", "CONTENU.csv"]
    assert archive.read(archive.namelist()[1]) == pdf_vierge()
