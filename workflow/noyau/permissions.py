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
    academie: str | None = None  # the académie whose data the account sees; None: the deployment's (OEPRE_ACADEMIE)

    @property
    def libelle(self) -> str:
        return f"{self.nom} ({self.role.value})"


# Roles that see every dossier of the académie (read access; writing is decided per step).
LECTURE_ACADEMIQUE = {Role.PILOTE, Role.DAEPS, Role.COMITE, Role.CASNAV, Role.ADMIN}
# Roles that may read dossiers: every one but the Intérieur, which sees aggregates only (spec §10 rule 4).
LECTEURS_DOSSIERS = frozenset(Role) - {Role.INTERIEUR}
# The académie's and the départements' staff, who follow the dossiers by state and département.
PERSONNELS = frozenset(LECTURE_ACADEMIQUE | {Role.DSDEN, Role.INTERIEUR})
# What only the administrator does (accounts, the rate table, the directory import).
ADMINISTRATEURS = frozenset({Role.ADMIN})
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


# --- Reading a document: the one rule, whatever the path (list, download, PDF, preview, ZIP, batch) ---------

# The roles the steering committee is made of (booklet, spec §3.2: CT-EVS, CASNAV, DAEPS and a representative
# of the Ministère de l'Intérieur), who read its procès-verbal; the admin and the DSDEN, who prepared the
# opinions, read it too. Heads learn their own decision from their notification.
LECTEURS_PROCES_VERBAL = frozenset({Role.PILOTE, Role.COMITE, Role.CASNAV, Role.DAEPS, Role.INTERIEUR, Role.ADMIN, Role.DSDEN})


# Beyond the roles reading parents' data: the signed attendance sheets are also the paying service's evidence
# of service fait; attestations are also the DAEPS's, which prints the académie's batch.
LECTEURS_EN_PLUS: dict[str, frozenset[Role]] = {
    **dict.fromkeys(("feuille_emargement", "emargement_signe", "emargement_mensuel"), frozenset({Role.GESTIONNAIRE})),
    **dict.fromkeys(("attestation", "attestations_lot"), frozenset({Role.DAEPS})),
}


@dataclass(frozen=True)
class DocumentSitue:
    """What the read rule needs to know of a stored document: its type and subject, and for a dossier's
    document the dossier's school and département and whether the actor is engaged on it; whether it names parents."""

    type_document: str
    sujet: str
    uai: str | None = None  # None: a campaign document (call for projects, procès-verbal, batches)
    departement: str | None = None
    intervenant_engage: bool = False
    nominatif: bool = False  # it names parents (workflow.etapes.documents_nominatifs)


NOMINATIF_REFUSE = "Accès refusé : ce document nomme des parents, il n'est pas accessible à votre rôle."
HORS_PERIMETRE = "Accès refusé : ce document n'est pas dans votre périmètre."


def peut_lire_document(acteur: Acteur, doc: DocumentSitue) -> bool:
    """May the actor read this document? The only answer to that question in the service."""
    return refus_de_lecture(acteur, doc) is None


def refus_de_lecture(acteur: Acteur, doc: DocumentSitue) -> str | None:
    """Why the actor may not read this document, in French; None when they may (see peut_lire_document)."""
    if doc.nominatif and acteur.role not in (
            LECTURE_DONNEES_PARENTS | LECTEURS_EN_PLUS.get(doc.type_document, frozenset())):
        return NOMINATIF_REFUSE
    if doc.uai is not None:
        lisible = dans_perimetre(acteur, uai=doc.uai, departement=doc.departement or "", intervenant_dossier=doc.intervenant_engage)
    else:
        match doc.type_document:
            case "lettre_appel_a_projets":
                lisible = True  # the public call
            case "proces_verbal":
                lisible = acteur.role in LECTEURS_PROCES_VERBAL
            case "attestations_lot":
                # « campagne:1 » is the académie's batch (DAEPS), « campagne:1:departement:31 » a DSDEN's.
                _, _, departement = doc.sujet.partition(":departement:")
                lisible = acteur.role == Role.DAEPS or bool(
                    departement and acteur.role == Role.DSDEN and acteur.departement == departement)
            case _:
                lisible = False  # a campaign document nobody declared: closed until a rule says who reads it
    return None if lisible else HORS_PERIMETRE
