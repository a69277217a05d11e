"""Which pages each role sees: the roles of the steps a page runs (workflow.etapes.acteurs_de), or the access sets
of what it reads."""

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from forms.vocabulaire import Role
from workflow.atelier.attestations import PRODUCTEURS_ACADEMIE
from workflow.atelier.vivier import DEMANDEURS, TENEURS_DU_VIVIER
from workflow.automatismes.notifications import LECTEURS_BOITE
from workflow.automatismes.transitions import DESTINATAIRES
from workflow.cloture.bilans import LECTEURS_BILANS
from workflow.cloture.exports import EXPORTATEURS_CLASSEUR, LECTEURS_AGREGATS
from workflow.cloture.indicateurs import LECTEURS_INDICATEURS
from workflow.comptes import CHEFS_D_EQUIPE
from workflow.etapes import acteurs_de
from workflow.modeles import REDACTEURS as REDACTEURS_MODELES
from workflow.noyau.permissions import ADMINISTRATEURS, LECTEURS_DOSSIERS, LECTURE_ACADEMIQUE
from workflow.noyau.signatures import SETTERS as SIGNATAIRES
from workflow.revue import RELECTEURS

TOUS = tuple(Role)


@dataclass(frozen=True)
class PageApp:
    fichier: str
    titre: str
    icone: str
    section: str
    lecteurs: Collection[Role] = ()  # the access set of what the page reads
    etapes: tuple[str, ...] = ()  # the steps it runs: their rows' roles see it too

    @property
    def roles(self) -> tuple[Role, ...]:
        return tuple(dict.fromkeys((*self.lecteurs, *acteurs_de(*self.etapes))))

    @property
    def url(self) -> str:
        """The page's address is its file's name (/dossier for pages/dossier.py): on a server just started, before any
        run of app.py, Streamlit serves a link by the files of pages/ (app.py then takes over, pages/_commun/tour.routeur),
        so both ways of reading a link must lead to the same page."""
        return Path(self.fichier).stem


PAGES: tuple[PageApp, ...] = (
    PageApp("pages/accueil.py", "Tableau de bord", ":material/dashboard:", "Suivi", TOUS),
    PageApp("pages/candidature.py", "Dossier de candidature", ":material/edit_document:", "Candidature",
            etapes=("deposer",)),
    PageApp("pages/avis.py", "Avis du DASEN", ":material/rate_review:", "Sélection", etapes=("emettre_avis",)),
    PageApp("pages/decisions.py", "Comité de pilotage", ":material/gavel:", "Sélection",
            (Role.COMITE,), ("decider",)),  # the committee reads the agenda
    PageApp("pages/seances.py", "Séances et émargement", ":material/event_available:", "Atelier",
            etapes=("enregistrer_seance",)),
    PageApp("pages/parents.py", "Parents et attestations", ":material/family_restroom:", "Atelier",
            etapes=("inscrire_parent", "attester")),
    PageApp("pages/attestations.py", "Attestations en lot", ":material/library_books:", "Atelier",
            PRODUCTEURS_ACADEMIE),
    PageApp("pages/paie.py", "Service fait et paie", ":material/payments:", "Atelier",
            etapes=("certifier_service_fait", "liquider")),
    PageApp("pages/intervenants.py", "Intervenants", ":material/badge:", "Atelier",
            (Role.PORTEUR, Role.GESTIONNAIRE, Role.DSDEN)),
    PageApp("pages/vivier.py", "Vivier du CASNAV", ":material/group_add:", "Atelier",
            (*DEMANDEURS, *TENEURS_DU_VIVIER)),
    PageApp("pages/bilans.py", "Bilans de fin d'année", ":material/summarize:", "Clôture", LECTEURS_BILANS),
    PageApp("pages/indicateurs.py", "Indicateurs", ":material/monitoring:", "Clôture", LECTEURS_INDICATEURS),
    PageApp("pages/exports.py", "Exports", ":material/download:", "Clôture",
            (*EXPORTATEURS_CLASSEUR, *LECTEURS_AGREGATS)),
    PageApp("pages/dossier.py", "Dossiers", ":material/folder_open:", "Suivi", LECTEURS_DOSSIERS),
    PageApp("pages/documents.py", "Documents produits", ":material/description:", "Suivi", LECTEURS_DOSSIERS),
    PageApp("pages/revue.py", "Relecture des documents", ":material/fact_check:", "Pilotage", RELECTEURS),
    PageApp("pages/campagne.py", "Campagne et appel à projets", ":material/campaign:", "Pilotage",
            LECTURE_ACADEMIQUE),
    PageApp("pages/profil.py", "Profil de l'académie", ":material/tune:", "Pilotage", LECTURE_ACADEMIQUE),
    PageApp("pages/signatures.py", "Signature et cachet", ":material/signature:", "Pilotage", SIGNATAIRES),
    PageApp("pages/modeles.py", "Modèles de documents", ":material/design_services:", "Pilotage", REDACTEURS_MODELES),
    PageApp("pages/taux.py", "Taux de vacation", ":material/euro:", "Pilotage",
            (Role.PILOTE, Role.DAEPS, Role.GESTIONNAIRE, Role.ADMIN)),
    PageApp("pages/courriels.py", "Boîte d'envoi", ":material/outbox:", "Suivi", LECTEURS_BOITE),
    PageApp("pages/mes_courriels.py", "Mes courriels", ":material/mail:", "Suivi", DESTINATAIRES),
    PageApp("pages/carte.py", "Carte des ateliers", ":material/map:", "Suivi", TOUS),
    PageApp("pages/circuit.py", "Circuit du dossier", ":material/account_tree:", "Pilotage", TOUS),
    PageApp("pages/comptes.py", "Comptes", ":material/manage_accounts:", "Administration", ADMINISTRATEURS),
    PageApp("pages/equipe.py", "Équipe", ":material/group:", "Candidature", CHEFS_D_EQUIPE),
)
# The pages a public service owes everyone (issue 18): served with or without signing in, linked in every page's footer.
PAGES_D_INFORMATION: tuple[PageApp, ...] = (
    PageApp("pages/accessibilite.py", "Accessibilité", ":material/accessibility:", "Informations", TOUS),
    PageApp("pages/mentions_legales.py", "Mentions légales", ":material/gavel:", "Informations", TOUS),
    PageApp("pages/donnees_personnelles.py", "Données personnelles", ":material/shield_person:", "Informations", TOUS),
)
# Pages served without signing in (app.py): the link of a password e-mail lands on the first.
PAGES_PUBLIQUES: tuple[PageApp, ...] = (
    PageApp("pages/mot_de_passe.py", "Choisir un mot de passe", ":material/password:", "Public", TOUS),
    *PAGES_D_INFORMATION,
)


def pages_du_role(role: Role) -> list[PageApp]:
    return [p for p in PAGES if role in p.roles]

