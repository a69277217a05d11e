"""The personal data the service holds, stated once from the forms that collect them and the access sets that read
them: the « Données personnelles » page prints it, and the register entry (art. 30 RGPD) exports it."""

from dataclasses import dataclass

from db.models import Auditeur, Enfant, Evaluation, Intervenant, JournalAudit, Presence, SeanceIntervenant, Utilisateur
from forms.atelier import DonneesPaieForm, EnfantForm, EvaluationForm, InscriptionForm
from forms.base import FormModel
from forms.candidature import IntervenantPrevuForm
from forms.comptes import CompteForm
from forms.vocabulaire import Role
from infra.settings import Settings
from workflow.atelier.intervenants import PAYEURS
from workflow.cloture.exports import LECTEURS_AGREGATS
from workflow.cloture.secret_statistique import SEUIL
from workflow.noyau.permissions import LECTEURS_DOSSIERS, LECTURE_DONNEES_PARENTS

FINALITE = ("Instruire les candidatures des écoles et établissements au dispositif « Ouvrir l'École aux parents pour "
            "la réussite des enfants » (OEPRE), organiser les ateliers (inscriptions, séances, présences, attestations), "
            "rémunérer les intervenants et établir les bilans demandés par les financeurs.")
BASE_LEGALE = ("Exécution d'une mission d'intérêt public (article 6.1.e du RGPD) : le dispositif OEPRE, défini par la "
               "circulaire interministérielle Éducation nationale – Intérieur qui l'organise chaque année.")
DROITS = ("Vous pouvez accéder aux données qui vous concernent, les faire rectifier, demander la limitation de leur "
          "traitement ou vous y opposer (articles 15, 16, 18 et 21 du RGPD). Le droit à l'effacement ne s'applique pas "
          "tant que les données servent à la mission (article 17.3.b) ; elles sont anonymisées à la fin de leur durée "
          "de conservation.")


@dataclass(frozen=True)
class Categorie:
    personnes: str
    formulaires: tuple[type[FormModel], ...]
    tables: tuple[type, ...]  # the SQLModel tables that hold them (the register names their columns)
    lecteurs: tuple[Role, ...]
    conservation: str  # « {mois} » is the configured retention (OEPRE_CONSERVATION_MOIS)
    remarque: str = ""

    def champs(self) -> list[str]:
        """The labels of the fields the forms collect (a nested list of records counts by its own form), each once."""
        vus: list[str] = []
        for formulaire in self.formulaires:
            for info in formulaire.model_fields.values():
                extra = info.json_schema_extra or {}
                if info.title and not extra.get("systeme") and not extra.get("designation") and info.title not in vus:
                    vus.append(info.title)
        return vus

    def lecteurs_fr(self) -> list[str]:
        return [Role(r).libelle for r in self.lecteurs]

    def duree(self, reglages: Settings) -> str:
        return self.conservation.format(mois=reglages.conservation_mois)


CATEGORIES: tuple[Categorie, ...] = (
    Categorie("Parents inscrits à un atelier (auditeurs) et leurs enfants scolarisés",
              (InscriptionForm, EnfantForm, EvaluationForm), (Auditeur, Enfant, Evaluation, Presence), tuple(sorted(LECTURE_DONNEES_PARENTS)),
              "jusqu'au 31 août de l'année du bilan, puis {mois} mois ; elles sont ensuite anonymisées",
              "Seuls l'école ou l'établissement de l'atelier, ses intervenants et la DSDEN de son département lisent "
              "les noms ; les autres rôles ne voient que des effectifs."),
    Categorie("Intervenants des ateliers", (IntervenantPrevuForm,), (Intervenant, SeanceIntervenant), tuple(sorted(LECTEURS_DOSSIERS)),
              "la durée du dossier de l'atelier et de son contrôle (dix ans pour les pièces comptables)"),
    Categorie("Données de paie des intervenants", (DonneesPaieForm,), (Intervenant,), PAYEURS,
              "la durée de la rémunération et de son contrôle (dix ans pour les pièces comptables)",
              "Chiffrées en base : seul le service qui paie les saisit et les lit."),
    Categorie("Personnes ayant un compte (personnels, intervenants)", (CompteForm,), (Utilisateur, JournalAudit),
              (Role.ADMIN,),
              "la durée du compte ; un compte désactivé garde son historique (journal des actions)"),
)
DESTINATAIRES_AGREGATS = tuple(sorted(LECTEURS_AGREGATS))
MESURES_DE_SECURITE = (
    "Une règle d'accès unique par rôle et par périmètre (école, département, académie) décide de toute lecture : page, "
    "liste, téléchargement, PDF, archive, envoi par courriel, export ; les documents qui nomment des parents ne sont "
    "lisibles que de l'école, de ses intervenants et de la DSDEN.",
    "Les données de paie (IBAN, NIR, adresse) sont chiffrées en base ; seul le service payeur les lit.",
    "Les mots de passe sont conservés hachés ; les comptes se bloquent après des échecs répétés ; les sessions expirent.",
    "Chaque écriture est journalisée (qui, quand, quoi) dans un historique en ajout seul.",
    "Les données des parents sont anonymisées à la fin de leur durée de conservation, par une tâche planifiée.",
    f"Les statistiques transmises aux financeurs appliquent le secret statistique (aucun effectif de moins de {SEUIL}).",
)


def colonnes(table: type) -> list[str]:
    """The columns of a table, as the database holds them (the register's « données détenues »)."""
    return [c.name for c in table.__table__.columns]
