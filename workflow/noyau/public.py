"""Who the parents are, as the atelier's lists and the bilans count them (spec §11)."""


def est_primo_arrivant(annee_arrivee: int | None, annee_campagne: int) -> bool:
    return annee_arrivee is not None and annee_campagne - annee_arrivee < 5


# Age bands of the bilan pédagogique (spec §8.2: <25, 25–34, 35–44, 45–54, 55+), on the age reached in the campaign's
# year; the liste des auditeurs prints the same bands (one function, tranche_age).
TRANCHES_AGE = (("Moins de 25 ans", None, 24), ("25 à 34 ans", 25, 34), ("35 à 44 ans", 35, 44), ("45 à 54 ans", 45, 54),
                ("55 ans et plus", 55, None))

NON_RENSEIGNE = "Non renseigné"


def tranche_age(annee_naissance: int | None, annee_campagne: int, inconnu: str = NON_RENSEIGNE) -> str:
    """The band of a parent's age (every age has one: the first and last bands are open); `inconnu` without a year."""
    if annee_naissance is None:
        return inconnu
    age = annee_campagne - annee_naissance
    return next(nom for nom, mini, maxi in TRANCHES_AGE if (mini is None or age >= mini) and (maxi is None or age <= maxi))
