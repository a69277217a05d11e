"""A generated académie-sized year at its end: 60 ateliers, 900 parents, 30 séances per group, attendance,
exits, pay liquidated. Used by the bilan tests (figures recomputed independently from raw attendance) and
by this benchmark:

    python bench/annee.py

which times, in the same run, the bilans of every atelier read in one batch (`chiffres_bilans` over all
dossiers) against the same bilans read one dossier at a time (baseline), then the indicators and the
exports, and prints ratios. Last line:
    ateliers=60 parents=900 bilans_ms=T vs_un_par_un=Rx indicateurs_ms=T exports_ms=T
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from datetime import time as heure
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session

from workflow import services

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

ATELIERS = 60
PARENTS = 900
SEANCES = 30
PREMIERE_SEANCE = date(2025, 11, 18)
TAUX = Decimal("29.54")
PAYS = ["MA", "DZ", "TN", "SY", "AF", "TR", "UA", "RU", "SN", "ML", "CI", "RO", "PT", "ES", "CN", "IQ", "GE", "AM", "LK"]
LANGUES = ["Arabe", "Tamazight", "Turc", "Russe", "Ukrainien", "Dari", "Pachto", "Wolof", "Bambara", "Roumain", "Portugais"]
STATUTS = ["enseignant_upe2a", "enseignant_1d", "enseignant_2d", "certif_fls", "vacataire_fle_fls"]
MOTIFS = ["emploi", "demenagement", "garde_enfants", "sante", "autre", "inconnu"]
ORIENTATIONS = [None, "ecole", "upe2a", "ofii", "association", "entourage"]
NIVEAUX = ["alpha", "A1.1", "A1", "A2", "B1", "non_evalue"]


def _inserer(session: Session, table, lignes: list[dict]) -> list[int]:
    """Bulk insert returning the new ids in order (works on SQLite and PostgreSQL alike)."""
    if not lignes:
        return []
    resultat = session.execute(insert(table).returning(table.id, sort_by_parameter_order=True), lignes)
    return [r[0] for r in resultat]


def semer_annee(session: Session, campagne_id: int, *, ateliers: int = ATELIERS, parents: int = PARENTS,
                seances: int = SEANCES, graine: int = 2026) -> list[int]:
    """Add `ateliers` finished ateliers to the campaign; returns their dossier ids."""
    from db.models import (
        Auditeur,
        Decision,
        Dossier,
        Etablissement,
        Groupe,
        Intervenant,
        Presence,
        Seance,
        SeanceIntervenant,
    )
    from demarrage.demo import ACADEMIES, uai

    alea = random.Random(graine)
    deps = [(code, chef_lieu) for code, _, chef_lieu in ACADEMIES["toulouse"][2]]
    centres = {"09": (42.96, 1.61), "12": (44.35, 2.57), "31": (43.60, 1.44), "32": (43.65, 0.59), "46": (44.45, 1.44),
               "65": (43.23, 0.08), "81": (43.93, 2.15), "82": (44.02, 1.35)}
    etabs, dossiers = [], []
    for i in range(ateliers):
        dep, chef_lieu = deps[i % len(deps)]
        lat, lon = centres[dep]
        etabs.append({"uai": uai(dep, 3000 + i), "nom": f"École {chef_lieu} n° {i}", "commune": f"{chef_lieu}",
                      "type_structure": "college" if i % 4 == 0 else "ecole_elementaire", "departement_code": dep,
                      "education_prioritaire": ["aucune", "REP", "REP+"][i % 3], "qpv": i % 2 == 0, "upe2a": i % 5 == 0,
                      "email": f"ce.{uai(dep, 3000 + i).lower()}@ac-toulouse.fr",
                      "latitude": round(lat + alea.uniform(-0.2, 0.2), 5), "longitude": round(lon + alea.uniform(-0.2, 0.2), 5)})
        dossiers.append({"campagne_id": campagne_id, "uai": etabs[-1]["uai"], "etat": "ateliers_termines", "version": 9,
                         "formulaire": {"responsable_nom": f"Claire Martin-{i}", "responsable_fonction": "directeur_ecole"},
                         "renouvellement": i % 2 == 0, "nb_parents_prevus": parents // ateliers, "heures_total": Decimal("60"),
                         "montant_demande": Decimal("1772.40")})
    session.execute(insert(Etablissement), etabs)
    dossier_ids = _inserer(session, Dossier, dossiers)

    groupes, decisions = [], []
    for i, dossier_id in enumerate(dossier_ids):
        nb = 2 if i % 3 == 0 else 1
        decisions.append({"dossier_id": dossier_id, "decision": "retenu", "heures_financees": Decimal(60 * nb),
                          "montant_p104": Decimal("1000") * nb, "montant_en": Decimal("772.40") * nb})
        for g in range(nb):
            groupes.append({"dossier_id": dossier_id, "libelle": f"Groupe {'AB'[g]}", "niveau": "A1", "effectif_prevu": 12,
                            "heures_prevues": Decimal("60"), "heures_financees": Decimal("60"),
                            "date_debut": date(2025, 11, 17), "date_fin": date(2026, 6, 26),
                            "creneaux": [{"jour": "mardi", "debut": "14:00", "fin": "16:00"}]})
    session.execute(insert(Decision), decisions)
    groupe_ids = _inserer(session, Groupe, groupes)

    intervenants = [{"nom": f"Intervenant{k}", "prenom": "Sam", "statut": STATUTS[k % len(STATUTS)], "employeur_principal": "EN",
                     "qualification_fle_fls": k % 3 == 0} for k in range(len(groupe_ids))]
    intervenant_ids = _inserer(session, Intervenant, intervenants)

    lignes_seances, meta = [], []
    for k, groupe_id in enumerate(groupe_ids):
        for n in range(seances):
            minutes = 120 if (k + n) % 4 else 90
            fin = heure(15, 30) if minutes == 90 else heure(16)
            axes = [a for a in ("langue", "ecole", "valeurs") if alea.random() < 0.6] or ["langue"]
            annulee = alea.random() < 0.05
            lignes_seances.append({"groupe_id": groupe_id, "date_seance": PREMIERE_SEANCE + timedelta(weeks=n),
                                   "heure_debut": heure(14), "heure_fin": fin, "minutes": minutes, "axes": axes, "contenu": "",
                                   "annulee": annulee, "motif_annulation": "Grève" if annulee else None})
            meta.append((k, annulee))
    seance_ids = _inserer(session, Seance, lignes_seances)
    travail = []
    for seance_id, ligne, (k, annulee) in zip(seance_ids, lignes_seances, meta):
        if annulee:
            continue
        paye = ligne["date_seance"] < date(2026, 5, 1)
        travail.append({"seance_id": seance_id, "intervenant_id": intervenant_ids[k], "minutes": ligne["minutes"],
                        "liquide_le": date(2026, 5, 10) if paye else None, "taux_paye": TAUX if paye else None,
                        "montant_paye": (TAUX * ligne["minutes"] / 60).quantize(Decimal("0.01")) if paye else None})
    session.execute(insert(SeanceIntervenant), travail)

    seances_du_groupe: dict[int, list[tuple[int, date, bool]]] = {}
    for seance_id, ligne in zip(seance_ids, lignes_seances):
        seances_du_groupe.setdefault(ligne["groupe_id"], []).append((seance_id, ligne["date_seance"], ligne["annulee"]))
    groupes_du_dossier: dict[int, list[int]] = {}
    for groupe_id, ligne in zip(groupe_ids, groupes):
        groupes_du_dossier.setdefault(ligne["dossier_id"], []).append(groupe_id)

    lignes_parents = []
    for p in range(parents):
        dossier_id = dossier_ids[p % len(dossier_ids)]
        groupe_id = alea.choice(groupes_du_dossier[dossier_id])
        inscription = date(2025, 11, 17) if alea.random() < 0.8 else PREMIERE_SEANCE + timedelta(weeks=alea.randint(1, 20))
        sortie = inscription + timedelta(weeks=alea.randint(2, 25)) if alea.random() < 0.15 else None
        pays = alea.choice(PAYS) if alea.random() < 0.9 else None
        lignes_parents.append({
            "dossier_id": dossier_id, "groupe_id": groupe_id, "nom": f"Nom{p}", "prenom": f"Prénom{p}",
            "sexe": "F" if alea.random() < 0.8 else alea.choice(["M", "non_renseigne"]),
            "annee_naissance": alea.randint(1965, 2004) if alea.random() < 0.9 else None,
            "pays_origine": pays, "hors_ue": None if pays is None else pays not in ("RO", "PT", "ES"),
            "langues": alea.sample(LANGUES, alea.randint(0, 2)),
            "annee_arrivee_france": alea.randint(2008, 2025) if alea.random() < 0.85 else None,
            "cir_signe": alea.choice(["oui", "non", "ne_sait_pas"]),
            "protection_internationale": alea.choice(["oui", "non", "ne_sait_pas", "ne_sait_pas"]),
            "niveau_oral": alea.choice(NIVEAUX), "niveau_ecrit": alea.choice(NIVEAUX),
            "orientation_par": alea.choice(ORIENTATIONS), "deja_inscrit_session_precedente": alea.random() < 0.3,
            "consentement_image": False, "langue_fiche": "fr", "date_inscription": inscription,
            "date_sortie": sortie, "motif_sortie": alea.choice(MOTIFS) if sortie else None})
    parent_ids = _inserer(session, Auditeur, lignes_parents)

    presences = []
    for parent_id, ligne in zip(parent_ids, lignes_parents):
        assidu = alea.random()
        for seance_id, jour, annulee in seances_du_groupe[ligne["groupe_id"]]:
            if annulee or jour < ligne["date_inscription"] or (ligne["date_sortie"] and jour > ligne["date_sortie"]):
                continue
            tirage = alea.random()
            statut = "present" if tirage < assidu else "absent_excuse" if tirage < assidu + 0.05 else "absent"
            presences.append({"seance_id": seance_id, "auditeur_id": parent_id, "statut": statut})
    session.execute(insert(Presence), presences)
    session.commit()
    return dossier_ids


def _base_de_bench() -> int:
    from db.migrations_api import upgrade_to_head
    from db.models import Utilisateur
    from demarrage.demo import CALENDRIER_DEMO, semer_referentiel
    from infra.base import session
    from infra.settings import get_settings
    from workflow.noyau.auth import acteur_de, hacher

    upgrade_to_head(get_settings().database_url)
    with session() as s:
        semer_referentiel(s)
        pilote = Utilisateur(identifiant="pilote@bench", nom_affiche="Pilote", role="pilote", mot_de_passe_hash=hacher("x" * 12))
        s.add(pilote)
        s.commit()
        from infra.settings import a_la_date

        with a_la_date(date.fromisoformat(CALENDRIER_DEMO["date_ouverture"])):  # a year in the past: opened on its day
            res = services.executer(s, acteur_de(pilote), "ouvrir_campagne", pdf_apres=False,
                              donnees=CALENDRIER_DEMO | {"budget_p104": "9000000", "budget_en": "4000000"})
        semer_annee(s, res.campagne_id)
        return res.campagne_id


def _chrono(fonction, repetitions: int = 5) -> float:
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        fonction()
        durees.append(time.perf_counter() - debut)
    return statistics.median(durees) * 1000


def main() -> None:
    dossier = tempfile.mkdtemp(prefix="oepre-bench-annee-")
    os.environ["OEPRE_DATABASE_URL"] = f"sqlite:///{dossier}/oepre.sqlite"
    os.environ["OEPRE_DATA_DIR"] = dossier
    os.environ.setdefault("OEPRE_DATE_DU_JOUR", "2026-07-15")
    from sqlmodel import select

    from db.models import Dossier
    from forms.vocabulaire import Role
    from infra.base import session
    from workflow.cloture import bilans, exports, indicateurs
    from workflow.noyau.permissions import Acteur

    campagne_id = _base_de_bench()
    daeps = Acteur(id=None, role=Role.DAEPS, nom="DAEPS")
    with session() as s:
        ids = list(s.exec(select(Dossier.id)))
        lot = _chrono(lambda: bilans.chiffres_bilans(s, ids))
        un_par_un = _chrono(lambda: [bilans.chiffres_bilans(s, [i]) for i in ids])
        tableau = _chrono(lambda: indicateurs.indicateurs(s, daeps, [campagne_id]))
        classeur = _chrono(lambda: exports.classeur_daeps(s, daeps, campagne_id))
    print(f"bilans de {len(ids)} ateliers : en lot {lot:.0f} ms, un par un {un_par_un:.0f} ms ; "
          f"indicateurs {tableau:.0f} ms ; classeur XLSX {classeur:.0f} ms (médianes de 5)")
    print(f"ateliers={len(ids)} parents={PARENTS} bilans_ms={lot:.0f} vs_un_par_un={un_par_un / lot:.1f}x "
          f"indicateurs_ms={tableau:.0f} exports_ms={classeur:.0f}")


if __name__ == "__main__":
    main()
