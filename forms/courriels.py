"""« Mes courriels »: how an account wants each kind of e-mail of the transitions (workflow.automatismes.transitions)."""

from forms.base import FormModel, champ
from forms.vocabulaire import FrequenceCourriel


class PreferencesCourrielsForm(FormModel):
    """One choice per kind of e-mail (its key: the notification's type), at once, in the daily digest or never."""

    choix: dict[str, FrequenceCourriel] = champ("Courriels", default_factory=dict)
