"""Issue 14, item 3: a technical failure reaches a person as a French sentence that says whether the action was
recorded (re-read from the database), never as a traceback. Driven through the pages (AppTest): on PostgreSQL the
connection is really terminated (pg_terminate_backend), on SQLite the same error is raised at the same point. A page
that cannot show itself (app.py's net, which AppTest bypasses): tests/navigateur/test_navigateur_incidents.py."""

import io
from datetime import datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from db.models import Auditeur, Seance
from infra.settings import get_settings
from tests.pages.test_pages import _atelier_81
from tests.support.appli import bouton, ouvrir_application, textes_de
from workflow.noyau import incidents

GROUPE = "Groupe A — débutants"
SEANCE = "Enregistrer une séance et l'émargement"


@pytest.fixture
def app_demo(demo, acteurs):
    return lambda nom: ouvrir_application(acteurs[nom])


def _couper_la_connexion() -> None:
    """The database connection of whoever is working is lost: on PostgreSQL, every other backend of the database is
    terminated in the middle of its transaction (AdminShutdown, as when the server restarts); on SQLite, the driver's
    error at the same point."""
    url = get_settings().database_url
    if not url.startswith("postgresql"):
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))
    moteur = create_engine(url, isolation_level="AUTOCOMMIT")
    with moteur.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle in transaction'"))
    moteur.dispose()


def _pdf_vierge() -> bytes:
    from pypdf import PdfWriter

    sortie, tampon = PdfWriter(), io.BytesIO()
    sortie.add_blank_page(width=595, height=842)
    sortie.write(tampon)
    return tampon.getvalue()


def _page_des_seances(app_demo, demo, d81):
    at = app_demo("porteur81")
    at.switch_page("pages/seances.py").run()
    cle = f"seance_{d81.id}_{GROUPE}"
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    at.checkbox(key=f"{cle}_presence_{amina.id}").check()
    at.text_area(key=f"{cle}_contenu").input("Se présenter ; le cahier de liaison.")
    demo.commit()  # the test's own session holds no transaction: only the page's is cut
    return at, cle


def _erreurs(at) -> str:
    return "\n".join(e.value for e in at.error)


def test_connexion_perdue_avant_l_enregistrement(app_demo, demo, acteurs, monkeypatch):
    """Lost while the séance's documents are written, before the commit: nothing recorded, said so, form kept."""
    from documents import render

    d81, _ = _atelier_81(demo, acteurs, monkeypatch)
    at, cle = _page_des_seances(app_demo, demo, d81)
    rendre = render.rendre

    def rendre_puis_couper(*args, **kwargs):
        contenu = rendre(*args, **kwargs)
        _couper_la_connexion()
        return contenu

    monkeypatch.setattr(render, "rendre", rendre_puis_couper)
    bouton(at, "Enregistrer la séance").click().run()
    assert not at.exception, at.exception
    assert (f"L'action « {SEANCE} » n'a pas été enregistrée : la connexion à la base de "
            "données a été interrompue. Rien n'a changé" in _erreurs(at)), _erreurs(at)
    assert "Traceback" not in textes_de(at)
    assert at.text_area(key=f"{cle}_contenu").value == "Se présenter ; le cahier de liaison."  # what was typed is kept
    demo.rollback()
    assert demo.exec(select(Seance)).all() == []
    monkeypatch.setattr(render, "rendre", rendre)
    bouton(at, "Enregistrer la séance").click().run()  # done again: recorded once
    assert not at.exception and len(demo.exec(select(Seance)).all()) == 1


