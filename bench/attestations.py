"""1,000 attestations for an académie: from the database to one merged print PDF plus a ZIP of one PDF per
parent, against two baselines measured in the same run on the same attestations:

- naive: one DOCX render and one cold LibreOffice (fresh profile) per attestation, timed on a sample and
  scaled to the whole batch;
- LibreOffice alone: the same pages, already rendered as one DOCX per core, converted by parallel `soffice`
  calls (the physical limit: everything else the batch does should cost little beside it).

Both run five times, alternated; the figures are medians (the ratio is the median of the five paired ratios), in
wall time and in CPU time (bench/mesure.py: this process and every LibreOffice it ran): on a busy machine the wall
ratio can fall below 1, which the CPU ratio cannot, since the batch contains that conversion.

The database is a fresh SQLite file: N parents in ateliers of 15 across the académie's départements,
30 séances of 2 h per group, attendance about 80 %. The batch runs as the DAEPS, through the same service
as the page (workflow.atelier.attestations.produire_lot), files stored as documents.

    python bench/attestations.py [N] [SAMPLE] [RUNS]

Last line: attestations=N seconds=S vs_naive=Rx vs_libreoffice=Rx vs_libreoffice_cpu=Rx peak_mb=M
"""

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as heure
from decimal import Decimal
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))  # run as a script: the project's packages

from bench.mesure import Mesure  # noqa: E402
from workflow import services  # noqa: E402

os.environ.setdefault("OEPRE_DATE_DU_JOUR", "2026-06-26")  # end of the year: attestations are due
PAR_ATELIER = 15
SEANCES = 30
RUNS = 5


