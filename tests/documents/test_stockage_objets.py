"""Issue 19 item 1: the documents in an S3-compatible object store, against a real SeaweedFS on loopback. The store's
contract, checked on both stores alike (files, objects): written once even by racing writers, read whole and checked
against its SHA-256, absent means absent. Then the service on the object store: a batch of attestations stored and
downloaded from it, nothing on the local disk; a failed transaction leaves no object; the retention purge and the
sweep delete objects."""

import threading
import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from db.models import Document
from documents import stockage
from tests.atelier.test_attestations_lot import SIGNATURE, _fichiers, atelier  # noqa: F401, F811 - atelier: a fixture
from tests.support.seaweedfs import CLE, SECRET

CHEMINS = st.lists(st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12), min_size=1, max_size=3)


@pytest.fixture(params=["fichiers", "s3"])
def depot(request, tmp_path):
    if request.param == "fichiers":
        return stockage.DepotFichiers(tmp_path / "documents")
    serveur = request.getfixturevalue("serveur_s3")
    d = stockage.DepotS3(serveur.url, f"contrat-{uuid.uuid4().hex[:12]}", CLE, SECRET)
    d.creer_le_bucket()
    return d


@pytest.fixture
def s3(serveur_s3, reglages, monkeypatch):
    """The app's settings pointed at a new bucket of the loopback SeaweedFS, created as initialisation does."""
    from infra import settings as reglages_oepre

    for nom, valeur in serveur_s3.reglages().items():
        monkeypatch.setenv(nom, valeur)
    reglages_oepre.get_settings.cache_clear()
    depot = stockage.depot()
    assert isinstance(depot, stockage.DepotS3)
    depot.creer_le_bucket()
    return depot


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parties=CHEMINS, contenu=st.binary(max_size=4096))
def test_ce_qui_est_ecrit_se_relit_a_l_octet_pres(depot, parties, contenu):
    relatif = f"{uuid.uuid4().hex}/{'/'.join(parties)}.pdf"
    assert depot.ecrire(relatif, contenu) == relatif
    assert depot.lire(relatif, stockage.sha256(contenu)) == contenu and depot.existe(relatif)


def test_ecrit_une_fois_meme_par_des_ecrivains_concurrents(depot):
    relatif = "2025-2026/0310001H/attestation-v1.pdf"
    gagnants, refus, depart = [], [], threading.Barrier(8)

    def ecrire(k: int) -> None:
        depart.wait()
        try:
            depot.ecrire(relatif, f"version de l'écrivain {k}".encode())
            gagnants.append(k)
        except stockage.FichierExistant:
            refus.append(k)

    fils = [threading.Thread(target=ecrire, args=(k,)) for k in range(8)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert len(gagnants) == 1 and len(refus) == 7
    assert depot.lire(relatif) == f"version de l'écrivain {gagnants[0]}".encode()


def test_absent_altere_supprime(depot):
    with pytest.raises(FileNotFoundError):
        depot.lire("nulle/part.pdf")
    assert not depot.existe("nulle/part.pdf") and depot.supprimer("nulle/part.pdf") is False
    depot.ecrire("a/doc.pdf", b"contenu")
    with pytest.raises(stockage.DocumentAltere, match="altéré"):
        depot.lire("a/doc.pdf", stockage.sha256(b"autre contenu"))
    assert [r for r, age in depot.entrees() if age >= 0] == ["a/doc.pdf"]
    assert depot.supprimer("a/doc.pdf") is True and not depot.existe("a/doc.pdf") and list(depot.entrees()) == []


def test_un_objet_modifie_dans_le_stockage_est_refuse_a_la_lecture(serveur_s3):
    d = stockage.DepotS3(serveur_s3.url, f"altere-{uuid.uuid4().hex[:12]}", CLE, SECRET)
    d.creer_le_bucket()
    d.ecrire("a/doc.pdf", b"original")
    serveur_s3.client().put_object(Bucket=d.bucket, Key="a/doc.pdf", Body=b"remplace hors du service")
    with pytest.raises(stockage.DocumentAltere):
        d.lire("a/doc.pdf", stockage.sha256(b"original"))


def test_lot_d_attestations_sur_le_stockage_objet(s3, demo, acteurs, atelier, reglages):  # noqa: F811
    """The Tarn atelier's batch on the object store: its merged PDF and ZIP are objects, read back through the one
    download path; nothing is written under the local documents folder."""
    from workflow.atelier import attestations

    dossier, _ = atelier
    resultat = attestations.produire_lot(demo, acteurs["porteur81"], campagne_id=dossier.campagne_id,
                                         dossier_id=dossier.id, **SIGNATURE)
    assert resultat.attestations == 4
    assert len(_fichiers(demo, acteurs["porteur81"], resultat.documents[1])) == 4
    stockes = {r for r, _ in s3.entrees()}
    assert {d.chemin for d in demo.exec(select(Document))} <= stockes  # every document of the year, seeding included
    local = reglages.documents_dir
    assert not local.exists() or not [p for p in local.rglob("*") if p.is_file()]


def test_une_transaction_echouee_ne_laisse_aucun_objet(s3, session):
    from workflow.noyau.transaction import transaction_et_fichiers

    with pytest.raises(RuntimeError), transaction_et_fichiers(session) as ecrits:
        ecrits.append(s3.ecrire("2025-2026/echec/doc-v1.pdf", b"ecrit avant la panne"))
        raise RuntimeError("panne après l'écriture")
    assert not s3.existe("2025-2026/echec/doc-v1.pdf")


def test_la_purge_et_le_balayage_suppriment_des_objets(s3, demo, acteurs):
    from workflow import consultation
    from workflow.automatismes import balayage, conservation
    from workflow.noyau.permissions import AccesRefuse

    documents = list(demo.exec(select(Document)))
    assert documents and all(s3.existe(d.chemin) for d in documents)
    s3.ecrire("2025-2026/orphelin/sans-ligne.pdf", b"ecrit par un processus tue avant son commit")
    assert balayage.balayer(demo, delai=timedelta(0)).orphelins == 1
    assert not s3.existe("2025-2026/orphelin/sans-ligne.pdf") and all(s3.existe(d.chemin) for d in documents)
    purge = documents[:2]
    supprimes, marques = conservation._supprimer_fichiers(demo, purge)
    assert supprimes == 2
    demo.add_all(marques)
    demo.commit()
    assert not any(s3.existe(d.chemin) for d in purge)
    assert conservation._supprimer_fichiers(demo, purge) == (0, [])  # re-run: nothing deleted twice, nothing refused
    lisibles = consultation.documents_lisibles(demo, acteurs["pilote"], purge)
    assert lisibles == []
    with pytest.raises(AccesRefuse, match="n'est plus conservé"):
        consultation.exiger_lecture(demo, acteurs["pilote"], purge[0])
