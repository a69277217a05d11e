"""Who the parents are, as the atelier's lists and the bilans count them (spec §11)."""


def est_primo_arrivant(annee_arrivee: int | None, annee_campagne: int) -> bool:
    return annee_arrivee is not None and annee_campagne - annee_arrivee < 5
