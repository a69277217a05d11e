"""The selection's rows of the step table (spec §6, steps 0–4): the call for projects, the application, the DASEN's
opinion, the committee's decision and the credits notification."""

from forms.campagne import CampagneForm, RouvertureDepotForm
from forms.candidature import CandidatureForm
from forms.selection import AvisForm, DecisionForm, MotifForm, NotificationCreditsForm, ProcesVerbalForm
from forms.vocabulaire import RETENUS, Etat, Role
from workflow.noyau.etape import Etape
from workflow.noyau.taux import avec_taux_du_jour
from workflow.selection import actions, regles

ETAPES: tuple[Etape, ...] = (
    Etape("ouvrir_campagne", 0, "Ouvrir la campagne (appel à projets)", "campagne", (Role.PILOTE,), CampagneForm,
          ("lettre_appel_a_projets",), gardes=(regles.blocages_ouverture_campagne,), echeance="date_ouverture",
          action=actions.ouvrir_campagne),
    Etape("deposer", 1, "Déposer le dossier de candidature", "dossier", (Role.PORTEUR,), CandidatureForm,
          ("dossier_candidature", "accuse_reception"), (Etat.BROUILLON,), (Etat.DEPOSE,),
          (regles.blocages_calendrier_depot, regles.blocages_groupes, regles.blocages_programme,
           regles.blocages_intervenants, regles.blocages_engagements), echeance="date_limite_depot", titulaire_seul=True,
          action=actions.deposer, completer=(avec_taux_du_jour,), charger=actions.charger_depot),
    Etape("rouvrir_depot", 1, "Rouvrir le dépôt après la date limite", "campagne", (Role.PILOTE,), RouvertureDepotForm,
          gardes=(regles.blocages_rouverture,), action=actions.rouvrir_depot),
    Etape("renvoyer_pour_correction", 1, "Renvoyer le dossier pour correction", "dossier", (Role.DSDEN, Role.PILOTE),
          MotifForm, (), (Etat.DEPOSE, Etat.AVIS_DONNE), (Etat.BROUILLON,)),
    Etape("emettre_avis", 2, "Émettre l'avis du DASEN", "dossier", (Role.DSDEN,), AvisForm, ("avis_dasen",),
          (Etat.DEPOSE,), (Etat.AVIS_DONNE,), (regles.blocages_avis,), echeance="date_limite_avis_dasen",
          joint_a="dossier_candidature", action=actions.emettre_avis, charger=actions.charger_avis),
    Etape("decider", 3, "Décision du comité de pilotage", "dossier", (Role.PILOTE,), DecisionForm,
          ("notification_decision",), (Etat.AVIS_DONNE, Etat.LISTE_ATTENTE),
          (Etat.RETENU, Etat.RETENU_SOUS_CONDITIONS, Etat.NON_RETENU, Etat.LISTE_ATTENTE),
          (regles.blocages_decision,), echeance="date_copil", cible=lambda f: Etat(f.decision.value),
          action=actions.decider, charger=actions.charger_decision),
    Etape("etablir_proces_verbal", 3, "Établir le procès-verbal du comité", "campagne", (Role.PILOTE,), ProcesVerbalForm,
          ("proces_verbal",), gardes=(regles.blocages_proces_verbal,), echeance="date_copil",
          action=actions.etablir_proces_verbal, completer=(actions.completer_proces_verbal,)),
    Etape("notifier_credits", 4, "Notifier les crédits", "dossier", (Role.DAEPS,), NotificationCreditsForm,
          ("notification_credits",), RETENUS, gardes=(regles.blocages_notification_credits,), echeance="date_notification",
          charger=actions.charger_notification),
)
