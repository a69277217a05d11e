"""Steps 5–10 — recruitment and pay, parents, séances and attendance, attestations."""

import re
from datetime import date, time
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, computed_field, field_validator, model_validator
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir as stdnum_nir

from forms.base import (
    Courriel,
    FormModel,
    GroupeDuDossier,
    Heures,
    IntervenantDuDossier,
    Montant,
    Texte,
    TexteLong,
    Uai,
    champ,
    designation,
    systeme,
)
from forms.traductions import LangueFiche, traduction
from forms.vocabulaire import (
    NIVEAUX_D_UNE_PERSONNE,
    Axe,
    Employeur,
    LectureEcriture,
    MomentEvaluation,
    MotifSortie,
    Niveau,
    Orientation,
    OuiNonNsp,
    Pays,
    Scolarisation,
    Sexe,
    StatutCumul,
    StatutIntervenant,
    StatutPresence,
    code_pays,
)

# An exact duration in whole minutes (séances, pay, attendance): hours are never stored rounded to 1,33.
Minutes = Annotated[int, Field(ge=0, le=10000 * 60)]


class EngagementForm(FormModel):
    """Lettre d'engagement and, for a public agent, the pre-filled demande d'autorisation de cumul."""

    civilite: Texte = champ("Civilité", default="", max_length=5)
    nom: Texte = champ("Nom", min_length=1, max_length=80)
    prenom: Texte = champ("Prénom", min_length=1, max_length=80)
    courriel: Courriel = champ("Courriel (celui de son compte, pour qu'il voie l'atelier)", default="", max_length=120)
    statut: StatutIntervenant = champ("Statut")
    employeur_principal: Employeur = champ("Employeur principal")
    uai_affectation: Uai | None = champ("UAI d'affectation", default=None)
    corps_grade: Texte = champ("Corps / grade", default="", max_length=80)
    quotite_service_pct: int | None = champ("Quotité de service (%)", default=None, ge=0, le=100)
    groupe: GroupeDuDossier = champ("Groupe", min_length=1, max_length=120)
    date_debut: date = champ("Début de l'engagement")
    date_fin: date = champ("Fin de l'engagement")
    heures_prevues: Heures = champ("Heures prévues")
    statut_cumul: StatutCumul = champ("Autorisation de cumul", default=StatutCumul.NON_REQUIS)
    atteste_hors_service: bool = champ("Heures effectuées hors obligations de service", default=False)
    taux_horaire: Decimal = systeme("Taux horaire brut", default=Decimal("0"))

    @model_validator(mode="after")
    def _periode(self) -> "EngagementForm":
        if self.date_fin < self.date_debut:
            raise ValueError("la fin de l'engagement doit suivre son début")
        return self

    @computed_field
    @property
    def agent_public(self) -> bool:
        return self.employeur_principal in (Employeur.EN, Employeur.AUTRE_FONCTION_PUBLIQUE)


class CumulForm(FormModel):
    """Where an intervenant's authorisation of cumul d'activités stands (décret 2020-69; chef de service's avis)."""

    intervenant: IntervenantDuDossier = champ("Intervenant", min_length=1, max_length=170)
    statut_cumul: StatutCumul = champ("Autorisation de cumul")
    demande_le: date | None = champ("Demandée le", default=None)
    accorde_le: date | None = champ("Accordée le", default=None)
    fin_validite: date | None = champ("Valable jusqu'au", default=None)

    @model_validator(mode="after")
    def _dates(self) -> "CumulForm":
        if self.statut_cumul == StatutCumul.ACCORDE and self.accorde_le is None:
            raise ValueError("« Accordée le » est obligatoire pour une autorisation accordée")
        if self.statut_cumul in (StatutCumul.DEMANDE, StatutCumul.REFUSE) and self.demande_le is None:
            raise ValueError("« Demandée le » est obligatoire pour une demande en cours ou refusée")
        if self.accorde_le and self.fin_validite and self.fin_validite < self.accorde_le:
            raise ValueError("« Valable jusqu'au » doit suivre « Accordée le »")
        return self


class EnfantForm(FormModel):
    prenom: Texte = champ("Prénom de l'enfant", min_length=1, max_length=80)
    classe: Texte = champ("Classe", min_length=1, max_length=30)
    uai_ecole: Uai = champ("UAI de l'école de l'enfant")


def _pays(v):
    if v is None or isinstance(v, Pays) or (isinstance(v, str) and not v.strip()):
        return v or None
    return code_pays(v)


