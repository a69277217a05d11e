"""Running the atelier through the service layer: registration, attendance, attestations (spec §6 steps 6–10)."""

import io
from datetime import date

import pytest
from sqlmodel import select

from db.models import Auditeur, Document, Dossier, Seance
from demarrage.demo import COLLEGE_DU_TARN
from forms.base import ErreursSaisie
from forms.vocabulaire import Etat
from infra import settings
from tests.support import semis_atelier
from tests.support.chromium import texte_docx
from tests.support.fabrique import dossier_en_etat, executer_etape
from workflow import consultation
from workflow.noyau.moteur import EtapeRefusee
from workflow.noyau.permissions import AccesRefuse

GROUPE = "Groupe A — débutants"


@pytest.fixture
def atelier_tarn(demo, acteurs, monkeypatch):
    """The Tarn college's retained dossier with Sofia engaged and three parents, one with hostile characters."""
    dossier = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()

    etape = semis_atelier.executeur(demo, acteurs["porteur81"], dossier)

    etape("engager_intervenant", nom="Álvarez", prenom="Sofia", statut="enseignant_upe2a", employeur_principal="EN",
          groupe=GROUPE, date_debut="2025-11-17", date_fin="2026-06-30", heures_prevues="80", statut_cumul="accorde",
          atteste_hors_service=True)
    for nom, prenom in (("Haddad", "Amina"), ("O'Brien & <Müller>", "Léa"), ("النجار", "فاطمة")):
        etape("inscrire_parent", nom=nom, prenom=prenom, groupe=GROUPE, date_inscription="2025-11-17", annee_naissance=1990,
              enfants=[{"prenom": "Yasmine", "classe": "CE1", "uai_ecole": "0819109L"}])
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-02-27")
    settings.get_settings.cache_clear()
    return dossier, etape


def _parent(session, prenom) -> Auditeur:
    return session.exec(select(Auditeur).where(Auditeur.prenom == prenom)).one()


def _seance(etape, jour, presents):
    parents = [("Haddad", "Amina"), ("O'Brien & <Müller>", "Léa"), ("النجار", "فاطمة")]
    return etape("enregistrer_seance", groupe=GROUPE, date_seance=jour, heure_debut="14:00", heure_fin="16:00",
                 axes=["langue", "ecole"], intervenants=["Sofia ÁLVAREZ"],
                 presences=[{"nom": n, "prenom": p, "statut": "present" if p in presents else "absent"} for n, p in parents])


def test_attestation_calculee_sur_les_presences(demo, acteurs, atelier_tarn):
    dossier, etape = atelier_tarn
    _seance(etape, "2026-01-13", {"Amina", "Léa", "فاطمة"})
    _seance(etape, "2026-01-20", {"Amina", "Léa"})
    _seance(etape, "2026-01-27", {"Amina", "فاطمة"})
    signature = {"signataire": "Karim Benali", "fonction_signataire": "Principal"}
    etape("attester", auditeur_id=_parent(demo, "Amina").id, **signature)
    etape("attester", auditeur_id=_parent(demo, "Léa").id, **signature)
    textes = [texte_docx(io.BytesIO(consultation.lire_document(demo, acteurs["porteur81"], d.id).contenu))
              for d in demo.exec(select(Document).where(Document.type_document == "attestation").order_by(Document.id))]
    amina, lea = textes
    assert "Amina Haddad" in amina and "du 13 janvier 2026 au 27 janvier 2026, soit 6 h de formation sur 6 h" in amina
    assert "suivie avec assiduité" in amina
    assert "Léa O'Brien & <Müller>" in lea and "soit 4 h de formation sur 6 h proposées" in lea
    assert "assiduité" not in lea  # 67 % < the campaign's 70 %
    assert "1990" not in amina + lea  # no year of birth (nor nationality) on an attestation


def test_pas_d_attestation_sans_presence_ni_hors_du_dossier(demo, acteurs, atelier_tarn):
    _, etape = atelier_tarn
    _seance(etape, "2026-01-13", {"Amina"})
    with pytest.raises(ErreursSaisie, match="n'a suivi aucune séance"):
        etape("attester", auditeur_id=_parent(demo, "Léa").id, signataire="K. Benali", fonction_signataire="Principal")
    with pytest.raises(ErreursSaisie, match="ce parent n'est pas inscrit dans ce dossier"):
        etape("attester", auditeur_id=999999, signataire="K. Benali", fonction_signataire="Principal")


