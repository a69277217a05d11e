"""The closing's rows of the step table (spec §6, step 11): the two bilans, and abandoning an atelier."""

from forms.cloture import BilanFinancierForm, BilanPedagogiqueForm
from forms.selection import MotifForm
from forms.vocabulaire import EN_ACTIVITE, Etat, Role
from workflow.cloture import actions, bilans, regles
from workflow.noyau.etape import Etape

ETAPES: tuple[Etape, ...] = (
    # The second bilan transmitted closes the dossier; a bilan may be corrected (sent again) after closing.
    Etape("transmettre_bilan_pedagogique", 11, "Transmettre le bilan pédagogique", "dossier", (Role.PORTEUR,),
          BilanPedagogiqueForm, ("bilan_pedagogique",), (Etat.ATELIERS_TERMINES, Etat.CLOS),
          (Etat.ATELIERS_TERMINES, Etat.CLOS), (regles.ecarts_du_bilan,), echeance="date_limite_bilan_pedagogique",
          cible=actions.clos_si_dernier_bilan, action=actions.transmettre_bilan_pedagogique,
          completer=(bilans.completer_bilan_pedagogique,)),
    Etape("transmettre_bilan_financier", 11, "Transmettre le bilan financier", "dossier",
          (Role.PORTEUR, Role.GESTIONNAIRE), BilanFinancierForm, ("bilan_financier",), (Etat.ATELIERS_TERMINES, Etat.CLOS),
          (Etat.ATELIERS_TERMINES, Etat.CLOS), (regles.ecarts_du_bilan,), echeance="date_limite_bilan_financier",
          cible=actions.clos_si_dernier_bilan, action=actions.transmettre_bilan_financier,
          completer=(bilans.completer_bilan_financier,)),
    Etape("abandonner", 11, "Abandonner l'atelier", "dossier", (Role.PORTEUR, Role.PILOTE), MotifForm, (),
          EN_ACTIVITE, (Etat.ABANDONNE,)),
)
