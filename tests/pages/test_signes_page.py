"""Issue 17, item 4, on the pages: each engagement letter and état liquidatif shown « à signer » or « signé hors
application » with its scan to download, an upload beside it for whoever produces it, and the DAEPS review naming
the scan as the signed copy of its version. (The upload itself runs in Chromium: AppTest has no file uploader.)"""

import io

from pypdf import PdfWriter
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from db.models import Document, Dossier
from demarrage.demo import COLLEGE_DU_TARN
from tests.support.appli import ouvrir_application, textes_de
from tests.support.fabrique import GROUPE, INTERVENANT, executeur
from workflow.atelier import signes


def _pdf() -> bytes:
    sortie, tampon = PdfWriter(), io.BytesIO()
    sortie.add_blank_page(width=595, height=842)
    sortie.write(tampon)
    return tampon.getvalue()


def _televersements(at: AppTest) -> list[str]:
    return [e.label for e in at.get("file_uploader")]


def _engager(demo, acteurs, **changes):
    d81 = demo.exec(select(Dossier).where(Dossier.uai == COLLEGE_DU_TARN)).one()
    etape = executeur(demo, acteurs["porteur81"], d81)
    resultat = etape("engager_intervenant", **(INTERVENANT | changes), groupe=GROUPE, date_debut="2025-11-17",
                     date_fin="2026-06-30")
    (lettre,) = [d for d in (demo.get(Document, i) for i in resultat.documents) if d.type_document == "lettre_engagement"]
    return d81, lettre


def _seances(acteur) -> AppTest:
    at = ouvrir_application(acteur)
    at.switch_page("pages/seances.py").run()
    assert not at.exception, at.exception
    return at


def test_la_lettre_a_signer_puis_signee_puis_produite_a_nouveau(demo, acteurs):
    d81, lettre = _engager(demo, acteurs)
    at = _seances(acteurs["porteur81"])
    textes = textes_de(at)
    assert "**Lettre d'engagement d'un intervenant — Sofia Álvarez** — version 1 — à signer" in textes
    assert "**Demande d'autorisation de cumul d'activités à titre accessoire — Sofia Álvarez** — version 1 — à signer" in textes
    assert _televersements(at) == ["Scan signé de la version 1 (PDF, PNG ou JPEG, 10 Mo au plus)"] * 2

    scan = signes.joindre_scan_signe(demo, acteurs["porteur81"], document_id=lettre.id, nom="l.pdf", contenu=_pdf())
    at = _seances(acteurs["porteur81"])
    textes = textes_de(at)
    assert f"version 1 — signé hors application (scan joint le {scan.genere_at:%d/%m/%Y})" in textes
    assert "Scan de la version 1" in textes
    assert any(f"seance_signes_{d81.id}_scan_{scan.id}" in b.proto.id for b in at.get("download_button"))

    _engager(demo, acteurs, heures_prevues="60")  # hours corrected: a new letter, the scan is of the older one
    at = _seances(acteurs["porteur81"])
    textes = textes_de(at)
    assert "version 2 — scan signé d'une version antérieure : à signer à nouveau" in textes
    assert "le scan joint est celui de la version 1" in textes and "Scan de la version 1 (version antérieure)" in textes
    assert _televersements(at) == ["Scan signé de la version 2 (PDF, PNG ou JPEG, 10 Mo au plus)"] * 2  # both produced again


def test_l_intervenant_ne_joint_pas_sa_lettre_signee(demo, acteurs):
    _engager(demo, acteurs)
    at = ouvrir_application(acteurs["porteur"])  # another school's head: nothing of the Tarn college
    at.switch_page("pages/seances.py").run()
    assert not at.exception and "Sofia Álvarez** — version" not in textes_de(at)
    at = _seances(acteurs["intervenant"])
    assert "**Lettre d'engagement d'un intervenant — Sofia Álvarez** — version 1 — à signer" in textes_de(at)
    assert _televersements(at) == []


def test_la_revue_de_la_daeps_nomme_le_scan_et_la_version_signee(demo, acteurs):
    _, lettre = _engager(demo, acteurs)
    signes.joindre_scan_signe(demo, acteurs["porteur81"], document_id=lettre.id, nom="l.pdf", contenu=_pdf())
    at = ouvrir_application(acteurs["daeps"])
    at.switch_page("pages/revue.py").run()
    assert not at.exception, at.exception
    lignes = list(at.dataframe[0].value["Document"])
    assert ("Lettre d'engagement d'un intervenant — Sofia Álvarez (scan « signé hors application ») v1 (PDF), "
            "signé sur la version 1") in lignes
    assert "Lettre d'engagement d'un intervenant — Sofia Álvarez v1 (DOCX)" in lignes


def test_l_etat_liquidatif_se_joint_signe_par_le_service_payeur(demo, acteurs, monkeypatch):
    from datetime import date

    from forms.vocabulaire import Etat
    from infra import settings
    from tests.support.fabrique import dossier_en_etat, executer_etape

    tilleuls = dossier_en_etat(demo, Etat.RETENU).dossier
    executer_etape(demo, acteurs["porteur"], "engager_intervenant", tilleuls, **INTERVENANT, groupe=GROUPE,
                   date_debut="2025-11-17", date_fin="2026-06-30")
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-02-10")
    settings.get_settings.cache_clear()
    executer_etape(demo, acteurs["porteur"], "enregistrer_seance", tilleuls, groupe=GROUPE, date_seance=date(2026, 1, 8).isoformat(),
                   heure_debut="09:00", heure_fin="10:45", axes=["langue"], intervenants=["Sofia ÁLVAREZ"])
    executer_etape(demo, acteurs["porteur"], "certifier_service_fait", tilleuls, intervenant="Sofia ÁLVAREZ",
                   mois="2026-01-01", certifie_par="Claire Martin")
    executer_etape(demo, acteurs["paie31"], "liquider", tilleuls, structure_payeuse="DSDEN 31", mois="2026-01-01")

    paie = ouvrir_application(acteurs["paie31"])
    paie.switch_page("pages/paie.py").run()
    if [s for s in paie.selectbox if s.key == "paie_dossier"]:
        choix = paie.selectbox(key="paie_dossier")
        choix.select(next(o for o in choix.options if "Tilleuls" in o)).run()
    assert not paie.exception, paie.exception
    assert "**État liquidatif des vacations — janvier 2026** — version 1 — à signer" in textes_de(paie)
    assert _televersements(paie) == ["Scan signé de la version 1 (PDF, PNG ou JPEG, 10 Mo au plus)"]
    tete = ouvrir_application(acteurs["porteur"])
    tete.switch_page("pages/paie.py").run()
    assert "**État liquidatif des vacations — janvier 2026** — version 1 — à signer" in textes_de(tete)
    assert _televersements(tete) == []  # the head reads it, the pay office signs and joins it
