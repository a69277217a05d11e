"""Steps 10b–12 — end of the ateliers, the two bilans, closing, rollover to the next year."""

from decimal import Decimal

from pydantic import computed_field

from forms.base import AnneeScolaire, FormModel, Heures, Montant, Texte, champ


class ConfirmationForm(FormModel):
    """A step with nothing to type but a confirmation (ending the ateliers, closing)."""

    commentaire: Texte = champ("Commentaire", default="", max_length=2000)


class BilanPedagogiqueForm(FormModel):
    nb_groupes: int = champ("Nombre de groupes", ge=0)
    heures_financees: Heures = champ("Heures financées")
    heures_realisees: Heures = champ("Heures réalisées")
    inscrits_total: int = champ("Parents inscrits", ge=0)
    femmes: int = champ("Dont femmes", ge=0)
    primo_arrivants: int = champ("Dont primo-arrivants", ge=0)
    assidus: int = champ("Parents assidus", ge=0)
    contenus: Texte = champ("Contenus et supports par axe", default="", max_length=1500)
    effets_observes: Texte = champ("Effets observés", default="", max_length=1500)
    difficultes: Texte = champ("Difficultés et solutions", default="", max_length=1500)
    perspectives: Texte = champ("Perspectives", default="", max_length=1500)


class BilanFinancierForm(FormModel):
    montant_alloue: Montant = champ("Montant alloué")
    vacations_brut: Montant = champ("Vacations versées (brut)")
    charges_patronales: Montant = champ("Charges patronales", default=Decimal("0"))
    materiel_pedagogique: Montant = champ("Matériel pédagogique", default=Decimal("0"))
    autres_depenses: Montant = champ("Autres dépenses", default=Decimal("0"))
    traitement_reliquat: Texte = champ("Traitement du reliquat", default="", max_length=300)

    @computed_field
    @property
    def total_depenses(self) -> Decimal:
        return self.vacations_brut + self.charges_patronales + self.materiel_pedagogique + self.autres_depenses

    @computed_field
    @property
    def reliquat(self) -> Decimal:
        return self.montant_alloue - self.total_depenses


class ReconductionForm(FormModel):
    annee_scolaire: AnneeScolaire = champ("Nouvelle année scolaire")
