"""Step 0 — the campaign (appel à projets) set up by the pilote."""

from datetime import date
from decimal import Decimal

from pydantic import computed_field, model_validator

from forms.base import AnneeScolaire, FormModel, Heures, Montant, TexteLong, champ

CALENDRIER = [  # (field, label) in the order the dates must strictly increase
    ("date_ouverture", "Ouverture de l'appel à projets"),
    ("date_limite_depot", "Date limite de dépôt"),
    ("date_limite_avis_dasen", "Date limite des avis DASEN"),
    ("date_copil", "Comité de pilotage"),
    ("date_notification", "Notification des décisions"),
    ("date_debut_ateliers_min", "Début des ateliers au plus tôt"),
    ("date_fin_ateliers", "Fin des ateliers"),
    ("date_limite_bilan_pedagogique", "Date limite du bilan pédagogique"),
]


class CampagneForm(FormModel):
    annee_scolaire: AnneeScolaire = champ("Année scolaire")
    date_ouverture: date = champ("Ouverture de l'appel à projets")
    date_limite_depot: date = champ("Date limite de dépôt")
    date_limite_avis_dasen: date = champ("Date limite des avis DASEN")
    date_copil: date = champ("Comité de pilotage")
    date_notification: date = champ("Notification des décisions")
    date_debut_ateliers_min: date = champ("Début des ateliers au plus tôt")
    date_fin_ateliers: date = champ("Fin des ateliers")
    date_limite_bilan_pedagogique: date = champ("Date limite du bilan pédagogique")
    date_limite_bilan_financier: date = champ("Date limite du bilan financier")
    heures_min_par_groupe: Heures = champ("Heures minimum par groupe", default=Decimal("60"))
    heures_max_par_groupe: Heures = champ("Heures maximum par groupe", default=Decimal("120"))
    taille_groupe_min: int = champ("Effectif minimum par groupe", default=12, ge=1, le=100)
    taille_groupe_max: int = champ("Effectif maximum conseillé par groupe", default=15, ge=1, le=100)
    plafond_heures_vacation_12_mois: Heures = champ("Plafond d'heures de vacation sur 12 mois", default=Decimal("250"))
    seuil_assiduite_pct: int = champ("Seuil d'assiduité (%)", default=70, ge=1, le=100)
    budget_p104: Montant = champ("Enveloppe programme 104 (Intérieur)")
    budget_en: Montant = champ("Enveloppe Éducation nationale")

    @model_validator(mode="after")
    def _ordre(self) -> "CampagneForm":
        erreurs = []
        for (a, la), (b, lb) in zip(CALENDRIER, CALENDRIER[1:]):
            if getattr(self, b) <= getattr(self, a):
                erreurs.append(f"« {lb} » doit être postérieure à « {la} »")
        if self.date_limite_bilan_financier < self.date_fin_ateliers:
            erreurs.append("« Date limite du bilan financier » doit être postérieure à « Fin des ateliers »")
        if self.heures_max_par_groupe < self.heures_min_par_groupe:
            erreurs.append("« Heures maximum par groupe » doit être supérieur ou égal au minimum")
        if self.taille_groupe_max < self.taille_groupe_min:
            erreurs.append("« Effectif maximum conseillé par groupe » doit être supérieur ou égal au minimum")
        if erreurs:
            raise ValueError(" ; ".join(erreurs))
        return self

    @computed_field
    @property
    def budget_total(self) -> Decimal:
        return self.budget_p104 + self.budget_en


class RouvertureDepotForm(FormModel):
    """The pilote reopens filing after the deadline (spec §6 step 1)."""

    jusqu_au: date = champ("Dépôt rouvert jusqu'au")
    motif: TexteLong = champ("Motif", min_length=3, max_length=1000)


class TauxForm(FormModel):
    """A new row of the vacation rate table, when the index point moves (spec §7.2)."""

    date_effet: date = champ("Date d'effet")
    im100_annuel: Montant = champ("Traitement annuel brut à l'indice majoré 100")
