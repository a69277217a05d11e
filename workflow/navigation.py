"""Which pages each role sees, derived from the step table where a page runs a step."""

from dataclasses import dataclass

from forms.vocabulaire import Role
from workflow.attestations import PRODUCTEURS_ACADEMIE
from workflow.bilans import LECTEURS_BILANS
from workflow.etapes import ETAPES_PAR_CLE
from workflow.exports import EXPORTATEURS_CLASSEUR, LECTEURS_AGREGATS
from workflow.indicateurs import LECTEURS_INDICATEURS
from workflow.notifications import LECTEURS_BOITE

TOUS = tuple(Role)
PERSONNELS = (Role.PILOTE, Role.DAEPS, Role.COMITE, Role.CASNAV, Role.DSDEN, Role.ADMIN, Role.INTERIEUR)


def acteurs_de(*cles: str) -> tuple[Role, ...]:
    roles: list[Role] = []
    for cle in cles:
        roles += [r for r in ETAPES_PAR_CLE[cle].acteurs if r not in roles]
    return tuple(roles)


@dataclass(frozen=True)
class PageApp:
    fichier: str
    titre: str
    icone: str
    url: str
    section: str
    roles: tuple[Role, ...]


# Roles that may read dossiers (Intérieur sees aggregates only, spec §10 rule 4).
LECTEURS_DOSSIERS = tuple(r for r in Role if r != Role.INTERIEUR)

PAGES: tuple[PageApp, ...] = (
    PageApp("pages/accueil.py", "Tableau de bord", ":material/dashboard:", "accueil", "Suivi", TOUS),
    PageApp("pages/candidature.py", "Dossier de candidature", ":material/edit_document:", "candidature", "Candidature",
            acteurs_de("deposer")),
    PageApp("pages/avis.py", "Avis du DASEN", ":material/rate_review:", "avis", "Sélection", acteurs_de("emettre_avis")),
    PageApp("pages/decisions.py", "Comité de pilotage", ":material/gavel:", "comite", "Sélection",
            (*acteurs_de("decider"), Role.COMITE)),
    PageApp("pages/seances.py", "Séances et émargement", ":material/event_available:", "seances", "Atelier",
            acteurs_de("enregistrer_seance")),
    PageApp("pages/parents.py", "Parents et attestations", ":material/family_restroom:", "parents", "Atelier",
            acteurs_de("inscrire_parent", "attester")),
    PageApp("pages/attestations.py", "Attestations en lot", ":material/library_books:", "attestations", "Atelier",
            PRODUCTEURS_ACADEMIE),
    PageApp("pages/paie.py", "Service fait et paie", ":material/payments:", "paie", "Atelier",
            acteurs_de("certifier_service_fait", "liquider")),
    PageApp("pages/intervenants.py", "Intervenants", ":material/badge:", "intervenants", "Atelier",
            (Role.PORTEUR, Role.GESTIONNAIRE, Role.DSDEN)),
    PageApp("pages/vivier.py", "Vivier du CASNAV", ":material/group_add:", "vivier", "Atelier", (Role.PORTEUR, Role.CASNAV)),
    PageApp("pages/bilans.py", "Bilans de fin d'année", ":material/summarize:", "bilans", "Clôture", LECTEURS_BILANS),
    PageApp("pages/indicateurs.py", "Indicateurs", ":material/monitoring:", "indicateurs", "Clôture", LECTEURS_INDICATEURS),
    PageApp("pages/exports.py", "Exports", ":material/download:", "exports", "Clôture",
            tuple(dict.fromkeys((*EXPORTATEURS_CLASSEUR, *LECTEURS_AGREGATS)))),
    PageApp("pages/dossier.py", "Dossiers", ":material/folder_open:", "dossiers", "Suivi", LECTEURS_DOSSIERS),
    PageApp("pages/documents.py", "Documents produits", ":material/description:", "documents", "Suivi", LECTEURS_DOSSIERS),
    PageApp("pages/revue.py", "Relecture des documents", ":material/fact_check:", "relecture", "Pilotage",
            (Role.DAEPS, Role.PILOTE)),
    PageApp("pages/campagne.py", "Campagne et appel à projets", ":material/campaign:", "campagne", "Pilotage",
            (Role.PILOTE, Role.DAEPS, Role.COMITE, Role.CASNAV, Role.ADMIN)),
    PageApp("pages/taux.py", "Taux de vacation", ":material/euro:", "taux", "Pilotage",
            (Role.PILOTE, Role.DAEPS, Role.GESTIONNAIRE, Role.ADMIN)),
    PageApp("pages/courriels.py", "Boîte d'envoi", ":material/outbox:", "courriels", "Suivi", LECTEURS_BOITE),
    PageApp("pages/carte.py", "Carte des ateliers", ":material/map:", "carte", "Suivi", TOUS),
    PageApp("pages/circuit.py", "Circuit du dossier", ":material/account_tree:", "circuit", "Pilotage", TOUS),
    PageApp("pages/comptes.py", "Comptes", ":material/manage_accounts:", "comptes", "Administration", (Role.ADMIN,)),
)


def pages_du_role(role: Role) -> list[PageApp]:
    return [p for p in PAGES if role in p.roles]

