"""The spine: one declarative table of the yearly cycle's steps (spec §6, steps 0–12).

Each row says who acts, on what, with which form, which documents it produces, which states it
leaves from and goes to, which guards must pass and which campaign date is its deadline. Pages,
navigation, permissions, the contract test of templates, reminders and the diagram derive from it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from forms.atelier import (
    AttestationForm,
    CumulForm,
    EmargementMensuelForm,
    EngagementForm,
    EtatLiquidatifForm,
    EvaluationForm,
    InscriptionForm,
    ListeAuditeursForm,
    MotifSortieForm,
    RecapitulatifForm,
    SeanceForm,
    ServiceFaitForm,
)
from forms.base import FormModel
from forms.campagne import CampagneForm, RouvertureDepotForm
from forms.candidature import CandidatureForm
from forms.cloture import BilanFinancierForm, BilanPedagogiqueForm, ConfirmationForm
from forms.selection import AvisForm, DecisionForm, MotifForm, NotificationCreditsForm, ProcesVerbalForm
from forms.vocabulaire import EN_ACTIVITE, RETENUS, Etat, Role
from workflow import regles
from workflow.regles import Blocage, Situation

Garde = Callable[[Situation], list[Blocage]]


@dataclass(frozen=True)
class Etape:
    cle: str  # the event, an infinitive: deposer, emettre_avis, decider…
    numero: int  # step number of spec §6
    libelle: str
    sujet: Literal["campagne", "dossier"]
    acteurs: tuple[Role, ...]
    form: type[FormModel]
    gabarits: tuple[str, ...] = ()
    depuis: tuple[Etat, ...] = ()
    vers: tuple[Etat, ...] = ()  # empty: the state does not change; several: chosen by `cible`
    gardes: tuple[Garde, ...] = ()
    echeance: str | None = None  # name of the Campagne date that is this step's deadline
    # True when the form holds parents' personal data: it is then not copied into the history.
    donnees_personnelles: bool = False
    # Type of an earlier document of the dossier whose PDF gets this step's PDF appended, as a new version.
    joint_a: str | None = None
    cible: Callable[[FormModel], Etat] | None = field(default=None, compare=False)

    def ouverte(self, role: Role, etat: Etat | str) -> bool:
        """Whether this role may run the step on a dossier in this state (its guards are checked when it runs)."""
        return role in self.acteurs and Etat(etat) in self.depuis

    def etat_cible(self, form: FormModel, etat_actuel: Etat) -> Etat:
        if not self.vers:
            return etat_actuel
        if len(self.vers) == 1:
            return self.vers[0]
        return self.cible(form)


def _clos_si_dernier_bilan(form: FormModel) -> Etat:
    return Etat.CLOS if form.dernier_bilan else Etat.ATELIERS_TERMINES


ETAPES: tuple[Etape, ...] = (
    Etape("ouvrir_campagne", 0, "Ouvrir la campagne (appel à projets)", "campagne", (Role.PILOTE,), CampagneForm,
          ("lettre_appel_a_projets",), gardes=(regles.blocages_ouverture_campagne,), echeance="date_ouverture"),
    Etape("deposer", 1, "Déposer le dossier de candidature", "dossier", (Role.PORTEUR,), CandidatureForm,
          ("dossier_candidature", "accuse_reception"), (Etat.BROUILLON,), (Etat.DEPOSE,),
          (regles.blocages_calendrier_depot, regles.blocages_groupes, regles.blocages_programme,
           regles.blocages_intervenants, regles.blocages_engagements), echeance="date_limite_depot"),
    Etape("rouvrir_depot", 1, "Rouvrir le dépôt après la date limite", "campagne", (Role.PILOTE,), RouvertureDepotForm,
          gardes=(regles.blocages_rouverture,)),
    Etape("renvoyer_pour_correction", 1, "Renvoyer le dossier pour correction", "dossier", (Role.DSDEN, Role.PILOTE),
          MotifForm, (), (Etat.DEPOSE, Etat.AVIS_DONNE), (Etat.BROUILLON,)),
    Etape("emettre_avis", 2, "Émettre l'avis du DASEN", "dossier", (Role.DSDEN,), AvisForm, ("avis_dasen",),
          (Etat.DEPOSE,), (Etat.AVIS_DONNE,), (regles.blocages_avis,), echeance="date_limite_avis_dasen",
          joint_a="dossier_candidature"),
    Etape("decider", 3, "Décision du comité de pilotage", "dossier", (Role.PILOTE,), DecisionForm,
          ("notification_decision",), (Etat.AVIS_DONNE, Etat.LISTE_ATTENTE),
          (Etat.RETENU, Etat.RETENU_SOUS_CONDITIONS, Etat.NON_RETENU, Etat.LISTE_ATTENTE),
          (regles.blocages_decision,), echeance="date_copil", cible=lambda f: Etat(f.decision.value)),
    Etape("etablir_proces_verbal", 3, "Établir le procès-verbal du comité", "campagne", (Role.PILOTE,), ProcesVerbalForm,
          ("proces_verbal",), gardes=(regles.blocages_proces_verbal,), echeance="date_copil"),
    Etape("notifier_credits", 4, "Notifier les crédits", "dossier", (Role.DAEPS,), NotificationCreditsForm,
          ("notification_credits",), RETENUS, gardes=(regles.blocages_notification_credits,), echeance="date_notification"),
    Etape("engager_intervenant", 5, "Engager un intervenant", "dossier", (Role.PORTEUR, Role.GESTIONNAIRE),
          EngagementForm, ("lettre_engagement", "demande_cumul"), (*RETENUS, Etat.EN_COURS)),
    Etape("suivre_cumul", 5, "Suivre l'autorisation de cumul d'un intervenant", "dossier", (Role.PORTEUR, Role.GESTIONNAIRE),
          CumulForm, (), (*RETENUS, Etat.EN_COURS, Etat.ATELIERS_TERMINES)),
    Etape("inscrire_parent", 6, "Inscrire un parent", "dossier", (Role.PORTEUR, Role.INTERVENANT), InscriptionForm,
          ("fiche_inscription",), (*RETENUS, Etat.EN_COURS), gardes=(regles.blocages_inscription,),
          donnees_personnelles=True),
    Etape("lister_auditeurs", 6, "Produire la liste des auditeurs inscrits", "dossier", (Role.PORTEUR,), ListeAuditeursForm,
          ("liste_auditeurs",), (*RETENUS, Etat.EN_COURS, Etat.ATELIERS_TERMINES), donnees_personnelles=True),
    Etape("sortir_parent", 6, "Enregistrer la sortie d'un parent", "dossier", (Role.PORTEUR, Role.INTERVENANT),
          MotifSortieForm, (), (*RETENUS, Etat.EN_COURS, Etat.ATELIERS_TERMINES), donnees_personnelles=True),
    Etape("evaluer_parent", 7, "Évaluation diagnostique d'un parent", "dossier", (Role.INTERVENANT, Role.PORTEUR),
          EvaluationForm, (), (*RETENUS, Etat.EN_COURS), donnees_personnelles=True),
    Etape("enregistrer_seance", 8, "Enregistrer une séance et l'émargement", "dossier",
          (Role.INTERVENANT, Role.PORTEUR), SeanceForm, ("feuille_emargement",), (*RETENUS, Etat.EN_COURS),
          (Etat.EN_COURS,), (regles.blocages_seance,), donnees_personnelles=True),
    Etape("imprimer_emargement_mensuel", 8, "Imprimer la grille d'émargement du mois", "dossier",
          (Role.INTERVENANT, Role.PORTEUR), EmargementMensuelForm, ("emargement_mensuel",),
          (*RETENUS, Etat.EN_COURS, Etat.ATELIERS_TERMINES), donnees_personnelles=True),
    Etape("certifier_service_fait", 9, "Certifier le service fait du mois", "dossier", (Role.PORTEUR,),
          ServiceFaitForm, ("etat_service_fait",), (Etat.EN_COURS, Etat.ATELIERS_TERMINES)),
    Etape("liquider", 9, "Établir l'état liquidatif", "dossier", (Role.GESTIONNAIRE,), EtatLiquidatifForm,
          ("etat_liquidatif",), (Etat.EN_COURS, Etat.ATELIERS_TERMINES), gardes=(regles.blocages_liquidation,)),
    Etape("recapituler_vacations", 9, "Récapitulatif annuel des vacations d'un intervenant", "dossier",
          (Role.PORTEUR, Role.GESTIONNAIRE), RecapitulatifForm, ("recapitulatif_annuel",),
          (Etat.EN_COURS, Etat.ATELIERS_TERMINES, Etat.CLOS)),
    Etape("attester", 10, "Délivrer une attestation à un parent", "dossier", (Role.PORTEUR,), AttestationForm,
          ("attestation",), (Etat.EN_COURS, Etat.ATELIERS_TERMINES, Etat.CLOS), donnees_personnelles=True),
    Etape("terminer_ateliers", 10, "Terminer les ateliers", "dossier", (Role.PORTEUR,), ConfirmationForm, (),
          (Etat.EN_COURS,), (Etat.ATELIERS_TERMINES,), echeance="date_fin_ateliers"),
    # The second bilan transmitted closes the dossier; a bilan may be corrected (sent again) after closing.
    Etape("transmettre_bilan_pedagogique", 11, "Transmettre le bilan pédagogique", "dossier", (Role.PORTEUR,),
          BilanPedagogiqueForm, ("bilan_pedagogique",), (Etat.ATELIERS_TERMINES, Etat.CLOS),
          (Etat.ATELIERS_TERMINES, Etat.CLOS), (regles.ecarts_du_bilan,), echeance="date_limite_bilan_pedagogique",
          cible=_clos_si_dernier_bilan),
    Etape("transmettre_bilan_financier", 11, "Transmettre le bilan financier", "dossier",
          (Role.PORTEUR, Role.GESTIONNAIRE), BilanFinancierForm, ("bilan_financier",), (Etat.ATELIERS_TERMINES, Etat.CLOS),
          (Etat.ATELIERS_TERMINES, Etat.CLOS), (regles.ecarts_du_bilan,), echeance="date_limite_bilan_financier",
          cible=_clos_si_dernier_bilan),
    Etape("abandonner", 11, "Abandonner l'atelier", "dossier", (Role.PORTEUR, Role.PILOTE), MotifForm, (),
          EN_ACTIVITE, (Etat.ABANDONNE,)),
)

ETAPES_PAR_CLE: dict[str, Etape] = {e.cle: e for e in ETAPES}


def etapes_possibles(role: Role, etat: Etat) -> list[Etape]:
    """Dossier steps this role may run from this state (guards are checked when it runs)."""
    return [e for e in ETAPES if e.sujet == "dossier" and e.ouverte(role, etat)]


def diagramme_dot() -> str:
    """The dossier state machine in Graphviz DOT, derived from the table, in French (rendered on the circuit page)."""
    from workflow.format import libelle_role

    lignes = ['digraph G {', '  rankdir=TB; node [shape=box, style="rounded,filled", fillcolor="#E3E3FD", fontname="Helvetica"];',
              '  edge [fontname="Helvetica", fontsize=10];']
    for etat in Etat:
        lignes.append(f'  {etat.value} [label="{etat.libelle}"];')
    for e in ETAPES:
        for de in e.depuis:
            for vers in e.vers:
                roles = ", ".join(libelle_role(r) for r in e.acteurs)
                lignes.append(f'  {de.value} -> {vers.value} [label="{e.numero}. {e.libelle}\\n({roles})"];')
    lignes.append("}")
    return "\n".join(lignes)