def test_connexion_perdue_apres_l_enregistrement(app_demo, demo, acteurs, monkeypatch):
    """Lost while the séance's PDF is stored, after the séance itself was committed: the person reads that it went
    through (before, a raw AdminShutdown left them guessing)."""
    from documents import pdf, stockage

    d81, _ = _atelier_81(demo, acteurs, monkeypatch)
    at, _ = _page_des_seances(app_demo, demo, d81)
    ecrire = stockage.DepotFichiers.ecrire

    def ecrire_puis_couper(depot, relatif, contenu):
        chemin = ecrire(depot, relatif, contenu)
        if relatif.endswith(".pdf"):
            _couper_la_connexion()
        return chemin

    monkeypatch.setattr(pdf, "docx_vers_pdf", lambda *_a, **_k: _pdf_vierge())  # LibreOffice is not what fails here
    monkeypatch.setattr(stockage.DepotFichiers, "ecrire", ecrire_puis_couper)
    bouton(at, "Enregistrer la séance").click().run()
    assert not at.exception, at.exception
    assert (f"L'action « {SEANCE} » a bien été enregistrée, mais la connexion à la base de "
            "données a été interrompue ensuite. Inutile de la refaire" in _erreurs(at)), _erreurs(at)
    demo.rollback()
    assert len(demo.exec(select(Seance)).all()) == 1


def test_base_injoignable_meme_pour_verifier(app_demo, demo, acteurs, monkeypatch):
    """When the state cannot be re-read either, the person is told to look before doing it again."""
    from documents import render

    d81, _ = _atelier_81(demo, acteurs, monkeypatch)
    at, _ = _page_des_seances(app_demo, demo, d81)

    def panne(*_args, **_kwargs):
        raise OperationalError("SELECT", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(render, "rendre", panne)
    monkeypatch.setattr(incidents, "enregistree_depuis", panne)
    bouton(at, "Enregistrer la séance").click().run()
    assert not at.exception, at.exception
    assert ("Incident : la connexion à la base de données a été interrompue. Impossible de vérifier pour l'instant si "
            f"l'action « {SEANCE} » a été enregistrée" in _erreurs(at)), _erreurs(at)


@pytest.mark.parametrize(("panne", "cause"), [
    (OSError(28, "No space left on device"), "l'enregistrement des fichiers sur le serveur a échoué"),
    (RuntimeError("boom"), "une erreur technique est survenue"),
])
def test_cause_dite_en_francais(panne, cause):
    assert incidents.cause(panne) == cause
    assert "boom" not in incidents.message("Ajouter le taux", False, panne)


def test_le_taux_ajoute_malgre_l_incident(app_demo, demo, monkeypatch):
    """A write outside the step table (the rate table) uses the same helper: recorded, then the failure."""
    from workflow.noyau import taux

    ajouter = taux.ajouter_taux

    def ajouter_puis_panne(*args, **kwargs):
        ajouter(*args, **kwargs)
        raise OperationalError("SELECT", {}, Exception("terminating connection"))

    monkeypatch.setattr(taux, "ajouter_taux", ajouter_puis_panne)
    at = app_demo("admin")
    at.switch_page("pages/taux.py").run()
    at.date_input(key="taux_nouveau_date_effet").set_value(datetime(2026, 1, 1).date())
    at.text_input(key="taux_nouveau_im100_annuel").input("6 000,00")
    bouton(at, "Ajouter le taux").click().run()
    assert not at.exception, at.exception
    assert "L'action « Ajouter le taux » a bien été enregistrée" in _erreurs(at), _erreurs(at)


def test_libreoffice_bloque_apres_l_enregistrement(app_demo, demo, acteurs, monkeypatch):
    """A cold soffice that hangs is stopped (documents/pdf.py); the page says the séance is recorded and the PDF is
    missing, to be produced later — not a TimeoutExpired after 180 s."""
    from documents import pdf

    d81, _ = _atelier_81(demo, acteurs, monkeypatch)
    at, _ = _page_des_seances(app_demo, demo, d81)

    def bloque(*_args, **_kwargs):
        raise pdf.ConversionEchouee("LibreOffice n'a pas terminé la conversion en 120 s ; il a été arrêté.")

    monkeypatch.setattr(pdf, "docx_vers_pdf", bloque)
    bouton(at, "Enregistrer la séance").click().run()
    assert not at.exception, at.exception
    textes = textes_de(at)
    assert "Étape validée" in textes and "LibreOffice n'a pas terminé la conversion en 120 s" in textes, textes
    demo.rollback()
    assert len(demo.exec(select(Seance)).all()) == 1