def langues_saisies(texte: str) -> list[str]:
    """« arabe, Tamazight ; turc » → ["Arabe", "Tamazight", "Turc"] (each language once)."""
    vues: list[str] = []
    for morceau in re.split(r"[,;/]", texte or ""):
        langue = morceau.strip()
        langue = langue[:1].upper() + langue[1:].lower()
        if langue and langue not in vues:
            vues.append(langue)
    return vues


class InscriptionForm(FormModel):
    """Fiche d'inscription auditeur, minimised (spec §6 step 6, §10 rule 3)."""

    nom: Texte = champ("Nom", min_length=1, max_length=80)
    prenom: Texte = champ("Prénom", min_length=1, max_length=80)
    sexe: Sexe = champ("Sexe", default=Sexe.NON_RENSEIGNE)
    annee_naissance: int | None = champ("Année de naissance", default=None, ge=1940, le=2015)
    pays_origine: Annotated[Pays | None, BeforeValidator(_pays)] = champ("Pays d'origine", default=None)
    langues: Texte = champ("Langues parlées (séparées par des virgules)", default="", max_length=200)
    annee_arrivee_france: int | None = champ("Année d'arrivée en France", default=None, ge=1940, le=2100)
    cir_signe: OuiNonNsp = champ("Contrat d'intégration républicaine signé", default=OuiNonNsp.NE_SAIT_PAS)
    protection_internationale: OuiNonNsp = champ("Bénéficiaire d'une protection internationale (déclaratif, facultatif)",
                                                 default=OuiNonNsp.NE_SAIT_PAS)
    orientation_par: Orientation | None = champ("Orienté(e) vers l'atelier par", default=None)
    deja_inscrit_session_precedente: bool = champ("Déjà inscrit(e) l'an dernier", default=False)
    enfants: list[EnfantForm] = champ("Enfants scolarisés", min_length=1)
    groupe: GroupeDuDossier = champ("Groupe", min_length=1, max_length=120)
    telephone: Texte = champ("Téléphone (facultatif)", default="", max_length=20)
    consentement_image: bool = champ("Accord pour le droit à l'image", default=False)
    date_inscription: date = champ("Date d'inscription")
    langue_fiche: LangueFiche = champ("Langue de la fiche (en plus du français)", default=LangueFiche.FRANCAIS)
    motif: Texte = systeme("Motif de la correction", default="", max_length=500)  # printed on a corrected fiche

    @computed_field
    @property
    def pays(self) -> str:
        """The country's French name, as printed on the fiche."""
        return Pays(self.pays_origine).libelle if self.pays_origine else ""

    @computed_field
    @property
    def traduction(self) -> dict | None:
        """The fiche's texts in the chosen language, with its direction and font; None for French only."""
        if self.langue_fiche == LangueFiche.FRANCAIS:
            return None
        t = traduction(self.langue_fiche)
        return {**t["fiche_inscription"], "rtl": t["direction"] == "rtl", "police": t["police"]}


class CorrectionParentForm(InscriptionForm):
    """A parent's record corrected (a typo in a name, the language, the group…): the fiche is produced again."""

    auditeur_id: int = designation("Parent")
    motif: Texte = champ("Motif de la correction", min_length=3, max_length=500)


class LigneAuditeur(FormModel):
    numero: int
    designation: Texte  # « Prénom NOM », or « Auditeur n° 3 » in the anonymised version
    groupe: Texte
    sexe: Texte
    tranche_age: Texte
    primo_arrivant: Texte
    inscription: Texte
    sortie: Texte
    minutes_suivies: Minutes


class ListeAuditeursForm(FormModel):
    """Liste des auditeurs inscrits (spec §9.3): the full version for the school, or the anonymised statistical
    one (numbers instead of names) that may leave it."""

    anonymisee: bool = champ("Version anonymisée (statistique)", default=False)
    lignes: list[LigneAuditeur] = systeme("Auditeurs", default_factory=list)

    @computed_field
    @property
    def nb_femmes(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.sexe == "F")

    @computed_field
    @property
    def nb_primo_arrivants(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.primo_arrivant == "oui")