def test_doublon_refuse_dans_l_atelier_signale_ailleurs(demo, acteurs, atelier_tarn):
    _, etape = atelier_tarn
    inscription = {"groupe": GROUPE, "date_inscription": "2025-12-01", "annee_naissance": 1990,
                   "enfants": [{"prenom": "Yasmine", "classe": "CE1", "uai_ecole": "0819109L"}]}
    with pytest.raises(EtapeRefusee, match="AMINA HADDAD est déjà inscrit\\(e\\) dans cet atelier"):
        etape("inscrire_parent", nom="HADDAD", prenom="AMINA", **inscription)  # case differs: still the same person
    resultat = etape("inscrire_parent", nom="Haddad", prenom="Amina", **(inscription | {"annee_naissance": 1985}))
    assert resultat.avertissements == []  # another year of birth: another person

    tilleuls = dossier_en_etat(demo, Etat.RETENU).dossier
    ailleurs = executer_etape(demo, acteurs["porteur"], "inscrire_parent", tilleuls, nom="Hâddad", prenom="Amina", **inscription)
    (signal,) = [b.message for b in ailleurs.avertissements]
    assert "semble déjà inscrit(e) dans un autre atelier (Groupe A — débutants — Collège Jean-Jaurès" in signal


def test_sortie_d_un_parent_puis_presence_refusee(demo, acteurs, atelier_tarn):
    _, etape = atelier_tarn
    lea = _parent(demo, "Léa")
    with pytest.raises(ErreursSaisie, match="elle précède l'inscription"):
        etape("sortir_parent", auditeur_id=lea.id, date_sortie="2025-10-01", motif_sortie="demenagement")
    etape("sortir_parent", auditeur_id=lea.id, date_sortie="2026-01-10", motif_sortie="emploi")
    demo.refresh(lea)
    assert (lea.date_sortie, lea.motif_sortie) == (date(2026, 1, 10), "emploi")
    with pytest.raises(EtapeRefusee, match="a quitté l'atelier le 10/01/2026"):
        _seance(etape, "2026-01-13", {"Amina", "Léa"})


def _pdf_une_page() -> bytes:
    from tests.support.images import pdf_vierge

    return pdf_vierge(1)


def _png() -> bytes:
    from PIL import Image

    tampon = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(tampon, format="PNG")
    return tampon.getvalue()


@pytest.mark.parametrize(("nom", "contenu", "message"), [  # the whole corpus: tests/atelier/test_televersements.py
    ("feuille.pdf", _png(), "porte l'extension .pdf mais contient une image PNG"),
    ("feuille.pdf", b"%PDF-1.7\n garbage without any page", "est endommagé"),
])
def test_feuille_signee_douteuse_refusee_en_francais(demo, acteurs, atelier_tarn, nom, contenu, message):
    from workflow.atelier.emargement import joindre_feuille_signee

    _, etape = atelier_tarn
    _seance(etape, "2026-01-13", {"Amina"})
    (seance,) = demo.exec(select(Seance)).all()
    with pytest.raises(ErreursSaisie, match=message.replace("(", "\\(").replace(")", "\\)").replace("?", "\\?")):
        joindre_feuille_signee(demo, acteurs["porteur81"], seance_id=seance.id, nom=nom, contenu=contenu)
    demo.refresh(seance)
    assert seance.scan_document_id is None  # nothing stored on refusal: no row, no file
    assert demo.exec(select(Document).where(Document.type_document == "emargement_signe")).all() == []
    from infra.settings import get_settings

    assert not [f for f in get_settings().documents_dir.rglob("*") if f.is_file() and "emargement_signe" in f.name]


