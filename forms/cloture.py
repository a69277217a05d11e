"""Steps 10b–11 — end of the ateliers, the two bilans (spec §8.2, §8.3).

The figures of both bilans come from the database (system fields, filled by workflow.cloture.bilans); the head
types what only people know (qualitative texts, other expenses) and may correct the key figures: a
corrected figure that contradicts the attendance data is flagged, never silently accepted."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, computed_field

from forms.base import FormModel, Heures, Montant, Texte, TexteLong, arrondi_cent, champ, systeme
from forms.vocabulaire import TraitementReliquat


class ConfirmationForm(FormModel):
    """A step with nothing to type but a confirmation (ending the ateliers)."""

    commentaire: TexteLong = champ("Commentaire", default="", max_length=2000)


class Effectif(BaseModel):
    """One line of a breakdown: « 25 à 34 ans » — 6."""

    libelle: str
    nombre: int


class ProgressionNiveau(BaseModel):
    """Parents evaluated twice, by their initial level: how many gained at least one level by the final evaluation."""

    libelle: str
    evalues: int
    en_progres: int


class HeuresEtSeances(BaseModel):
    """The hours and séances of the survey's first part: the same figures for each group and, summed, for the atelier
    (the lines of its table and their foot), declared once so that a figure added to one is added to both."""

    heures_prevues: Decimal
    heures_financees: Decimal | None  # a group's hours are financed once the committee decided
    heures_realisees: Decimal
    nb_seances: int
    nb_seances_annulees: int
    heures_langue: Decimal
    heures_ecole: Decimal
    heures_valeurs: Decimal


class GroupeBilan(HeuresEtSeances):
    libelle: str
    inscrits: int
    inscrits_fin: int = 0  # still registered at the end (no exit)


class IntervenantsBilan(BaseModel):
    statut: str
    nombre: int
    heures: Decimal


class ChiffresBilan(HeuresEtSeances):
    """The quantitative part of the bilan pédagogique, in the order of the national survey (spec §8.2)."""

    # 1. Groupes et heures: the atelier's hours and séances (HeuresEtSeances), then its groups
    heures_financees: Decimal  # the atelier's always has a figure: the committee's decision, else its groups' sum
    groupes: list[GroupeBilan]
    nb_groupes: int
    # 2. Parents : entrées et sorties
    inscrits_debut: int
    inscrits_total: int
    presents_fin: int
    sorties: int
    sorties_par_motif: list[Effectif]
    # 3. Profil des parents
    femmes: int
    hommes: int
    sexe_non_renseigne: int
    tranches_age: list[Effectif]
    primo_arrivants: int
    hors_ue: int
    cir_signe: int
    protection_internationale: int
    reinscrits: int
    nouveaux: int
    # 4. Assiduité
    heures_presence: Decimal
    heures_proposees: Decimal
    taux_assiduite_pct: Decimal
    repartition_heures: list[Effectif]
    assidus: int
    seuil_assiduite_pct: int
    absences_excusees: int  # presences marked « absent(e) excusé(e) » in the parents' periods: not present time
    # 5. Pays et langues
    pays: list[Effectif]
    langues: list[Effectif]
    # 6. Niveaux
    niveaux_oral: list[Effectif]
    niveaux_ecrit: list[Effectif]
    # 6 bis. Évaluations diagnostiques (initiale puis finale)
    evalues_initiale: int = 0
    evalues_deux_fois: int = 0
    progression_oral: list[ProgressionNiveau] = []
    progression_ecrit: list[ProgressionNiveau] = []
    # 7. Intervenants
    intervenants: list[IntervenantsBilan]
    nb_intervenants: int
    part_heures_qualifiees_pct: Decimal
    # 8. Orientation des parents
    orientations: list[Effectif]


class BilanPedagogiqueForm(FormModel):
    date_envoi: date = champ("Date d'envoi dans l'enquête nationale")
    nb_groupes: int | None = champ("Nombre de groupes", default=None, ge=0)
    heures_realisees: Heures | None = champ("Heures réalisées", default=None)
    inscrits_total: int | None = champ("Parents inscrits", default=None, ge=0)
    femmes: int | None = champ("Dont femmes", default=None, ge=0)
    primo_arrivants: int | None = champ("Dont primo-arrivants", default=None, ge=0)
    assidus: int | None = champ("Parents assidus", default=None, ge=0)
    inscriptions_dilf_delf: int | None = champ("Parents inscrits au DILF / DELF (déclaratif)", default=None, ge=0)
    reussites_dilf_delf: int | None = champ("Dont réussites (déclaratif)", default=None, ge=0)
    partenariats: TexteLong = champ("Partenariats (OFII, DDETS, commune, associations, REAAP…)", default="", max_length=1500)
    contenus: TexteLong = champ("Contenus et supports par axe", default="", max_length=1500)
    numerique: TexteLong = champ("Pratiques numériques (ENT, Educonnect)", default="", max_length=1500)
    effets_observes: TexteLong = champ("Effets observés chez les parents et les enfants", default="", max_length=1500)
    difficultes: TexteLong = champ("Difficultés et solutions", default="", max_length=1500)
    perspectives: TexteLong = champ("Perspectives et besoins de formation des intervenants", default="", max_length=1500)
    parole_parents: TexteLong = champ("Parole des parents", default="", max_length=1500)
    chiffres: ChiffresBilan | None = systeme("Chiffres de l'atelier", default=None)
    ecarts: list[str] = systeme("Écarts avec les données enregistrées", default_factory=list)
    dernier_bilan: bool = systeme("Le bilan financier est déjà transmis", default=False)


# The key figures a head may correct (compared with the attendance data on transmission), labelled as in the form.
CHIFFRES_DECLARES = {nom: BilanPedagogiqueForm.model_fields[nom].title
                     for nom in ("nb_groupes", "heures_realisees", "inscrits_total", "femmes", "primo_arrivants", "assidus")}


class BilanFinancierForm(FormModel):
    date_envoi: date = champ("Date d'envoi à la DAEPS")
    montant_recu: Montant | None = champ("Montant reçu (si différent du montant alloué)", default=None)
    charges_patronales: Montant = champ("Charges patronales", default=Decimal("0"))
    materiel_pedagogique: Montant = champ("Matériel pédagogique", default=Decimal("0"))
    reprographie: Montant = champ("Reprographie", default=Decimal("0"))
    autres_depenses: Montant = champ("Autres dépenses", default=Decimal("0"))
    justification_autres: TexteLong = champ("Justification des autres dépenses", default="", max_length=500)
    traitement_reliquat: TraitementReliquat | None = champ("Traitement du reliquat", default=None)
    precision_reliquat: Texte = champ("Précision sur le reliquat", default="", max_length=300)
    montant_p104: Montant = systeme("Montant alloué (P104)", default=Decimal("0"))
    montant_en: Montant = systeme("Montant alloué (EN)", default=Decimal("0"))
    date_notification: date | None = systeme("Date de notification", default=None)
    vacations_brut: Montant = systeme("Vacations versées (brut, états liquidatifs)", default=Decimal("0"))
    heures_financees: Heures = systeme("Heures financées", default=Decimal("0"))
    heures_realisees: Heures = systeme("Heures réalisées", default=Decimal("0"))
    heures_payees: Heures = systeme("Heures payées", default=Decimal("0"))
    nb_etats_liquidatifs: int = systeme("États liquidatifs", default=0)
    nb_etats_signes: int = systeme("États liquidatifs signés hors application (scan joint)", default=0)
    nb_emargements_signes: int = systeme("Feuilles d'émargement signées", default=0)
    ecarts: list[str] = systeme("Points d'attention", default_factory=list)
    dernier_bilan: bool = systeme("Le bilan pédagogique est déjà transmis", default=False)

    @computed_field
    @property
    def montant_alloue(self) -> Decimal:
        return self.montant_p104 + self.montant_en

    @computed_field
    @property
    def total_depenses(self) -> Decimal:
        return (self.vacations_brut + self.charges_patronales + self.materiel_pedagogique + self.reprographie
                + self.autres_depenses)

    @computed_field
    @property
    def reliquat(self) -> Decimal:
        recu = self.montant_alloue if self.montant_recu is None else self.montant_recu
        return recu - self.total_depenses

    @computed_field
    @property
    def cout_horaire_moyen(self) -> Decimal | None:
        """Total spending per hour realised, rounded to the cent (None before any hour)."""
        if not self.heures_realisees:
            return None
        return arrondi_cent(self.total_depenses / self.heures_realisees)
