"""Issue 14, items 1 and 2: storage and database agree by construction. A file left by an interrupted run never
blocks the next one and is swept; work folders live outside the document store; versions are counted per person;
two uploads of one séance's sheet at the same time both land (v1, v2). The killed-process matrix: test_pannes.py."""

import os
import threading
import time
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from db.models import Document, JournalAudit, Seance
from infra import settings
from infra.base import moteur
from infra.settings import get_settings
from tests.atelier.test_atelier import _pdf_une_page
from tests.support import semis_atelier
from workflow.atelier.emargement import joindre_feuille_signee
from workflow.automatismes.balayage import balayer


@pytest.fixture
def atelier(demo, monkeypatch):
    """The Tarn atelier: Sofia engaged, four parents registered (tests/support/semis_atelier.py); today in February."""
    dossier = semis_atelier.semer_dans(demo)
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-02-27")
    settings.get_settings.cache_clear()
    return dossier


def _vieillir(chemin, heures: float = 2) -> None:
    instant = time.time() - heures * 3600
    os.utime(chemin, (instant, instant))


def test_balayage_des_orphelins_et_du_travail(demo, acteurs, atelier):
    reglages = get_settings()
    connus = {d.chemin for d in demo.exec(select(Document))}
    assert connus, "the atelier's fixture stores fiches d'inscription"
    dossier_stocke = (reglages.documents_dir / next(iter(connus))).parent
    orphelin, recent = dossier_stocke / "fiche_inscription-amina-haddad-v9-0badc0de.docx", dossier_stocke / "jeune.pdf"
    temporaire = dossier_stocke / ".tmp-abc123"
    ancien_lot = reglages.documents_dir / ".lot-xyz"  # where batches worked before: inside the store
    lot_tue = reglages.travail_dir / "lot-tue"
    for chemin in (ancien_lot, lot_tue):
        chemin.mkdir(parents=True)
        (chemin / "attestation-amina-haddad.pdf").write_bytes(b"%PDF-")
    for chemin in (orphelin, recent, temporaire):
        chemin.write_bytes(b"contenu")
    for chemin in (orphelin, temporaire, ancien_lot, lot_tue, *(reglages.documents_dir / c for c in connus)):
        _vieillir(chemin)

    assert (balayer(demo).orphelins, balayer(demo, timedelta(0)).orphelins) == (1, 1)  # the young one: on a 2nd pass
    assert not orphelin.exists() and not recent.exists() and not temporaire.exists()
    assert not ancien_lot.exists() and list(reglages.travail_dir.iterdir()) == []
    assert all((reglages.documents_dir / c).exists() for c in connus)  # every stored document kept
    (trace, _) = demo.exec(select(JournalAudit).where(JournalAudit.action == "balayage_stockage")).all()
    assert trace.details == {"orphelins": 1, "temporaires": 3}
    assert balayer(demo).total == 0  # nothing left, nothing logged


def test_fiches_versionnees_par_personne(demo, atelier):
    fiches = demo.exec(select(Document).where(Document.type_document == "fiche_inscription")).all()
    assert sorted((f.concerne, f.version) for f in fiches) == [("Amina Haddad", 1), ("Léa O'Brien-Müller", 1),
                                                                ("Ольга Кузнецова", 1), ("فاطمة النجار", 1)]
    # each named after its parent, in Latin letters whatever the script (the Cyrillic and Arabic names were dropped, and
    # two parents' fiches downloaded under the same name « fiche_inscription-v1.docx »)
    assert sorted(f.nom_fichier for f in fiches) == [
        "fiche_inscription-amina-haddad-v1.docx", "fiche_inscription-ftmh-lnjr-v1.docx",
        "fiche_inscription-lea-o-brien-muller-v1.docx", "fiche_inscription-olga-kuznetsova-v1.docx"]


def test_deux_feuilles_signees_en_meme_temps(demo, acteurs, atelier):
    """Two people attach the sheet of one séance at the same instant: both land, as v1 and v2, and the séance points
    at one of them (before the per-subject lock, the second collided with the first)."""
    etape = semis_atelier.executeur(demo, acteurs["porteur81"], atelier)
    etape("enregistrer_seance", groupe=semis_atelier.GROUPE, date_seance="2026-01-13", heure_debut="14:00",
          heure_fin="16:00", axes=["langue"], intervenants=["Sofia ÁLVAREZ"],
          presences=[{"nom": "Haddad", "prenom": "Amina", "statut": "present"}])
    (seance,) = demo.exec(select(Seance)).all()
    depart, erreurs, documents = threading.Barrier(2), [], []

    def joindre() -> None:
        with Session(moteur(), expire_on_commit=False) as s:
            depart.wait()
            try:
                documents.append(joindre_feuille_signee(s, acteurs["porteur81"], seance_id=seance.id, nom="scan.pdf",
                                                        contenu=_pdf_une_page()))
            except Exception as exc:  # noqa: BLE001 - the assertion shows it
                erreurs.append(exc)

    fils = [threading.Thread(target=joindre) for _ in range(2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=60)
    assert erreurs == [] and sorted(d.version for d in documents) == [1, 2]
    demo.expire_all()
    assert demo.get(Seance, seance.id).scan_document_id in {d.id for d in documents}
    assert all((get_settings().documents_dir / d.chemin).exists() for d in documents)


def test_le_balayage_garde_chaque_fichier_qu_une_ligne_connait(demo, acteurs, atelier):
    """Every kind of stored file with its row — a generated document, a signatory's image, an académie's template —
    survives the sweep however old it is; the same file without its row is swept."""
    from db.models import ImageSignataire, ModeleDocument
    from forms.vocabulaire import NatureImage, Signataire
    from tests.documents.test_versions_modeles import modele_avec_phrase
    from tests.support.images import signature_png
    from workflow import modeles
    from workflow.noyau import signatures

    modeles.deposer_modele(demo, acteurs["daeps"], type_document="attestation", nom="attestation.docx",
                           contenu=modele_avec_phrase())
    signatures.deposer_image(demo, acteurs["admin"], signataire=Signataire.PILOTE, perimetre="toulouse",
                             nature=NatureImage.SIGNATURE, nom="signature.png", contenu=signature_png((0, 0, 120)))
    racine = get_settings().documents_dir
    gardes = [racine / c for modele in (Document, ImageSignataire, ModeleDocument) for c in demo.exec(select(modele.chemin))
              if c is not None]
    assert {p.parts[len(racine.parts)] for p in gardes} >= {"modeles", "signatures"}
    for chemin in gardes:
        _vieillir(chemin)
    assert balayer(demo, timedelta(0)).orphelins == 0
    assert all(chemin.exists() for chemin in gardes)