def test_feuille_signee_jointe_a_sa_seance_et_a_son_perimetre(demo, acteurs, atelier_tarn):
    from workflow.atelier.emargement import joindre_feuille_signee
    from workflow.noyau.permissions import AccesRefuse

    _, etape = atelier_tarn
    _seance(etape, "2026-01-13", {"Amina"})
    (seance,) = demo.exec(select(Seance)).all()
    for nom, contenu, mime in (("scan.PDF", _pdf_une_page(), "application/pdf"), ("photo.png", _png(), "image/png")):
        doc = joindre_feuille_signee(demo, acteurs["porteur81"], seance_id=seance.id, nom=nom, contenu=contenu)
        demo.refresh(seance)
        assert seance.scan_document_id == doc.id
        fichier = consultation.lire_document(demo, acteurs["porteur81"], doc.id)
        assert (fichier.contenu, fichier.mime) == (contenu, mime)
    with pytest.raises(AccesRefuse):  # the Tilleuls head cannot attach a sheet to the Tarn college's séance
        joindre_feuille_signee(demo, acteurs["porteur"], seance_id=seance.id, nom="f.pdf", contenu=_pdf_une_page())


@pytest.mark.parametrize("anonymisee", [False, True])
def test_liste_des_auditeurs_nominative_ou_anonymisee(demo, acteurs, atelier_tarn, anonymisee):
    _, etape = atelier_tarn
    _seance(etape, "2026-01-13", {"Amina", "فاطمة"})
    resultat = etape("lister_auditeurs", anonymisee=anonymisee)
    (document,) = [demo.get(Document, i) for i in resultat.documents]
    texte = texte_docx(io.BytesIO(consultation.lire_document(demo, acteurs["porteur81"], document.id).contenu))
    assert "Auditeurs inscrits | 3" in texte
    noms = ("Haddad", "O'Brien & <Müller>", "النجار")
    if anonymisee:
        assert "Auditeur n° 1" in texte and not any(n in texte for n in noms)
        assert "Version anonymisée (statistique)" in texte
    else:
        assert all(n in texte for n in noms) and "ne pas diffuser" in texte
    assert "| 35 à 44 ans |" in texte and "| 17/11/2025 |  | 2" in texte  # born 1990 (the bilan's bands); two hours attended


def test_grille_d_emargement_du_mois(demo, acteurs, atelier_tarn):
    """Columns: the Tuesdays the group's slot plans plus a recorded Thursday; lines: the parents registered that
    month (Léa, gone on 10 January, is on the December grid only); the Ascension Thursday is no column."""
    _, etape = atelier_tarn
    _seance(etape, "2026-01-15", {"Amina"})
    etape("sortir_parent", auditeur_id=_parent(demo, "Léa").id, date_sortie="2025-12-31", motif_sortie="emploi")
    resultat = etape("imprimer_emargement_mensuel", groupe=GROUPE, mois="2026-01-20")
    (document,) = [demo.get(Document, i) for i in resultat.documents]
    texte = texte_docx(io.BytesIO(consultation.lire_document(demo, acteurs["porteur81"], document.id).contenu))
    assert "Nom | Prénom | mar. 06/01 | mar. 13/01 | jeu. 15/01 | mar. 20/01 | mar. 27/01 |" in texte
    assert "Haddad | Amina" in texte and "النجار | فاطمة" in texte and "Müller" not in texte
    assert "ÁLVAREZ | Sofia" in texte and "janvier 2026" in texte  # the intervenant signs in the same columns
    decembre = etape("imprimer_emargement_mensuel", groupe=GROUPE, mois="2025-12-01")
    texte = texte_docx(io.BytesIO(consultation.lire_document(demo, acteurs["porteur81"], decembre.documents[0]).contenu))
    assert "O'Brien & <Müller> | Léa" in texte
    assert "mar. 02/12 | mar. 09/12 | mar. 16/12 | mar. 23/12 | mar. 30/12 |" in texte
    mai = etape("imprimer_emargement_mensuel", groupe="Groupe B — intermédiaires", mois="2026-05-04")
    texte = texte_docx(io.BytesIO(consultation.lire_document(demo, acteurs["porteur81"], mai.documents[0]).contenu))
    assert "jeu. 07/05 | jeu. 21/05 | jeu. 28/05 |" in texte and "14/05" not in texte
    with pytest.raises(ErreursSaisie, match="Aucune séance n'est prévue ni enregistrée"):
        etape("imprimer_emargement_mensuel", groupe=GROUPE, mois="2026-08-01")
    with pytest.raises(ErreursSaisie, match="n'existe pas dans ce dossier"):
        etape("imprimer_emargement_mensuel", groupe="Groupe Z", mois="2026-01-01")
    # A committee member does not read it; the paying service does (evidence of service fait).
    with pytest.raises(AccesRefuse):
        consultation.lire_document(demo, acteurs["comite"], document.id)
