"""The closed vocabularies of the domain (spec §3.3, §6). Stored as plain strings in the database."""

import unicodedata
from enum import StrEnum

from babel import Locale

from forms.traductions import LangueFiche, libelle_langue


class Role(StrEnum):
    PORTEUR = "porteur"
    INTERVENANT = "intervenant"
    GESTIONNAIRE = "gestionnaire"
    DSDEN = "dsden"
    DAEPS = "daeps"
    COMITE = "comite"
    CASNAV = "casnav"
    PILOTE = "pilote"
    INTERIEUR = "interieur"
    ADMIN = "admin"


ROLE_LIBELLES: dict[Role, str] = {
    Role.PORTEUR: "Porteur (directeur d'école / chef d'établissement)",
    Role.INTERVENANT: "Intervenant",
    Role.GESTIONNAIRE: "Gestionnaire (service payeur)",
    Role.DSDEN: "DSDEN (avis du DASEN)",
    Role.DAEPS: "DAEPS (rectorat)",
    Role.COMITE: "Membre du comité de pilotage",
    Role.CASNAV: "CASNAV",
    Role.PILOTE: "Pilote académique (CT-EVS)",
    Role.INTERIEUR: "Ministère de l'Intérieur (agrégats)",
    Role.ADMIN: "Administrateur",
}


class Etat(StrEnum):
    """States of a dossier (spec §6, « Dossier state machine »)."""

    BROUILLON = "brouillon"
    DEPOSE = "depose"
    AVIS_DONNE = "avis_donne"
    RETENU = "retenu"
    RETENU_SOUS_CONDITIONS = "retenu_sous_conditions"
    NON_RETENU = "non_retenu"
    LISTE_ATTENTE = "liste_attente"
    EN_COURS = "en_cours"
    ATELIERS_TERMINES = "ateliers_termines"
    CLOS = "clos"
    ABANDONNE = "abandonne"


ETAT_LIBELLES: dict[Etat, str] = {
    Etat.BROUILLON: "Brouillon",
    Etat.DEPOSE: "Déposé",
    Etat.AVIS_DONNE: "Avis du DASEN donné",
    Etat.RETENU: "Retenu",
    Etat.RETENU_SOUS_CONDITIONS: "Retenu sous conditions",
    Etat.NON_RETENU: "Non retenu",
    Etat.LISTE_ATTENTE: "Liste d'attente",
    Etat.EN_COURS: "Ateliers en cours",
    Etat.ATELIERS_TERMINES: "Ateliers terminés",
    Etat.CLOS: "Clos (bilans transmis)",
    Etat.ABANDONNE: "Abandonné",
}

RETENUS = (Etat.RETENU, Etat.RETENU_SOUS_CONDITIONS)
EN_ACTIVITE = (*RETENUS, Etat.EN_COURS, Etat.ATELIERS_TERMINES)
# States of a dossier that was financed (its bilans are then owed for next year's renewal).
FINANCES = (*EN_ACTIVITE, Etat.CLOS, Etat.ABANDONNE)


class TypeStructure(StrEnum):
    ECOLE_MATERNELLE = "ecole_maternelle"
    ECOLE_ELEMENTAIRE = "ecole_elementaire"
    ECOLE_PRIMAIRE = "ecole_primaire"
    COLLEGE = "college"
    LYCEE = "lycee"
    LYCEE_PRO = "lycee_pro"
    EREA = "erea"

    @property
    def degre(self) -> int:
        return 1 if self.value.startswith("ecole") else 2


TYPE_STRUCTURE_LIBELLES = {
    TypeStructure.ECOLE_MATERNELLE: "École maternelle",
    TypeStructure.ECOLE_ELEMENTAIRE: "École élémentaire",
    TypeStructure.ECOLE_PRIMAIRE: "École primaire",
    TypeStructure.COLLEGE: "Collège",
    TypeStructure.LYCEE: "Lycée",
    TypeStructure.LYCEE_PRO: "Lycée professionnel",
    TypeStructure.EREA: "EREA",
}


class EducationPrioritaire(StrEnum):
    AUCUNE = "aucune"
    REP = "REP"
    REP_PLUS = "REP+"


