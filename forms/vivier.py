"""The CASNAV's pool of candidate intervenants and the schools' requests for a profile (issue 4, item 1)."""

from datetime import date

from pydantic import model_validator

from forms.base import Courriel, FormModel, GroupeDuDossier, Heures, Texte, TexteLong, champ
from forms.vocabulaire import Employeur, QualificationVivier, StatutCumul, StatutIntervenant


class CandidatForm(FormModel):
    """A candidate the CASNAV records in its pool."""

    nom: Texte = champ("Nom", min_length=1, max_length=80)
    prenom: Texte = champ("Prénom", min_length=1, max_length=80)
    email: Courriel = champ("Courriel", default="", max_length=120)
    statut: StatutIntervenant = champ("Statut")
    employeur_principal: Employeur = champ("Employeur principal")
    qualifications: list[QualificationVivier] = champ("Qualifications", min_length=1)
    departements: list[Texte] = champ("Départements où intervenir (codes)", min_length=1)
    disponibilites: Texte = champ("Disponibilités", default="", max_length=300)


class DemandeProfilForm(FormModel):
    """A school without staff of its own asks the CASNAV for an intervenant."""

    groupe: GroupeDuDossier = champ("Groupe", min_length=1, max_length=120)
    qualification: QualificationVivier = champ("Qualification souhaitée")
    disponibilites: Texte = champ("Jours et horaires de l'atelier", min_length=1, max_length=300)
    message: TexteLong = champ("Précisions", default="", max_length=1000)


class AcceptationForm(FormModel):
    """The school accepts the proposed intervenant: what the engagement needs besides the person."""

    date_debut: date = champ("Début de l'engagement")
    date_fin: date = champ("Fin de l'engagement")
    heures_prevues: Heures = champ("Heures prévues")
    statut_cumul: StatutCumul = champ("Autorisation de cumul", default=StatutCumul.NON_REQUIS)
    atteste_hors_service: bool = champ("Heures effectuées hors obligations de service", default=False)

    @model_validator(mode="after")
    def _periode(self) -> "AcceptationForm":
        if self.date_fin < self.date_debut:
            raise ValueError("la fin de l'engagement doit suivre son début")
        return self
