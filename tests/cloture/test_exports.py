"""Exports: the DAEPS workbook, the national survey's CSV, the Interior's aggregates (no individual readable)."""

import csv
import io
from collections import Counter

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlmodel import select

from bench.annee import semer_annee
from db.models import Auditeur, Campagne, Dossier, Etablissement
from workflow.cloture import bilans, exports, secret_statistique
from workflow.noyau.permissions import AccesRefuse


@pytest.fixture
def annee(demo):
    campagne = demo.exec(select(Campagne)).one()
    return campagne, semer_annee(demo, campagne.id, ateliers=16, parents=240)


def _noms_de_parents(session) -> set[str]:
    return {a.nom for a in session.exec(select(Auditeur))} | {a.prenom for a in session.exec(select(Auditeur))}


def test_classeur_daeps(demo, acteurs, annee):
    campagne, ids = annee
    classeur = load_workbook(io.BytesIO(exports.classeur_daeps(demo, acteurs["daeps"], campagne.id)))
    assert classeur.sheetnames == ["Dossiers", "Décisions", "Paie", "Bilans"]
    dossiers = list(classeur["Dossiers"].iter_rows(min_row=2, values_only=True))
    assert len(dossiers) == len(demo.exec(select(Dossier)).all())
    paie = classeur["Paie"]
    assert paie["H2"].number_format.endswith('"€"') and isinstance(paie["H2"].value, (int, float))
    bilans_feuille = list(classeur["Bilans"].iter_rows(min_row=2, values_only=True))
    chiffres = bilans.chiffres_bilans(demo, ids)
    par_uai = {demo.get(Dossier, i).uai: c for i, c in chiffres.items()}
    entetes = [c.value for c in classeur["Bilans"][1]]
    for ligne in bilans_feuille:
        uai = next((u for u in par_uai if demo.get(Etablissement, u).nom == ligne[1]), None)
        if uai:
            assert ligne[entetes.index("Parents inscrits")] == par_uai[uai].inscrits_total
    texte = " ".join(str(v) for feuille in classeur for ligne in feuille.iter_rows(values_only=True) for v in ligne if v)
    assert not any(nom in texte.split() for nom in _noms_de_parents(demo))

    dsden = load_workbook(io.BytesIO(exports.classeur_daeps(demo, acteurs["dsden81"], campagne.id)))
    assert {r[4] for r in dsden["Dossiers"].iter_rows(min_row=2, values_only=True)} == {"81"}
    for nom in ("porteur", "intervenant", "gestionnaire", "interieur", "comite"):
        with pytest.raises(AccesRefuse):
            exports.classeur_daeps(demo, acteurs[nom], campagne.id)


