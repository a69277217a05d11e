"""Statistical disclosure control for the aggregates given outside the Éducation nationale (spec §10 rule 4).

A count under five people is never published (primary suppression). Because tables come with totals, a
hidden cell could be computed back from the published ones: cells are then hidden together (secondary
suppression) until no hidden cell is determined by the table's equations. The check is exact: the
equations are solved over the rationals and a hidden cell counts as disclosed whenever elimination isolates it."""

from collections import Counter
from fractions import Fraction

SEUIL = 5

Cellule = tuple[int, int]


def masquer(table: list[list[int]], equations: list[list[Cellule]]) -> list[list[int | None]]:
    """`table` with the cells to hide set to None. Each equation lists cells whose first one is the sum of the others."""
    caches = {(r, c) for r, ligne in enumerate(table) for c, v in enumerate(ligne) if v < SEUIL}
    totaux = {e[0] for e in equations}
    while devoiles := set(cellules_determinees(table, caches, equations)):
        # Hide one more cell sharing an equation with a disclosed one: the smallest, a total only when nothing else is left.
        voisines = {x for e in equations if devoiles & set(e) for x in e if x not in caches}
        if not voisines:  # nothing left to hide around them: the table's shape alone gives them (a total of no rows is 0)
            break
        caches.add(min(voisines, key=lambda x: (x in totaux, table[x[0]][x[1]], x)))
    return [[None if (r, c) in caches else v for c, v in enumerate(ligne)] for r, ligne in enumerate(table)]


def cellules_determinees(table: list[list[int]], caches: set[Cellule], equations: list[list[Cellule]]) -> list[Cellule]:
    """Hidden cells whose value follows from the published cells and the equations (Gauss–Jordan over the rationals)."""
    inconnues = sorted(caches)
    rang = {x: k for k, x in enumerate(inconnues)}
    lignes = []
    for total, *parties in equations:
        coefficients = [Fraction(0)] * len(inconnues)
        constante = Fraction(0)
        for cellule, signe in ((total, 1), *((p, -1) for p in parties)):
            if cellule in rang:
                coefficients[rang[cellule]] += signe
            else:
                constante -= signe * table[cellule[0]][cellule[1]]
        if any(coefficients):
            lignes.append(coefficients + [constante])
    pivot_ligne = 0
    for colonne in range(len(inconnues)):
        pivot = next((i for i in range(pivot_ligne, len(lignes)) if lignes[i][colonne]), None)
        if pivot is None:
            continue
        lignes[pivot_ligne], lignes[pivot] = lignes[pivot], lignes[pivot_ligne]
        facteur = lignes[pivot_ligne][colonne]
        lignes[pivot_ligne] = [x / facteur for x in lignes[pivot_ligne]]
        for i in range(len(lignes)):
            if i != pivot_ligne and lignes[i][colonne]:
                f = lignes[i][colonne]
                lignes[i] = [a - f * b for a, b in zip(lignes[i], lignes[pivot_ligne])]
        pivot_ligne += 1
    return [inconnues[next(k for k, x in enumerate(ligne[:-1]) if x)] for ligne in lignes[:pivot_ligne]
            if sum(1 for x in ligne[:-1] if x) == 1]


def regrouper_petits(compte: Counter, autres: str) -> list[tuple[str, int | None]]:
    """Categories under five people merged into `autres`, itself grown from the smallest categories until it reaches
    five (a list of a single category under five publishes nothing)."""
    publies = sorted(((k, n) for k, n in compte.items() if n >= SEUIL), key=lambda x: (-x[1], x[0]))
    reste = sum(n for n in compte.values() if n < SEUIL)
    while 0 < reste < SEUIL and publies:
        reste += publies.pop()[1]
    if 0 < reste < SEUIL:
        return [(autres, None)]
    return [*publies, *([(autres, reste)] if reste else [])]
