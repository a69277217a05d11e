"""Issue 14: faults leave the service whole. For each kind of action (a document step, a payment, a batch of
attestations, an upload) a real process is killed with SIGKILL at each point (before the lock, after rendering,
after the files are written, before the commit, after the commit before the PDF), or on PostgreSQL has its database
connection terminated by the server there. Then, as after a restart (the start-up sweep, workflow.automatismes.balayage):
- no row without its file, no file without its row, nothing temporary left under the data folder;
- the person, told by the page whether the action went through (workflow.noyau.incidents, re-read from the database),
  does it again only if not — and there is exactly one result, PDF included.
The processes and their faults: tests/support/pannes.py."""

import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from db.models import Auditeur, Document, Seance, Transition
from tests.conftest import POSTGRES_URL, RACINE, exiger_outil
from tests.support import pannes
from workflow import services
from workflow.noyau import incidents

# Points that differ for each action (for the batch and the upload, « after rendering » is « before the lock »).
CAS = [(action, point) for action in pannes.ACTIONS for point in pannes.POINTS
       if not (action in ("lot", "televersement") and point == "apres_rendu")]
MODES = [("sqlite", "tuer"), pytest.param("postgresql", "tuer", marks=pytest.mark.postgresql),
         pytest.param("postgresql", "couper", marks=pytest.mark.postgresql)]
# What the person's page probes after an incident: the step in the history, or the action in the audit log.
TRACE = {"document": {"etape": "inscrire_parent"}, "paiement": {"etape": "liquider"},
         "lot": {"journal": "attestations_lot"}, "televersement": {"journal": "joindre_feuille_signee"}}


def _env(database_url: str, data_dir: Path) -> dict:
    return os.environ | {"OEPRE_DATABASE_URL": database_url, "OEPRE_DATA_DIR": str(data_dir),
                         "OEPRE_DATE_DU_JOUR": pannes.JOUR, "OEPRE_PLANIFICATEUR": "aucun"}


def _admin():
    return create_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="module")
def modele(tmp_path_factory, request):
    """The prepared database and data folder of each backend, built once by real processes; cases start from copies."""
    faits = {}

    def pour(backend: str) -> tuple[str, Path]:
        if backend in faits:
            return faits[backend]
        dossier = tmp_path_factory.mktemp(f"pannes-{backend}")
        if backend == "sqlite":
            url = f"sqlite:///{dossier / 'modele.sqlite'}"
        else:
            exiger_outil(bool(POSTGRES_URL), "PostgreSQL de test absent (lancez les tests avec `make test`)")
            nom = f"{make_url(POSTGRES_URL).database}_pannes"
            with _admin().connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{nom}"'))
            url = make_url(POSTGRES_URL).set(database=nom).render_as_string(hide_password=False)
            request.addfinalizer(lambda: _supprimer_base(nom))
        env = _env(url, dossier / "data")
        subprocess.run([sys.executable, "-m", "demarrage.initialisation", "--demo"], cwd=RACINE, env=env, check=True,
                       capture_output=True)
        subprocess.run([sys.executable, "-m", "tests.support.pannes", "preparer"], cwd=RACINE, env=env, check=True)
        faits[backend] = (url, dossier / "data")
        return faits[backend]

    return pour


