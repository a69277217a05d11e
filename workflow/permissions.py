"""Who may do what, on which scope (spec §3.3). Every service function calls these checks itself:
a page hiding a button is never the security boundary."""

from dataclasses import dataclass

from forms.vocabulaire import Role


class AccesRefuse(PermissionError):
    """Raised (and written to the audit log by the caller) when an actor leaves its scope."""


@dataclass(frozen=True)
class Acteur:
    id: int | None
    role: Role
    nom: str
    uai: str | None = None
    departement: str | None = None
    intervenant_id: int | None = None
    peut_deposer: bool = True  # False for a teacher drafting on the head's behalf

    @property
    def libelle(self) -> str:
        return f"{self.nom} ({self.role.value})"


# Roles that see every dossier of the académie (read access; writing is decided per step).
LECTURE_ACADEMIQUE = {Role.PILOTE, Role.DAEPS, Role.COMITE, Role.CASNAV, Role.ADMIN}
# Roles allowed to read parents' personal data, each on its own scope (spec §10 rule 4).
LECTURE_DONNEES_PARENTS = {Role.PORTEUR, Role.INTERVENANT, Role.DSDEN}


def dans_perimetre(acteur: Acteur, *, uai: str, departement: str, intervenant_dossier: bool = False) -> bool:
    """Is a dossier of school `uai` in département `departement` within the actor's scope?"""
    match acteur.role:
        case Role.PORTEUR:
            return acteur.uai is not None and acteur.uai == uai
        case Role.INTERVENANT:
            return intervenant_dossier
        case Role.GESTIONNAIRE:
            return (acteur.uai is not None and acteur.uai == uai) or (
                acteur.uai is None and acteur.departement is not None and acteur.departement == departement)
        case Role.DSDEN:
            return acteur.departement is not None and acteur.departement == departement
        case Role.INTERIEUR:
            return False  # aggregates only
        case _:
            return acteur.role in LECTURE_ACADEMIQUE


def exiger_role(acteur: Acteur, roles: tuple[Role, ...] | set[Role], action: str) -> None:
    if acteur.role not in roles:
        raise AccesRefuse(f"Action refusée : « {action} » n'est pas ouverte au rôle {acteur.role.value}.")


def exiger_perimetre(acteur: Acteur, *, uai: str, departement: str, intervenant_dossier: bool = False) -> None:
    if not dans_perimetre(acteur, uai=uai, departement=departement, intervenant_dossier=intervenant_dossier):
        raise AccesRefuse("Accès refusé : ce dossier n'est pas dans votre périmètre.")


# Documents that name parents (spec §10 rule 4), and the roles that may read them, each within its scope.
# The signed attendance sheets are also the paying service's evidence of service fait; attestations are
# also the DAEPS's, which prints the académie's batch. Every other document follows the dossier's scope.
LECTEURS_DOCUMENTS_NOMINATIFS: dict[str, frozenset[Role]] = {
    "fiche_inscription": frozenset(LECTURE_DONNEES_PARENTS),
    "liste_auditeurs": frozenset(LECTURE_DONNEES_PARENTS),
    "feuille_emargement": frozenset(LECTURE_DONNEES_PARENTS | {Role.GESTIONNAIRE}),
    "emargement_signe": frozenset(LECTURE_DONNEES_PARENTS | {Role.GESTIONNAIRE}),
    "emargement_mensuel": frozenset(LECTURE_DONNEES_PARENTS | {Role.GESTIONNAIRE}),
    "attestation": frozenset(LECTURE_DONNEES_PARENTS | {Role.DAEPS}),
    "attestations_lot": frozenset(LECTURE_DONNEES_PARENTS | {Role.DAEPS}),
}


def peut_lire_document(acteur: Acteur, *, type_document: str, sujet: str, dans_un_dossier: bool) -> bool:
    """May the actor read this document, once the dossier's own scope (if any) has been checked?"""
    lecteurs = LECTEURS_DOCUMENTS_NOMINATIFS.get(type_document)
    if lecteurs is None:
        return True
    if acteur.role not in lecteurs:
        return False
    if dans_un_dossier:
        return True
    # A batch outside any dossier: « campagne:1 » is the académie's (DAEPS), « campagne:1:departement:31 » a DSDEN's.
    _, _, departement = sujet.partition(":departement:")
    if departement:
        return acteur.role == Role.DAEPS or (acteur.role == Role.DSDEN and acteur.departement == departement)
    return acteur.role == Role.DAEPS
