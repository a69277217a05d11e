"""Step 1 — the application dossier (document-type de projet d'atelier, spec §6 step 1, §9.1).

Types and formats are checked here; rules that depend on the campaign (group size, hours,
deadline…) are guards in workflow/regles.py, graded as errors or warnings as spec §12 says.
"""

import re
from datetime import date, time
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, computed_field, field_validator, model_validator

from forms.base import FormModel, Heures, Montant, Texte, TexteLong, Uai, arrondi_cent, champ, systeme, verifier_email
from forms.vocabulaire import Employeur, Fonction, Jour, Niveau, StatutIntervenant

TELEPHONE = re.compile(r"^(\+33|0)[1-9](\d{2}){4}$")


def verifier_telephone(v: str | None) -> str | None:
    if v in (None, ""):
        return None
    compact = re.sub(r"[\s.\-]", "", v)
    if not TELEPHONE.match(compact):
        raise ValueError("numéro de téléphone français attendu (ex. 05 61 00 00 00 ou +33 5 61 00 00 00)")
    return compact


class Creneau(FormModel):
    jour: Jour = champ("Jour")
    debut: time = champ("Début")
    fin: time = champ("Fin")

    @model_validator(mode="after")
    def _ordre(self) -> "Creneau":
        if self.fin <= self.debut:
            raise ValueError("l'heure de fin doit être après l'heure de début")
        return self

    @classmethod
    def en_cellule(cls, valeur: dict) -> str:
        """« mardi 14:00-16:00 » from a stored slot (times « 14:00 » or « 14:00:00 »), as lire_creneaux reads it back."""
        return f"{valeur['jour']} {str(valeur['debut'])[:5]}-{str(valeur['fin'])[:5]}"


def lire_creneaux(v):
    """Accept « mardi 14:00-16:00 ; jeudi 9h-11h » as typed in a table cell."""
    if not isinstance(v, str):
        return v
    creneaux = []
    for morceau in filter(None, (m.strip() for m in re.split(r"[;\n]", v))):
        m = re.fullmatch(r"(\w+)\s+(\d{1,2})[h:](\d{2})?\s*[-–à]\s*(\d{1,2})[h:](\d{2})?", morceau, re.IGNORECASE)
        if not m:
            raise ValueError(f"créneau « {morceau} » illisible (attendu : mardi 14:00-16:00)")
        jour, h1, m1, h2, m2 = m.groups()
        creneaux.append({"jour": jour.lower(), "debut": f"{int(h1):02d}:{m1 or '00'}", "fin": f"{int(h2):02d}:{m2 or '00'}"})
    return creneaux


class GroupeForm(FormModel):
    libelle: Texte = champ("Libellé du groupe", min_length=1, max_length=120)
    niveau: Niveau = champ("Niveau", default=Niveau.HETEROGENE)
    effectif_prevu: int = champ("Effectif prévu", ge=0, le=200)
    heures_prevues: Heures = champ("Heures prévues")
    date_debut: date = champ("Date de début")
    date_fin: date = champ("Date de fin")
    creneaux: Annotated[list[Creneau], BeforeValidator(lire_creneaux)] = champ("Jours et horaires", default_factory=list)
    lieu: Texte = champ("Lieu", default="", max_length=150)

    @model_validator(mode="after")
    def _dates(self) -> "GroupeForm":
        if self.date_fin <= self.date_debut:
            raise ValueError(f"groupe « {self.libelle} » : la date de fin doit être après la date de début")
        return self


class IntervenantPrevuForm(FormModel):
    nom: Texte = champ("Nom", min_length=1, max_length=80)
    prenom: Texte = champ("Prénom", min_length=1, max_length=80)
    statut: StatutIntervenant = champ("Statut")
    employeur_principal: Employeur = champ("Employeur principal", default=Employeur.EN)
    heures_prevues: Heures = champ("Heures prévues")
    qualification_fle_fls: bool = champ("Qualification FLE/FLS", default=False)
    groupes: Texte = champ("Groupe(s)", default="", max_length=200)