def _supprimer_base(nom: str) -> None:
    with _admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def atelier():
    """The forking worker (tests/support/pannes.py atelier), started once: each case is one child process."""
    processus = subprocess.Popen([sys.executable, "-m", "tests.support.pannes", "atelier"], cwd=RACINE, env=os.environ,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def lancer(cas: dict) -> int:
        processus.stdin.write(json.dumps(cas) + "\n")
        processus.stdin.flush()
        return json.loads(processus.stdout.readline())["code"]

    yield lancer
    processus.stdin.close()
    processus.wait(timeout=30)


@pytest.fixture
def copie(modele, tmp_path, request):
    """This case's own database and data folder, copied from the prepared ones."""
    backend = request.node.callspec.params["backend"]
    url, donnees = modele(backend)
    shutil.copytree(donnees, tmp_path / "data")
    if backend == "sqlite":
        shutil.copy(make_url(url).database, tmp_path / "cas.sqlite")
        return f"sqlite:///{tmp_path / 'cas.sqlite'}", tmp_path / "data"
    nom = f"{make_url(POSTGRES_URL).database}_cas"
    with _admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{nom}" TEMPLATE "{make_url(url).database}"'))
    request.addfinalizer(lambda: _supprimer_base(nom))
    return make_url(POSTGRES_URL).set(database=nom).render_as_string(hide_password=False), tmp_path / "data"


@pytest.fixture
def sur_la_copie(copie, monkeypatch):
    """This process's settings pointed at the case (the person's re-run, the checks)."""
    from infra import base, settings

    url, donnees = copie
    for cle, valeur in _env(url, donnees).items():
        if cle.startswith("OEPRE_"):
            monkeypatch.setenv(cle, valeur)
    settings.get_settings.cache_clear()
    base.moteur.cache_clear()
    yield url, donnees
    base.moteur().dispose()
    settings.get_settings.cache_clear()
    base.moteur.cache_clear()


def _coherence(s: Session, donnees: Path) -> None:
    stockes = {p.relative_to(donnees / "documents").as_posix() for p in (donnees / "documents").rglob("*") if p.is_file()}
    lignes = {d.chemin: d for d in s.exec(select(Document))}
    assert set(lignes) - stockes == set(), "rows without their file"
    assert stockes - set(lignes) == set(), "files without their row"
    from documents import stockage

    for chemin, doc in lignes.items():
        stockage.DepotFichiers(donnees / "documents").lire(chemin, doc.sha256)  # whole, as recorded
    restes = [p for p in donnees.rglob("*") if p.name.startswith((".tmp-", ".lot-"))]
    assert restes == [] and not any((donnees / "travail").iterdir() if (donnees / "travail").exists() else [])


def _resultats(s: Session, action: str) -> dict:
    def documents(type_document: str, **filtre) -> dict[str, int]:
        requete = select(Document).where(Document.type_document == type_document)
        for cle, valeur in filtre.items():
            requete = requete.where(getattr(Document, cle) == valeur)
        docs = s.exec(requete).all()
        return {fmt: sum(d.format == fmt for d in docs) for fmt in sorted({d.format for d in docs})}

    if action == "document":
        parents = s.exec(select(Auditeur).where(Auditeur.prenom == pannes.PARENT["prenom"])).all()
        return {"parents": len(parents), "fiche": documents("fiche_inscription", concerne="Zoé Martin")}
    if action == "paiement":
        transitions = s.exec(select(Transition).where(Transition.etape == "liquider")).all()
        return {"transitions": len(transitions), "etat": documents("etat_liquidatif")}
    if action == "lot":
        return {"lot": documents("attestations_lot")}
    seance = s.exec(select(Seance).order_by(Seance.date_seance)).first()
    jointes = s.exec(select(Document).where(Document.type_document == "emargement_signe")).all()
    return {"feuilles": len(jointes), "liee": seance.scan_document_id in {d.id for d in jointes}}


ATTENDU = {"document": {"parents": 1, "fiche": {"docx": 1, "pdf": 1}},
           "paiement": {"transitions": 1, "etat": {"docx": 1, "pdf": 1}},
           "lot": {"lot": {"pdf": 1, "zip": 1}}, "televersement": {"feuilles": 1, "liee": True}}


@pytest.mark.parametrize(("backend", "mode"), MODES)
@pytest.mark.parametrize(("action", "point"), CAS)
def test_panne_puis_reprise(atelier, sur_la_copie, backend, mode, action, point):
    from infra.base import moteur
    from workflow.automatismes.balayage import balayer

    url, donnees = sur_la_copie
    with Session(moteur()) as s:
        avant, personne = incidents.repere(s), pannes.acteur(s, "gestionnaire.jaures@ac-toulouse.fr" if action == "paiement"
                                                            else "principal.jaures@ac-toulouse.fr")
        documents_avant = {d.id for d in s.exec(select(Document))}
    moteur().dispose()  # the case's database has no connection of ours while the worker runs
    code = atelier({"database_url": url, "data_dir": str(donnees), "action": action, "point": point, "mode": mode})
    assert code == -9 if mode == "tuer" else code in (0, 3), code

    with Session(moteur(), expire_on_commit=False) as s:
        lignes = s.exec(select(Document)).all()
        assert [d.chemin for d in lignes if not (donnees / "documents" / d.chemin).exists()] == []  # no row without its file
        # Before any restart (another replica goes on): what the process left never stands in the way.
        if not incidents.enregistree_depuis(s, avant, personne, **TRACE[action]):
            pannes.agir(s, action)  # the page said « n'a pas été enregistrée : vous pouvez recommencer »
        else:  # « a bien été enregistrée » (a PDF may be missing: produced from the list of documents)
            sources = {d.source_id for d in s.exec(select(Document).where(Document.format == "pdf"))}
            for docx in s.exec(select(Document).where(Document.format == "docx")).all():
                if docx.id not in sources and docx.id not in documents_avant:
                    services.produire_pdf(s, docx.id, personne)
        s.expire_all()
        assert _resultats(s, action) == ATTENDU[action]
        balayer(s, delai=timedelta(0))  # the restart: files without a row and temporary work removed
        _coherence(s, donnees)
