"""Status page and committee agenda at national scale.

Generates a campaign with N dossiers (default 3,000, with groups, intervenants and DASEN opinions) in a
fresh SQLite database, then renders the status page (dashboard) and the committee agenda server-side
with Streamlit's AppTest, as the pilote, and counts the SQL queries of each render. The same renders at
a tenth of the size show that the number of queries does not grow with the number of dossiers.

    python bench/selection.py [N]

Last line: dossiers=N status_ms=T agenda_ms=T status_cpu_ms=T agenda_cpu_ms=T queries_status=N queries_agenda=N
queries_constant=True|False
(the *_cpu_ms: CPU time of the render, which a busy machine does not stretch)
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))  # run as a script: the project's packages

from bench.mesure import Mesure  # noqa: E402
from workflow import services  # noqa: E402

os.environ.setdefault("OEPRE_DATE_DU_JOUR", "2025-11-05")  # committee day: every counter and deadline is live


def generer(url: str, n: int) -> None:
    from sqlalchemy import insert

    from db.migrations_api import upgrade_to_head
    from db.models import Avis, Dossier, Engagement, Etablissement, Groupe, Intervenant, Utilisateur
    from demarrage.demo import ACADEMIES, CALENDRIER_DEMO, semer_referentiel, uai
    from infra.base import moteur, session
    from workflow.noyau.auth import hacher

    upgrade_to_head(url)
    with session() as s:
        semer_referentiel(s)
        from workflow.noyau.auth import acteur_de

        pilote = Utilisateur(identifiant="pilote@bench", nom_affiche="Pilote", role="pilote", mot_de_passe_hash=hacher("x" * 12))
        s.add(pilote)
        s.commit()
        from infra.settings import a_la_date

        with a_la_date(date.fromisoformat(CALENDRIER_DEMO["date_ouverture"])):  # a year in the past: opened on its day
            services.executer(s, acteur_de(pilote), "ouvrir_campagne", pdf_apres=False,
                              donnees=CALENDRIER_DEMO | {"budget_p104": "9000000", "budget_en": "4000000"})
    deps = [code for code, _, _ in ACADEMIES["toulouse"][2]]
    etats = ["avis_donne"] * 6 + ["depose", "brouillon", "liste_attente", "avis_donne"]
    maintenant = datetime.now(UTC)
    etabs, dossiers, groupes, intervenants, engagements, avis = [], [], [], [], [], []
    for i in range(n):
        code = uai(deps[i % len(deps)], 1000 + i // len(deps))
        etabs.append({"uai": code, "nom": f"École n° {i}", "type_structure": "ecole_elementaire" if i % 3 else "college",
                      "commune": f"Commune {i % 97}", "departement_code": deps[i % len(deps)], "education_prioritaire": "aucune",
                      "qpv": i % 4 == 0, "upe2a": i % 5 == 0})
        dossier_id = i + 1
        etat = etats[i % len(etats)]
        dossiers.append({"id": dossier_id, "campagne_id": 1, "uai": code, "etat": etat, "version": 3, "formulaire": {},
                         "renouvellement": i % 2 == 0, "nb_parents_prevus": 28, "nb_primo_arrivants_prevus": 10 + i % 18,
                         "nb_reinscrits_prevus": i % 9, "heures_total": Decimal("140"), "montant_demande": Decimal("4285.60"),
                         "cree_at": maintenant, "modifie_at": maintenant})
        for g in range(2):
            groupes.append({"dossier_id": dossier_id, "libelle": f"Groupe {g + 1}", "niveau": "A1", "effectif_prevu": 12 + g,
                            "heures_prevues": Decimal("70"), "date_debut": date(2025, 11, 17), "date_fin": date(2026, 6, 19),
                            "creneaux": []})
            intervenants.append({"id": 2 * i + g + 1, "nom": f"NOM{i}", "prenom": f"P{g}", "statut": "enseignant_upe2a",
                                 "employeur_principal": "EN", "qualification_fle_fls": g == 0, "vivier_casnav": False,
                                 "cree_at": maintenant})
            engagements.append({"intervenant_id": 2 * i + g + 1, "dossier_id": dossier_id, "heures_prevues": Decimal("70"),
                                "engage": False, "statut_cumul": "non_requis", "atteste_hors_service": False})
        if etat in ("avis_donne", "liste_attente"):
            avis.append({"dossier_id": dossier_id, "avis": "favorable", "motivation": "", "priorite_departementale": i // len(deps) + 1,
                         "signataire": "DASEN", "donne_at": maintenant})
    with moteur().begin() as conn:
        for table, lignes in ((Etablissement, etabs), (Dossier, dossiers), (Groupe, groupes), (Intervenant, intervenants),
                              (Engagement, engagements), (Avis, avis)):
            conn.execute(insert(table), lignes)


def mesurer(page: str, repetitions: int = 5) -> tuple[float, float, int]:
    """Median server-side render time and CPU time (ms) of a page, as the pilote, and its number of SQL queries."""
    from sqlalchemy import event
    from sqlmodel import select
    from streamlit.testing.v1 import AppTest

    from db.models import Utilisateur
    from infra.base import moteur, session
    from workflow.noyau.auth import acteur_de

    with session() as s:
        pilote = acteur_de(s.exec(select(Utilisateur).where(Utilisateur.identifiant == "pilote@bench")).one())
    requetes = []
    ecoute = lambda *args: requetes.append(1)  # noqa: E731
    event.listen(moteur(), "before_cursor_execute", ecoute)
    temps, cpu, comptes = [], [], []
    try:
        for _ in range(repetitions + 1):
            at = AppTest.from_file(str(RACINE / "app.py"), default_timeout=120)
            at.session_state["acteur"] = pilote
            at.session_state["derniere_activite"] = datetime.now(UTC)
            at.run()
            at.switch_page(page)
            requetes.clear()
            with Mesure() as mesure:
                at.run()
            temps.append(mesure.mur * 1000)
            cpu.append(mesure.cpu * 1000)
            comptes.append(len(requetes))
            assert not at.exception, at.exception
    finally:
        event.remove(moteur(), "before_cursor_execute", ecoute)
    return statistics.median(temps[1:]), statistics.median(cpu[1:]), max(comptes)


def campagne(n: int) -> tuple[float, float, float, float, int, int]:
    from infra import base, settings

    dossier = tempfile.mkdtemp(prefix="oepre-bench-")
    os.environ["OEPRE_DATABASE_URL"] = f"sqlite:///{dossier}/bench.sqlite"
    os.environ["OEPRE_DATA_DIR"] = dossier
    settings.get_settings.cache_clear()
    base.moteur.cache_clear()
    debut = time.perf_counter()
    generer(os.environ["OEPRE_DATABASE_URL"], n)
    print(f"{n} dossiers generated in {time.perf_counter() - debut:.1f} s")
    status_ms, status_cpu, q_status = mesurer("pages/accueil.py")
    agenda_ms, agenda_cpu, q_agenda = mesurer("pages/decisions.py")
    print(f"  {n} dossiers: status {status_ms:.0f} ms ({status_cpu:.0f} ms CPU, {q_status} queries), "
          f"agenda {agenda_ms:.0f} ms ({agenda_cpu:.0f} ms CPU, {q_agenda} queries)")
    return status_ms, agenda_ms, status_cpu, agenda_cpu, q_status, q_agenda


def main(n: int) -> None:
    petit = campagne(max(n // 10, 10))
    grand = campagne(n)
    print(f"queries at {max(n // 10, 10)} vs {n} dossiers: status {petit[4]} vs {grand[4]}, agenda {petit[5]} vs {grand[5]}"
          f" (constant: {petit[4:] == grand[4:]})")
    print(f"dossiers={n} status_ms={grand[0]:.0f} agenda_ms={grand[1]:.0f} status_cpu_ms={grand[2]:.0f} "
          f"agenda_cpu_ms={grand[3]:.0f} queries_status={grand[4]} queries_agenda={grand[5]} "
          f"queries_constant={petit[4:] == grand[4:]}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