class EvaluationForm(FormModel):
    """The diagnostic evaluation of one parent (spec step 7): before the start, then at the year's end. The initial
    one also records prior schooling and literacy in the home language (alphabétisation or FLE/FLS)."""

    auditeur_id: int = champ("Parent")
    moment: MomentEvaluation = champ("Évaluation", default=MomentEvaluation.INITIALE)
    date_evaluation: date = champ("Date de l'évaluation")
    niveau_oral: Niveau = champ("Niveau à l'oral")
    niveau_ecrit: Niveau = champ("Niveau à l'écrit")
    lecture_ecriture_langue_origine: LectureEcriture | None = champ("Lit et écrit dans sa langue d'origine", default=None)
    scolarisation_anterieure: Scolarisation | None = champ("Scolarisation antérieure", default=None)
    commentaire: TexteLong = champ("Commentaire", default="", max_length=1000)

    @field_validator("niveau_oral", "niveau_ecrit")
    @classmethod
    def _niveau_d_une_personne(cls, niveau: Niveau) -> Niveau:
        if niveau not in NIVEAUX_D_UNE_PERSONNE:
            raise ValueError("« Hétérogène » qualifie un groupe : choisissez le niveau de ce parent")
        return niveau


class PresenceLigne(FormModel):
    nom: Texte = champ("Nom", max_length=80)
    prenom: Texte = champ("Prénom", max_length=80)
    statut: StatutPresence = champ("Présence", default=StatutPresence.PRESENT)


class SeanceForm(FormModel):
    groupe: GroupeDuDossier = champ("Groupe", min_length=1, max_length=120)
    date_seance: date = champ("Date de la séance")
    heure_debut: time = champ("Heure de début")
    heure_fin: time = champ("Heure de fin")
    axes: list[Axe] = champ("Axes travaillés", min_length=1)
    contenu: TexteLong = champ("Contenu", default="", max_length=2000)
    intervenants: list[Texte] = champ("Intervenants", min_length=1)
    presences: list[PresenceLigne] = champ("Présences", default_factory=list)
    # Printed on a corrected or cancelled séance's sheet (corriger_seance, annuler_seance); empty when recorded.
    motif: Texte = systeme("Motif de la correction", default="", max_length=500)
    annulee: bool = systeme("Séance annulée", default=False)

    @model_validator(mode="after")
    def _horaires(self) -> "SeanceForm":
        if self.heure_fin <= self.heure_debut:
            raise ValueError("la séance doit finir après son début")
        return self

    @computed_field
    @property
    def minutes(self) -> int:
        """The exact duration in whole minutes (1 h 20 is 80, never 1,33 h)."""
        return (self.heure_fin.hour * 60 + self.heure_fin.minute) - (self.heure_debut.hour * 60 + self.heure_debut.minute)


class CorrectionSeanceForm(SeanceForm):
    """A séance corrected (times, axes, content, intervenants, presences) before it is paid; its group and date stay:
    a séance held another day is another séance (cancel this one, record that one)."""

    seance_id: int = designation("Séance")
    motif: Texte = champ("Motif de la correction", min_length=3, max_length=500)


class AnnulationSeanceForm(CorrectionSeanceForm):
    """A séance cancelled before it is paid: no longer counted, offered nor paid; its sheet says why."""

    motif: Texte = champ("Motif de l'annulation", min_length=3, max_length=500)
    annulee: bool = systeme("Séance annulée", default=True)


class LigneService(FormModel):
    date_seance: date
    groupe: Texte
    heure_debut: time
    heure_fin: time
    minutes: Minutes
    taux: Montant
    montant: Montant


class ServiceFaitForm(FormModel):
    """The head certifies one intervenant's month; the séances and their rates come from the database."""

    intervenant: IntervenantDuDossier = champ("Intervenant", min_length=1, max_length=170)
    mois: date = champ("Mois (un jour du mois)")
    certifie_par: Texte = champ("Service fait certifié par", min_length=1, max_length=120)
    lignes: list[LigneService] = systeme("Séances du mois", default_factory=list)
    cumul_12_mois: Minutes = systeme("Heures sur 12 mois glissants (minutes)", default=0)

    @computed_field
    @property
    def total_minutes(self) -> int:
        return sum(ligne.minutes for ligne in self.lignes)

    @computed_field
    @property
    def total_brut(self) -> Decimal:
        return sum((ligne.montant for ligne in self.lignes), Decimal("0"))


def _iban(v: str | None) -> str | None:
    if not v:
        return None
    try:
        return stdnum_iban.validate(v)
    except StdnumError:
        raise ValueError("IBAN invalide (clé de contrôle ou longueur) : recopiez-le depuis le RIB") from None


def _nir(v: str | None) -> str | None:
    if not v:
        return None
    try:
        return stdnum_nir.validate(v)
    except StdnumError:
        raise ValueError("numéro de sécurité sociale invalide : 15 chiffres, clé comprise") from None


