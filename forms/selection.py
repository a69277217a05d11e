"""Steps 1b–4 — send-back, DASEN opinion, committee decision, notification of credits."""

from datetime import date
from decimal import Decimal

from pydantic import computed_field, model_validator

from forms.base import FormModel, Heures, Montant, Texte, TexteLong, champ, systeme
from forms.vocabulaire import AvisDasen, DecisionComite


class MotifForm(FormModel):
    """A reason typed by the person who sends a dossier back, reopens or abandons it."""

    motif: TexteLong = champ("Motif", min_length=3, max_length=2000)


class AvisForm(FormModel):
    avis: AvisDasen = champ("Avis")
    motivation: TexteLong = champ("Motivation", default="", max_length=4000)
    priorite_departementale: int | None = champ("Rang dans le département", default=None, ge=1, le=999)
    signataire: Texte = champ("Signataire", min_length=1, max_length=120)

    @model_validator(mode="after")
    def _motivation(self) -> "AvisForm":
        if self.avis != AvisDasen.FAVORABLE and not self.motivation:
            raise ValueError("« Motivation » : est obligatoire pour un avis qui n'est pas favorable")
        return self


class DecisionForm(FormModel):
    decision: DecisionComite = champ("Décision")
    heures_financees: Heures = champ("Heures financées", default=Decimal("0"))
    montant_p104: Montant = champ("Montant programme 104", default=Decimal("0"))
    montant_en: Montant = champ("Montant Éducation nationale", default=Decimal("0"))
    conditions: TexteLong = champ("Conditions", default="", max_length=4000)
    motif_refus: TexteLong = champ("Motif du refus", default="", max_length=4000)
    derogation_bilans_motif: TexteLong = champ("Motif de la dérogation (bilans N-1 manquants)", default="", max_length=2000)

    @model_validator(mode="after")
    def _coherence(self) -> "DecisionForm":
        retenu = self.decision in (DecisionComite.RETENU, DecisionComite.RETENU_SOUS_CONDITIONS)
        if self.decision == DecisionComite.RETENU_SOUS_CONDITIONS and not self.conditions:
            raise ValueError("« Conditions » : sont obligatoires pour une décision « retenu sous conditions »")
        if self.decision == DecisionComite.NON_RETENU and not self.motif_refus:
            raise ValueError("« Motif du refus » : est obligatoire pour une décision « non retenu »")
        if retenu and (self.heures_financees <= 0 or self.montant_total <= 0):
            raise ValueError("un dossier retenu doit avoir des heures et un montant financés")
        if not retenu and (self.heures_financees or self.montant_total):
            raise ValueError("seul un dossier retenu reçoit des heures et un montant financés")
        return self

    @computed_field
    @property
    def montant_total(self) -> Decimal:
        return self.montant_p104 + self.montant_en


class NotificationCreditsForm(FormModel):
    montant_p104: Montant = champ("Montant programme 104")
    montant_en: Montant = champ("Montant Éducation nationale")
    structure_payeuse: Texte = champ("Structure payeuse (nom et UAI)", min_length=1, max_length=200)
    imputation: Texte = champ("Imputation budgétaire", default="", max_length=200)

    @computed_field
    @property
    def montant_total(self) -> Decimal:
        return self.montant_p104 + self.montant_en


class MembreForm(FormModel):
    fonction: Texte = champ("Fonction", min_length=1, max_length=120)
    nom: Texte = champ("Nom", default="", max_length=120)


class LigneDecisionPV(FormModel):
    departement: str
    numero: str
    etablissement: str
    avis: str
    decision: DecisionComite
    heures_financees: Decimal
    montant_p104: Decimal
    montant_en: Decimal
    observations: str = ""


class ProcesVerbalForm(FormModel):
    """Procès-verbal (relevé de décisions) of a committee session; the decisions are filled by the service."""

    date_session: date = champ("Date de la séance")
    lieu: Texte = champ("Lieu", min_length=1, max_length=150)
    membres_presents: list[MembreForm] = champ("Membres présents", min_length=1)
    decisions: list[LigneDecisionPV] = systeme("Décisions", default_factory=list)

    @computed_field
    @property
    def total_p104(self) -> Decimal:
        return sum((d.montant_p104 for d in self.decisions), Decimal("0"))

    @computed_field
    @property
    def total_en(self) -> Decimal:
        return sum((d.montant_en for d in self.decisions), Decimal("0"))

    @computed_field
    @property
    def total_heures(self) -> Decimal:
        return sum((d.heures_financees for d in self.decisions), Decimal("0"))