class Niveau(StrEnum):
    ALPHA = "alpha"
    A11 = "A1.1"
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    HETEROGENE = "heterogene"


class AvisDasen(StrEnum):
    FAVORABLE = "favorable"
    FAVORABLE_RESERVE = "favorable_reserve"
    DEFAVORABLE = "defavorable"


AVIS_LIBELLES = {
    AvisDasen.FAVORABLE: "Favorable",
    AvisDasen.FAVORABLE_RESERVE: "Favorable avec réserves",
    AvisDasen.DEFAVORABLE: "Défavorable",
}


class DecisionComite(StrEnum):
    RETENU = "retenu"
    RETENU_SOUS_CONDITIONS = "retenu_sous_conditions"
    NON_RETENU = "non_retenu"
    LISTE_ATTENTE = "liste_attente"


DECISION_LIBELLES = {
    DecisionComite.RETENU: "Retenu",
    DecisionComite.RETENU_SOUS_CONDITIONS: "Retenu sous conditions",
    DecisionComite.NON_RETENU: "Non retenu",
    DecisionComite.LISTE_ATTENTE: "Liste d'attente",
}


class StatutIntervenant(StrEnum):
    ENSEIGNANT_1D = "enseignant_1d"
    ENSEIGNANT_2D = "enseignant_2d"
    ENSEIGNANT_UPE2A = "enseignant_upe2a"
    CERTIF_FLS = "certif_fls"
    PROFESSEUR_LV = "professeur_lv"
    PROFESSEUR_HG = "professeur_hg"
    FORMATEUR_GRETA = "formateur_greta"
    CPE = "cpe"
    PERSONNEL_SANTE = "personnel_sante"
    PERSONNEL_SOCIAL = "personnel_social"
    VACATAIRE_FLE_FLS = "vacataire_fle_fls"
    ASSOCIATION = "association"
    AUTRE = "autre"


QUALIFIES_FLE_FLS = {StatutIntervenant.ENSEIGNANT_UPE2A, StatutIntervenant.CERTIF_FLS, StatutIntervenant.VACATAIRE_FLE_FLS}


class Employeur(StrEnum):
    EN = "EN"
    AUTRE_FONCTION_PUBLIQUE = "autre_fonction_publique"
    PRIVE = "prive"
    SANS = "sans"


class StatutCumul(StrEnum):
    NON_REQUIS = "non_requis"
    DEMANDE = "demande"
    ACCORDE = "accorde"
    REFUSE = "refuse"


class Sexe(StrEnum):
    F = "F"
    M = "M"
    NON_RENSEIGNE = "non_renseigne"


class OuiNonNsp(StrEnum):
    OUI = "oui"
    NON = "non"
    NE_SAIT_PAS = "ne_sait_pas"


class MotifSortie(StrEnum):
    EMPLOI = "emploi"
    DEMENAGEMENT = "demenagement"
    GARDE_ENFANTS = "garde_enfants"
    SANTE = "sante"
    AUTRE = "autre"
    INCONNU = "inconnu"


class Axe(StrEnum):
    LANGUE = "langue"
    ECOLE = "ecole"
    VALEURS = "valeurs"


AXE_LIBELLES = {
    Axe.LANGUE: "Apprentissage du français (comprendre, parler, lire, écrire)",
    Axe.ECOLE: "Connaissance du fonctionnement et des attentes de l'École",
    Axe.VALEURS: "Connaissance des valeurs de la République",
}