def generer(n: int) -> None:
    from sqlalchemy import insert

    from db.migrations_api import upgrade_to_head
    from db.models import Auditeur, Dossier, Etablissement, Groupe, Presence, Seance, Utilisateur
    from demarrage.demo import ACADEMIES, CALENDRIER_DEMO, semer_referentiel, uai
    from infra.base import moteur, session
    from infra.settings import get_settings
    from workflow.noyau.auth import acteur_de, hacher

    upgrade_to_head(get_settings().database_url)
    with session() as s:
        semer_referentiel(s)
        pilote = Utilisateur(identifiant="pilote@bench", nom_affiche="Pilote", role="pilote", mot_de_passe_hash=hacher("x" * 12))
        s.add_all([pilote, Utilisateur(identifiant="daeps@bench", nom_affiche="DAEPS", role="daeps",
                                       mot_de_passe_hash=hacher("x" * 12))])
        s.commit()
        from infra.settings import a_la_date

        with a_la_date(date.fromisoformat(CALENDRIER_DEMO["date_ouverture"])):  # a year in the past: opened on its day
            services.executer(s, acteur_de(pilote), "ouvrir_campagne", pdf_apres=False,
                              donnees=CALENDRIER_DEMO | {"budget_p104": "9000000", "budget_en": "4000000"})
    deps = [code for code, _, _ in ACADEMIES["toulouse"][2]]
    prenoms = ["Amina", "Léa", "Fatima", "Olga", "Mariam", "Ayşe", "Nour", "Zahra", "Elena", "Sofia", "Khadija", "Yasmine"]
    noms = ["Haddad", "O'Brien-Müller", "Benali", "Kuznetsova", "Diallo", "Yılmaz", "El Amrani", "Popescu", "Ahmadi", "Traoré"]
    maintenant = datetime.now(UTC)
    nb_ateliers = -(-n // PAR_ATELIER)
    etabs, dossiers, groupes, seances, parents, presences = [], [], [], [], [], []
    seance_id = parent_id = 0
    for i in range(nb_ateliers):
        code = uai(deps[i % len(deps)], 2000 + i)
        etabs.append({"uai": code, "nom": f"École n° {i} « Les Tilleuls & Cie »", "type_structure": "ecole_elementaire",
                      "commune": f"Commune {i}", "departement_code": deps[i % len(deps)], "education_prioritaire": "rep",
                      "qpv": True, "upe2a": False})
        dossiers.append({"id": i + 1, "campagne_id": 1, "uai": code, "etat": "en_cours", "version": 5,
                         "formulaire": {"responsable_nom": f"Claire Martin-{i}", "responsable_fonction": "directeur_ecole"},
                         "renouvellement": False, "nb_parents_prevus": PAR_ATELIER, "nb_primo_arrivants_prevus": 5,
                         "nb_reinscrits_prevus": 0, "heures_total": Decimal("60"), "montant_demande": Decimal("1772.40"),
                         "cree_at": maintenant, "modifie_at": maintenant})
        groupes.append({"id": i + 1, "dossier_id": i + 1, "libelle": "Groupe A", "niveau": "A1", "effectif_prevu": PAR_ATELIER,
                        "heures_prevues": Decimal("60"), "date_debut": date(2025, 11, 17), "date_fin": date(2026, 6, 19),
                        "creneaux": []})
        ids_seances = []
        for k in range(SEANCES):
            seance_id += 1
            ids_seances.append(seance_id)
            seances.append({"id": seance_id, "groupe_id": i + 1, "date_seance": date(2025, 11, 18) + timedelta(weeks=k),
                            "heure_debut": heure(14), "heure_fin": heure(16), "minutes": 120, "axes": ["langue"],
                            "contenu": "", "annulee": False})
        for j in range(min(PAR_ATELIER, n - i * PAR_ATELIER)):
            parent_id += 1
            parents.append({"id": parent_id, "dossier_id": i + 1, "groupe_id": i + 1, "nom": noms[parent_id % len(noms)],
                            "prenom": prenoms[parent_id % len(prenoms)], "sexe": "F", "langues": [], "langue_fiche": "fr",
                            "date_inscription": date(2025, 11, 17), "cir_signe": "ne_sait_pas",
                            "protection_internationale": "ne_sait_pas", "niveau_oral": "A1", "niveau_ecrit": "A1",
                            "deja_inscrit_session_precedente": False, "consentement_image": False})
            presences += [{"seance_id": s_id, "auditeur_id": parent_id, "statut": "present" if (s_id + j) % 5 else "absent"}
                          for s_id in ids_seances]
    with moteur().begin() as conn:
        for table, lignes in ((Etablissement, etabs), (Dossier, dossiers), (Groupe, groupes), (Seance, seances),
                              (Auditeur, parents), (Presence, presences)):
            conn.execute(insert(table), lignes)


def _daeps():
    from sqlmodel import select

    from db.models import Utilisateur
    from infra.base import session
    from workflow.noyau.auth import acteur_de

    with session() as s:
        return acteur_de(s.exec(select(Utilisateur).where(Utilisateur.identifiant == "daeps@bench")).one())


def lot_complet(acteur) -> tuple[Mesure, int]:
    from infra.base import session
    from workflow.atelier import attestations

    with Mesure() as mesure, session() as s:
        resultat = attestations.produire_lot(s, acteur, campagne_id=1)
    return mesure, resultat.attestations


def libreoffice_seul(copies, travail: Path) -> Mesure:
    """The same attestations, rendered beforehand as one DOCX per core (untimed), converted in parallel."""
    from documents import lot

    cpus = os.cpu_count() or 1
    fichiers = []
    for k in range(cpus):
        tranche = copies[k * len(copies) // cpus:(k + 1) * len(copies) // cpus]
        chemin = travail / f"seul-{k}.docx"
        chemin.write_bytes(lot.rendre_en_boucle("attestation", {"academie": "Toulouse"}, [c.contexte for c in tranche]))
        fichiers.append(chemin)
    with Mesure() as mesure:
        processus = [subprocess.Popen(["soffice", f"-env:UserInstallation={(travail / f'profil-seul-{k}').as_uri()}",
                                       "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(travail), str(f)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for k, f in enumerate(fichiers)]
        for p in processus:
            p.wait()
    assert all(f.with_suffix(".pdf").exists() for f in fichiers)
    for k in range(cpus):
        shutil.rmtree(travail / f"profil-seul-{k}", ignore_errors=True)
    return mesure


def naif(copies, echantillon: int, travail: Path) -> float:
    """One render and one cold soffice with a fresh profile per attestation, on `echantillon` of them: seconds each."""
    from documents import pdf, render

    debut = time.perf_counter()
    for k, copie in enumerate(copies[:echantillon]):
        docx = travail / f"naif-{k}.docx"
        docx.write_bytes(render.rendre("attestation", copie.contexte))
        pdf.convertir_lot([docx], travail / "naif", profil=travail / f"profil-naif-{k}")
    return (time.perf_counter() - debut) / echantillon


def main(n: int, echantillon: int, essais: int = RUNS) -> None:
    from infra import base, settings
    from infra.base import session
    from workflow.atelier import attestations

    dossier = Path(tempfile.mkdtemp(prefix="oepre-bench-"))
    os.environ["OEPRE_DATABASE_URL"] = f"sqlite:///{dossier}/bench.sqlite"
    os.environ["OEPRE_DATA_DIR"] = str(dossier)
    settings.get_settings.cache_clear()
    base.moteur.cache_clear()
    debut = time.perf_counter()
    generer(n)
    print(f"{n} parents, {-(-n // PAR_ATELIER)} ateliers, {SEANCES} séances each: generated in {time.perf_counter() - debut:.1f} s")
    daeps = _daeps()
    with session() as s:
        copies = attestations.exemplaires(s, daeps, campagne_id=1)
    assert len(copies) == n, len(copies)
    travail = dossier / "baselines"
    travail.mkdir()
    seconde_naive = naif(copies, echantillon, travail)
    print(f"naive: {seconde_naive:.2f} s per attestation on a sample of {echantillon} -> {seconde_naive * n:.0f} s for {n}")
    lo, lots = [], []
    for essai in range(essais):  # alternated pairs: each ratio compares two runs a few seconds apart on a shared machine
        lo.append(libreoffice_seul(copies, travail))
        mesure, nombre = lot_complet(daeps)
        assert nombre == n
        lots.append(mesure)
        print(f"run {essai + 1}: LibreOffice alone {lo[-1].mur:.1f} s ({lo[-1].cpu:.1f} s CPU), whole batch "
              f"{lots[-1].mur:.1f} s ({lots[-1].cpu:.1f} s CPU), ratio {lots[-1].mur / lo[-1].mur:.2f} "
              f"({lots[-1].cpu / lo[-1].cpu:.2f} in CPU)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    soffice_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    secondes = statistics.median(m.mur for m in lots)
    print(f"peak RSS: this process {peak_mb:.0f} MB, largest soffice {soffice_mb:.0f} MB; medians of {essais} runs below")
    print(f"attestations={n} seconds={secondes:.1f} vs_naive={seconde_naive * n / secondes:.1f}x "
          f"vs_libreoffice={statistics.median(b.mur / a.mur for a, b in zip(lo, lots, strict=True)):.2f}x "
          f"vs_libreoffice_cpu={statistics.median(b.cpu / a.cpu for a, b in zip(lo, lots, strict=True)):.2f}x "
          f"peak_mb={peak_mb:.0f}")
    shutil.rmtree(dossier, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, int(sys.argv[2]) if len(sys.argv) > 2 else 30,
         int(sys.argv[3]) if len(sys.argv) > 3 else RUNS)