class DonneesPaieForm(FormModel):
    """The intervenant's pay data, entered and read by the paying service alone (spec §10 rule 7), stored encrypted."""

    iban: Texte | None = champ("IBAN", default=None, max_length=40)
    nir: Texte | None = champ("Numéro de sécurité sociale (NIR)", default=None, max_length=25)
    adresse: TexteLong = champ("Adresse postale", default="", max_length=250)

    _verifier_iban = field_validator("iban")(lambda cls, v: _iban(v))
    _verifier_nir = field_validator("nir")(lambda cls, v: _nir(v))


class LigneRecapitulatif(FormModel):
    mois: date
    atelier: Texte
    minutes: Minutes
    brut: Montant


class RecapitulatifForm(FormModel):
    """Récapitulatif annuel des vacations (spec §9.10): one intervenant's hours and gross pay by month and atelier
    over the school year, every atelier of the académie included, for the employer's records and the agent."""

    intervenant: IntervenantDuDossier = champ("Intervenant", min_length=1, max_length=170)
    annee_scolaire: Texte = systeme("Année scolaire", default="")
    lignes: list[LigneRecapitulatif] = systeme("Mois", default_factory=list)

    @computed_field
    @property
    def total_minutes(self) -> int:
        return sum(ligne.minutes for ligne in self.lignes)

    @computed_field
    @property
    def total_brut(self) -> Decimal:
        return sum((ligne.brut for ligne in self.lignes), Decimal("0"))


class LigneLiquidation(FormModel):
    intervenant: Texte
    statut: Texte
    minutes: Minutes
    taux: Montant
    montant: Montant


class EtatLiquidatifForm(FormModel):
    """The paying structure's monthly list of vacations to pay; the lines come from the certified séances."""

    structure_payeuse: Texte = champ("Structure payeuse", min_length=1, max_length=150)
    mois: date = champ("Mois (un jour du mois)")
    imputation: Texte = champ("Imputation budgétaire", default="", max_length=200)
    lignes: list[LigneLiquidation] = systeme("Lignes", default_factory=list)

    @computed_field
    @property
    def total(self) -> Decimal:
        return sum((ligne.montant for ligne in self.lignes), Decimal("0"))


class AttestationForm(FormModel):
    """Attestation for one parent: hours, period and assiduity come from the attendance sheets; no date of
    birth or nationality is printed (spec §9.5)."""

    auditeur_id: int = designation("Parent")
    signataire: Texte = champ("Signataire", min_length=1, max_length=120, examples=["Claire Martin"])
    fonction_signataire: Texte = champ("Fonction du signataire", min_length=1, max_length=120, examples=["Directrice"])
    parent_nom: Texte = systeme("Nom du parent", default="", examples=["Haddad"])
    parent_prenom: Texte = systeme("Prénom du parent", default="", examples=["Amina"])
    date_debut: date | None = systeme("Début de la formation", default=None, examples=[date(2025, 11, 17)])
    date_fin: date | None = systeme("Fin de la formation", default=None, examples=[date(2026, 6, 19)])
    minutes_presentes: Minutes = systeme("Durée suivie (minutes)", default=0, examples=[52 * 60 + 20])
    minutes_proposees: Minutes = systeme("Durée proposée (minutes)", default=0, examples=[80 * 60])
    assiduite: bool = systeme("Certificat d'assiduité", default=False, examples=[True])


class PersonneEmargement(FormModel):
    """A line of a signature grid: a parent or an intervenant."""

    nom: Texte
    prenom: Texte


COLONNES_EMARGEMENT = 10  # séance columns on the monthly grid (two a week at most)


class EmargementMensuelForm(FormModel):
    """Grille d'émargement mensuelle (spec §9.4): one line per parent of the group that month, one column per
    séance (recorded, or planned from the group's weekly slots, public holidays left out), for paper signatures."""

    groupe: GroupeDuDossier = champ("Groupe", min_length=1, max_length=120)
    mois: date = champ("Mois")
    jours: list[Texte] = systeme("Séances du mois", default_factory=list)  # « mar. 13/01 », padded with ""
    parents: list[PersonneEmargement] = systeme("Parents", default_factory=list)
    intervenants: list[PersonneEmargement] = systeme("Intervenants", default_factory=list)


class MotifSortieForm(FormModel):
    """A parent leaves the atelier: from the next séance on, their attendance cannot be ticked."""

    auditeur_id: int = designation("Parent")
    date_sortie: date = champ("Date de sortie")
    motif_sortie: MotifSortie = champ("Motif de sortie")