class StatutPresence(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    ABSENT_EXCUSE = "absent_excuse"


class TypeBilan(StrEnum):
    PEDAGOGIQUE = "pedagogique"
    FINANCIER = "financier"


class Orientation(StrEnum):
    ECOLE = "ecole"
    UPE2A = "upe2a"
    OFII = "ofii"
    ASSOCIATION = "association"
    SERVICE_SOCIAL = "service_social"
    ENTOURAGE = "entourage"
    AUTRE = "autre"


ORIENTATION_LIBELLES = {
    Orientation.ECOLE: "L'école ou l'établissement de l'enfant",
    Orientation.UPE2A: "L'UPE2A",
    Orientation.OFII: "L'OFII",
    Orientation.ASSOCIATION: "Une association",
    Orientation.SERVICE_SOCIAL: "Un service social",
    Orientation.ENTOURAGE: "Un autre parent, l'entourage",
    Orientation.AUTRE: "Autre",
}


class TraitementReliquat(StrEnum):
    REVERSEMENT = "reversement"
    REPORT = "report"
    AUTRE = "autre"


TRAITEMENT_RELIQUAT_LIBELLES = {
    TraitementReliquat.REVERSEMENT: "Reversement",
    TraitementReliquat.REPORT: "Report sur l'année suivante",
    TraitementReliquat.AUTRE: "Autre (préciser)",
}


class Financement(StrEnum):
    P104 = "P104"
    EN = "EN"
    MIXTE = "mixte"


class Jour(StrEnum):
    LUNDI = "lundi"
    MARDI = "mardi"
    MERCREDI = "mercredi"
    JEUDI = "jeudi"
    VENDREDI = "vendredi"
    SAMEDI = "samedi"
    DIMANCHE = "dimanche"


class Fonction(StrEnum):
    DIRECTEUR_ECOLE = "directeur_ecole"
    PRINCIPAL = "principal"
    PROVISEUR = "proviseur"
    ADJOINT = "adjoint"
    AUTRE = "autre"


FONCTION_LIBELLES = {
    Fonction.DIRECTEUR_ECOLE: "Directeur / directrice d'école",
    Fonction.PRINCIPAL: "Principal(e)",
    Fonction.PROVISEUR: "Proviseur(e)",
    Fonction.ADJOINT: "Adjoint(e)",
    Fonction.AUTRE: "Autre",
}


STATUT_INTERVENANT_LIBELLES = {
    StatutIntervenant.ENSEIGNANT_1D: "Enseignant du 1er degré",
    StatutIntervenant.ENSEIGNANT_2D: "Enseignant du 2d degré",
    StatutIntervenant.ENSEIGNANT_UPE2A: "Enseignant UPE2A",
    StatutIntervenant.CERTIF_FLS: "Enseignant certifié FLS",
    StatutIntervenant.PROFESSEUR_LV: "Professeur de langue vivante",
    StatutIntervenant.PROFESSEUR_HG: "Professeur d'histoire-géographie",
    StatutIntervenant.FORMATEUR_GRETA: "Formateur GRETA",
    StatutIntervenant.CPE: "CPE",
    StatutIntervenant.PERSONNEL_SANTE: "Personnel de santé",
    StatutIntervenant.PERSONNEL_SOCIAL: "Personnel social",
    StatutIntervenant.VACATAIRE_FLE_FLS: "Vacataire FLE/FLS",
    StatutIntervenant.ASSOCIATION: "Membre d'association",
    StatutIntervenant.AUTRE: "Autre",
}
EMPLOYEUR_LIBELLES = {
    Employeur.EN: "Éducation nationale",
    Employeur.AUTRE_FONCTION_PUBLIQUE: "Autre fonction publique",
    Employeur.PRIVE: "Employeur privé",
    Employeur.SANS: "Sans employeur",
}
STATUT_CUMUL_LIBELLES = {
    StatutCumul.NON_REQUIS: "Non requise",
    StatutCumul.DEMANDE: "Demandée",
    StatutCumul.ACCORDE: "Accordée",
    StatutCumul.REFUSE: "Refusée",
}
SEXE_LIBELLES = {Sexe.F: "Femme", Sexe.M: "Homme", Sexe.NON_RENSEIGNE: "Non renseigné"}
OUI_NON_NSP_LIBELLES = {OuiNonNsp.OUI: "Oui", OuiNonNsp.NON: "Non", OuiNonNsp.NE_SAIT_PAS: "Ne sait pas"}
PRESENCE_LIBELLES = {
    StatutPresence.PRESENT: "Présent(e)",
    StatutPresence.ABSENT: "Absent(e)",
    StatutPresence.ABSENT_EXCUSE: "Absent(e) excusé(e)",
}
MOTIF_SORTIE_LIBELLES = {
    MotifSortie.EMPLOI: "Emploi", MotifSortie.DEMENAGEMENT: "Déménagement",
    MotifSortie.GARDE_ENFANTS: "Garde d'enfants", MotifSortie.SANTE: "Santé",
    MotifSortie.AUTRE: "Autre", MotifSortie.INCONNU: "Inconnu",
}
NIVEAU_LIBELLES = {n: ("Hétérogène" if n == Niveau.HETEROGENE else "Alphabétisation" if n == Niveau.ALPHA else n.value) for n in Niveau}
JOUR_LIBELLES = {j: j.value.capitalize() for j in Jour}

# Every enumeration with its French labels: the `libelle` filter of documents and the pages use it.
class QualificationVivier(StrEnum):
    FLE = "fle"
    FLS = "fls"
    UPE2A = "upe2a"
    ALPHABETISATION = "alpha"
    LANGUE_ORIGINE = "langue"  # speaks a language of the parents


QUALIFICATION_VIVIER_LIBELLES = {
    QualificationVivier.FLE: "Français langue étrangère (FLE)",
    QualificationVivier.FLS: "Français langue seconde (FLS, certification complémentaire)",
    QualificationVivier.UPE2A: "Enseignement en UPE2A",
    QualificationVivier.ALPHABETISATION: "Alphabétisation d'adultes",
    QualificationVivier.LANGUE_ORIGINE: "Parle une langue des familles",
}


def _cle_tri(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode().lower()


# Countries of origin: ISO 3166 codes, French names from the CLDR (Babel), sorted as a French reader expects.
_TERRITOIRES = Locale("fr").territories
PAYS_LIBELLES_BRUTS = {code: nom for code, nom in _TERRITOIRES.items()
                       if len(code) == 2 and code.isalpha() and code not in {"EU", "EZ", "UN", "ZZ", "QO"}}
Pays = StrEnum("Pays", {code: code for code in sorted(PAYS_LIBELLES_BRUTS, key=lambda c: _cle_tri(PAYS_LIBELLES_BRUTS[c]))})
PAYS_LIBELLES = {Pays(code): nom for code, nom in PAYS_LIBELLES_BRUTS.items()}
PAYS_PAR_NOM = {_cle_tri(nom): code for code, nom in PAYS_LIBELLES_BRUTS.items()}
# Member states of the European Union (a parent from elsewhere is « hors UE », a criterion of the programme).
UNION_EUROPEENNE = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())


def code_pays(valeur: str) -> str:
    """« MA », « ma » or « Maroc » → « MA »; ValueError when it names no country."""
    texte = (valeur or "").strip()
    if texte.upper() in PAYS_LIBELLES_BRUTS:
        return texte.upper()
    if code := PAYS_PAR_NOM.get(_cle_tri(texte)):
        return code
    raise ValueError(f"« {texte} » n'est pas un pays connu : choisissez-le dans la liste")


LIBELLES: dict[type, dict] = {
    Role: ROLE_LIBELLES, Etat: ETAT_LIBELLES, TypeStructure: TYPE_STRUCTURE_LIBELLES,
    AvisDasen: AVIS_LIBELLES, DecisionComite: DECISION_LIBELLES, StatutIntervenant: STATUT_INTERVENANT_LIBELLES,
    Employeur: EMPLOYEUR_LIBELLES, StatutCumul: STATUT_CUMUL_LIBELLES, Sexe: SEXE_LIBELLES,
    OuiNonNsp: OUI_NON_NSP_LIBELLES, StatutPresence: PRESENCE_LIBELLES, MotifSortie: MOTIF_SORTIE_LIBELLES,
    Axe: AXE_LIBELLES, Niveau: NIVEAU_LIBELLES, Jour: JOUR_LIBELLES, Fonction: FONCTION_LIBELLES,
    LangueFiche: {langue: libelle_langue(langue) for langue in LangueFiche},
    QualificationVivier: QUALIFICATION_VIVIER_LIBELLES, Pays: PAYS_LIBELLES,
    TraitementReliquat: TRAITEMENT_RELIQUAT_LIBELLES, Orientation: ORIENTATION_LIBELLES,
}


def libelle(valeur) -> str:
    """French label of an enumerated value (its raw value when unknown)."""
    for enum, table in LIBELLES.items():
        if isinstance(valeur, enum):
            return table[valeur]
    return str(valeur)