def test_csv_enquete_nationale(demo, acteurs, annee):
    campagne, ids = annee
    contenu = exports.csv_enquete_nationale(demo, acteurs["pilote"], campagne.id)
    assert contenu.startswith("\ufeff".encode())
    lignes = list(csv.DictReader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    chiffres = bilans.chiffres_bilans(demo, ids)
    par_uai = {demo.get(Dossier, i).uai: c for i, c in chiffres.items()}
    generees = [ligne for ligne in lignes if ligne["UAI"] in par_uai]
    assert len(generees) == 16
    for ligne in generees:
        c = par_uai[ligne["UAI"]]
        assert int(ligne["Inscrits sur l'année"]) == c.inscrits_total and int(ligne["Assidus"]) == c.assidus
        assert ligne["Heures réalisées"] == str(c.heures_realisees).replace(".", ",")
    porteur = exports.csv_enquete_nationale(demo, acteurs["porteur"], campagne.id).decode("utf-8-sig")
    assert all(ligne["UAI"] == acteurs["porteur"].uai for ligne in csv.DictReader(io.StringIO(porteur), delimiter=";"))
    with pytest.raises(AccesRefuse):
        exports.csv_enquete_nationale(demo, acteurs["interieur"], campagne.id)


def _determinables(tableau: exports.TableauAgrege) -> list[tuple[int, int]]:
    """An attacker's reading, written independently: every equation the table states (each partition adds up to the
    « Parents » column, the départements add up to the académie), solved with numpy's ranks."""
    colonnes = tableau.colonnes
    valeurs = [v for _, v in tableau.lignes]
    caches = [(r, c) for r, ligne in enumerate(valeurs) for c, v in enumerate(ligne) if v is None]
    index = {x: k for k, x in enumerate(caches)}
    equations = []
    parents = colonnes.index("Parents")
    for r in range(len(valeurs)):
        for partition in exports.PARTITIONS:
            equations.append([(r, parents, 1), *((r, colonnes.index(c), -1) for c in partition)])
    for c in range(1, len(colonnes)):
        equations.append([(len(valeurs) - 1, c, 1), *((r, c, -1) for r in range(len(valeurs) - 1))])
    matrice = numpy.array([[sum(s for r, c, s in e if (r, c) == x) for x in caches] for e in equations] or [[0] * len(caches)],
                          dtype=float)
    rang = numpy.linalg.matrix_rank(matrice) if caches else 0
    return [x for x in caches if numpy.linalg.matrix_rank(numpy.vstack([matrice, numpy.eye(len(caches))[index[x]]])) == rang]


def test_agregats_interieur_aucun_individu_lisible(demo, acteurs, annee):
    campagne, ids = annee
    # A parent alone of her kind in a small département: the typical disclosure risk.
    seule = demo.exec(select(Auditeur).where(Auditeur.dossier_id == ids[0])).first()
    seule.protection_internationale, seule.pays_origine, seule.annee_naissance = "oui", "KP", 1950
    demo.add(seule)
    demo.commit()
    par_departement, par_pays = exports.agregats_interieur(demo, acteurs["interieur"], campagne.id)
    comptes = [v for _, ligne in par_departement.lignes for v in ligne[1:] if v is not None]
    assert comptes and all(v >= secret_statistique.SEUIL for v in comptes)
    assert _determinables(par_departement) == []
    assert any(v is None for _, ligne in par_departement.lignes for v in ligne)  # something had to be hidden
    assert all(n is None or n >= secret_statistique.SEUIL for _, (n,) in par_pays.lignes)
    assert "Corée du Nord" not in {nom for nom, _ in par_pays.lignes}
    # The published totals are the true ones.
    finances = [d.id for d in demo.exec(select(Dossier)) if d.etat not in ("brouillon", "depose", "avis_donne", "non_retenu",
                                                                           "liste_attente")]
    vrais = Counter(demo.get(Etablissement, demo.get(Dossier, a.dossier_id).uai).departement_code
                    for a in demo.exec(select(Auditeur).where(Auditeur.dossier_id.in_(finances))))
    for libelle_ligne, ligne in par_departement.lignes[:-1]:
        assert ligne[1] in (None, vrais[libelle_ligne.split()[-1]])
    texte = "\n".join(t.en_csv() for t in (par_departement, par_pays))
    assert not any(nom in texte for nom in _noms_de_parents(demo)) and "UAI" not in texte
    for nom in ("porteur", "dsden31", "comite", "casnav", "gestionnaire"):
        with pytest.raises(AccesRefuse):
            exports.agregats_interieur(demo, acteurs[nom], campagne.id)


def test_secret_statistique_cas_d_ecole():
    table = [[10, 3, 7], [12, 6, 6], [22, 9, 13]]
    equations = [[(0, 0), (0, 1), (0, 2)], [(1, 0), (1, 1), (1, 2)], [(2, 0), (2, 1), (2, 2)],
                 [(2, 0), (0, 0), (1, 0)], [(2, 1), (0, 1), (1, 1)], [(2, 2), (0, 2), (1, 2)]]
    assert secret_statistique.masquer(table, equations) == [[10, None, None], [12, None, None], [22, 9, 13]]
    assert secret_statistique.regrouper_petits(Counter({"Maroc": 9, "Algérie": 6, "Syrie": 2, "Mali": 1}), "Autres") == [
        ("Maroc", 9), ("Autres", 9)]
    assert secret_statistique.regrouper_petits(Counter({"Maroc": 9, "Syrie": 6, "Mali": 1}), "Autres") == [
        ("Maroc", 9), ("Autres", 7)]
    assert secret_statistique.regrouper_petits(Counter({"Mali": 3}), "Autres") == [("Autres", None)]


def test_aucun_code_interne_dans_les_exports(demo, acteurs, annee):
    """Issue 13, item 10: every cell of the workbook and of the survey's CSV reads as French (« Retenu », « Favorable
    avec réserve », « Enseignant UPE2A »), never as an internal code or « None »."""
    from tests.support.codes_internes import cellules_suspectes

    campagne, _ = annee
    classeur = load_workbook(io.BytesIO(exports.classeur_daeps(demo, acteurs["daeps"], campagne.id)))
    for feuille in classeur:
        valeurs = [v for ligne in feuille.iter_rows(values_only=True) for v in ligne]
        assert len(valeurs) > len(feuille[1]), feuille.title  # the sheet has rows to check
        assert cellules_suspectes(valeurs) == [], feuille.title
    contenu = exports.csv_enquete_nationale(demo, acteurs["pilote"], campagne.id).decode("utf-8-sig")
    assert cellules_suspectes(c for ligne in csv.reader(io.StringIO(contenu), delimiter=";") for c in ligne) == []


@settings(max_examples=150, deadline=None)
@given(lignes=st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=2), min_size=0, max_size=4))
def test_secret_statistique_toute_table_a_totaux(lignes):
    """Any table of parts with its row totals and its total row, none at all included (an académie with no parent yet:
    the totals of no rows are 0, which no hiding can protect nor needs to): every published count is five or more,
    and no hidden count follows from what is published, except what the table's shape alone gives."""
    brut = [[a + b, a, b] for a, b in lignes]
    table = [*brut, [sum(ligne[k] for ligne in brut) for k in range(3)]]
    n = len(brut)
    equations = [[(r, 0), (r, 1), (r, 2)] for r in range(n + 1)]
    equations += [[(n, k), *((r, k) for r in range(n))] for k in range(3)]
    masquee = secret_statistique.masquer(table, equations)
    caches = {(r, c) for r, ligne in enumerate(masquee) for c, v in enumerate(ligne) if v is None}
    assert all(v is None or v >= secret_statistique.SEUIL for ligne in masquee for v in ligne)
    for r, c in secret_statistique.cellules_determinees(table, caches, equations):
        assert table[r][c] == 0 and n == 0  # only a total of no rows is ever determined: 0, by construction
