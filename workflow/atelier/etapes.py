"""The atelier's rows of the step table (spec §6, steps 5–10): engaging the intervenants, registering the parents,
the séances and their attendance, the pay paperwork, the attestations and the end of the séances."""

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
from forms.cloture import ConfirmationForm
from forms.vocabulaire import RETENUS, Etat, Role
from workflow.atelier import actions, regles
from workflow.noyau.etape import Etape
from workflow.noyau.taux import avec_taux_du_jour

ETAPES: tuple[Etape, ...] = (
    Etape("engager_intervenant", 5, "Engager un intervenant", "dossier", (Role.PORTEUR, Role.GESTIONNAIRE),
          EngagementForm, ("lettre_engagement", "demande_cumul"), (*RETENUS, Etat.EN_COURS),
          action=actions.engager_intervenant, completer=(avec_taux_du_jour,)),
    Etape("suivre_cumul", 5, "Suivre l'autorisation de cumul d'un intervenant", "dossier", (Role.PORTEUR, Role.GESTIONNAIRE),
          CumulForm, (), (*RETENUS, Etat.EN_COURS, Etat.ATELIERS_TERMINES), action=actions.suivre_cumul),
    Etape("inscrire_parent", 6, "Inscrire un parent", "dossier", (Role.PORTEUR, Role.INTERVENANT), InscriptionForm,
          ("fiche_inscription",), (*RETENUS, Etat.EN_COURS), gardes=(regles.blocages_inscription,),
          donnees_personnelles=True, action=actions.inscrire_parent, charger=actions.charger_inscription),
    Etape("lister_auditeurs", 6, "Produire la liste des auditeurs inscrits", "dossier", (Role.PORTEUR,), ListeAuditeursForm,
          ("liste_auditeurs",), (*RETENUS, Etat.EN_COURS, Etat.ATELIERS_TERMINES), donnees_personnelles=True,
          completer=(actions.completer_liste_auditeurs,)),
    Etape("sortir_parent", 6, "Enregistrer la sortie d'un parent", "dossier", (Role.PORTEUR, Role.INTERVENANT),
          MotifSortieForm, (), (*RETENUS, Etat.EN_COURS, Etat.ATELIERS_TERMINES), donnees_personnelles=True,
          action=actions.sortir_parent),
    Etape("evaluer_parent", 7, "Évaluation diagnostique d'un parent", "dossier", (Role.INTERVENANT, Role.PORTEUR),
          EvaluationForm, (), (*RETENUS, Etat.EN_COURS, Etat.ATELIERS_TERMINES), donnees_personnelles=True,
          action=actions.evaluer_parent),
    Etape("enregistrer_seance", 8, "Enregistrer une séance et l'émargement", "dossier",
          (Role.INTERVENANT, Role.PORTEUR), SeanceForm, ("feuille_emargement",), (*RETENUS, Etat.EN_COURS),
          (Etat.EN_COURS,), (regles.blocages_seance,), donnees_personnelles=True, action=actions.enregistrer_seance,
          charger=actions.charger_seance),
    Etape("imprimer_emargement_mensuel", 8, "Imprimer la grille d'émargement du mois", "dossier",
          (Role.INTERVENANT, Role.PORTEUR), EmargementMensuelForm, ("emargement_mensuel",),
          (*RETENUS, Etat.EN_COURS, Etat.ATELIERS_TERMINES), donnees_personnelles=True,
          completer=(actions.completer_emargement_mensuel,)),
    Etape("certifier_service_fait", 9, "Certifier le service fait du mois", "dossier", (Role.PORTEUR,),
          ServiceFaitForm, ("etat_service_fait",), (Etat.EN_COURS, Etat.ATELIERS_TERMINES),
          action=actions.certifier_service_fait, completer=(actions.completer_service_fait,)),
    Etape("liquider", 9, "Établir l'état liquidatif", "dossier", (Role.GESTIONNAIRE,), EtatLiquidatifForm,
          ("etat_liquidatif",), (Etat.EN_COURS, Etat.ATELIERS_TERMINES), gardes=(regles.blocages_liquidation,),
          action=actions.liquider, completer=(actions.completer_etat_liquidatif,), charger=actions.charger_liquidation),
    Etape("recapituler_vacations", 9, "Récapitulatif annuel des vacations d'un intervenant", "dossier",
          (Role.PORTEUR, Role.GESTIONNAIRE), RecapitulatifForm, ("recapitulatif_annuel",),
          (Etat.EN_COURS, Etat.ATELIERS_TERMINES, Etat.CLOS), completer=(actions.completer_recapitulatif,)),
    Etape("attester", 10, "Délivrer une attestation à un parent", "dossier", (Role.PORTEUR,), AttestationForm,
          ("attestation",), (Etat.EN_COURS, Etat.ATELIERS_TERMINES, Etat.CLOS), donnees_personnelles=True,
          completer=(actions.completer_attestation,)),
    Etape("terminer_ateliers", 10, "Terminer les ateliers", "dossier", (Role.PORTEUR,), ConfirmationForm, (),
          (Etat.EN_COURS,), (Etat.ATELIERS_TERMINES,), echeance="date_fin_ateliers"),
)

PAR_CLE: dict[str, Etape] = {e.cle: e for e in ETAPES}