class CandidatureForm(FormModel):
    # Responsible persons
    responsable_nom: Texte = champ("Nom du responsable", min_length=1, max_length=120)
    responsable_fonction: Fonction = champ("Fonction du responsable")
    responsable_email: Texte = champ("Courriel du responsable")
    responsable_telephone: Texte | None = champ("Téléphone du responsable", default=None)
    coordonnateur_nom: Texte = champ("Coordonnateur (nom)", default="", max_length=120)
    coordonnateur_email: Texte | None = champ("Courriel du coordonnateur", default=None)
    # School context
    upe2a_dans_structure: bool = champ("UPE2A dans l'établissement", default=False)
    mutualisation: list[Uai] = champ("Établissements associés (UAI)", default_factory=list)
    renouvellement: bool = champ("Renouvellement d'un atelier de l'an dernier", default=False)
    contexte: TexteLong = champ("Contexte et besoins", default="", max_length=4000)
    # Public (forecast)
    nb_parents_prevus: int = champ("Nombre de parents prévus", ge=1, le=1000)
    nb_primo_arrivants_prevus: int = champ("Dont primo-arrivants", ge=0, le=1000)
    nb_reinscrits_prevus: int = champ("Dont réinscrits d'une session précédente", ge=0, le=1000)
    langues_principales: Texte = champ("Langues principales des familles", default="", max_length=300)
    modalites_reperage: TexteLong = champ("Modalités de repérage des familles", default="", max_length=1000)
    surinscription_prevue: bool = champ("Surinscription prévue", default=False)
    # Groups and intervenants
    groupes: list[GroupeForm] = champ("Groupes", min_length=1)
    intervenants: list[IntervenantPrevuForm] = champ("Intervenants", min_length=1)
    # Programme on the three axes
    programme_axe_langue: TexteLong = champ("Programme — axe langue française", default="", max_length=4000)
    programme_axe_ecole: TexteLong = champ("Programme — axe fonctionnement de l'École", default="", max_length=4000)
    programme_axe_valeurs: TexteLong = champ("Programme — axe valeurs de la République", default="", max_length=4000)
    evaluation_diagnostique_prevue: bool = champ("Évaluation diagnostique prévue", default=True)
    articulation_partenaires: TexteLong = champ("Partenariats", default="", max_length=2000)
    # Budget
    autres_frais: Montant = champ("Autres frais (supports pédagogiques)", default=Decimal("0"))
    taux_horaire: Decimal = systeme("Taux horaire de vacation", default=Decimal("0"))
    # Commitments
    inscrit_projet_etablissement: bool = champ("Action inscrite au projet d'école / d'établissement", default=False)
    date_ca: date | None = champ("Date du conseil d'administration (EPLE)", default=None)

    _tel = field_validator("responsable_telephone")(lambda cls, v: verifier_telephone(v))
    _mails = field_validator("responsable_email", "coordonnateur_email")(lambda cls, v: verifier_email(v))

    @model_validator(mode="after")
    def _coherence(self) -> "CandidatureForm":
        if self.nb_primo_arrivants_prevus > self.nb_parents_prevus:
            raise ValueError("« Dont primo-arrivants » ne peut dépasser le nombre de parents prévus")
        if self.nb_reinscrits_prevus > self.nb_parents_prevus:
            raise ValueError("« Dont réinscrits » ne peut dépasser le nombre de parents prévus")
        return self

    @computed_field
    @property
    def heures_total(self) -> Decimal:
        return sum((g.heures_prevues for g in self.groupes), Decimal("0"))

    @computed_field
    @property
    def cout_vacations(self) -> Decimal:
        return arrondi_cent(self.heures_total * self.taux_horaire)

    @computed_field
    @property
    def montant_demande(self) -> Decimal:
        return self.cout_vacations + self.autres_frais

    @computed_field
    @property
    def part_primo_pct(self) -> int:
        return round(100 * self.nb_primo_arrivants_prevus / self.nb_parents_prevus)


# The guided application, section by section (spec §9.1 order); every user field belongs to one section.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Établissement et contacts", ("responsable_nom", "responsable_fonction", "responsable_email", "responsable_telephone",
                                   "coordonnateur_nom", "coordonnateur_email", "upe2a_dans_structure", "mutualisation",
                                   "renouvellement")),
    ("Contexte et public", ("contexte", "nb_parents_prevus", "nb_primo_arrivants_prevus", "nb_reinscrits_prevus",
                            "langues_principales", "modalites_reperage", "surinscription_prevue")),
    ("Groupes", ("groupes",)),
    ("Intervenants", ("intervenants",)),
    ("Programme sur les trois axes", ("programme_axe_langue", "programme_axe_ecole", "programme_axe_valeurs",
                                      "evaluation_diagnostique_prevue", "articulation_partenaires")),
    ("Budget", ("autres_frais",)),
    ("Engagements et dépôt", ("inscrit_projet_etablissement", "date_ca")),
)
