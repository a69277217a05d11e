"""The closed vocabularies of the domain (spec §3.3, §6). Stored as plain strings in the database."""

import unicodedata
from enum import StrEnum

from babel import Locale


class Vocabulaire(StrEnum):
    """A closed vocabulary whose members carry their French label: `MEMBRE = "valeur", "Libellé"`.

    The value is what the database and the documents store (never changed by a label); the label is what a person
    reads, declared beside the value so that there is no second table to keep in step."""

    def __new__(cls, valeur: str, libelle: str):
        membre = str.__new__(cls, valeur)
        membre._value_ = valeur
        membre._libelle = libelle
        return membre

    @property
    def libelle(self) -> str:
        return self._libelle


class Role(Vocabulaire):
    PORTEUR = "porteur", "Porteur (directeur d'école / chef d'établissement)"
    INTERVENANT = "intervenant", "Intervenant"
    GESTIONNAIRE = "gestionnaire", "Gestionnaire (service payeur)"
    DSDEN = "dsden", "DSDEN (avis du DASEN)"
    DAEPS = "daeps", "DAEPS (rectorat)"
    COMITE = "comite", "Membre du comité de pilotage"
    CASNAV = "casnav", "CASNAV"
    PILOTE = "pilote", "Pilote académique (CT-EVS)"
    INTERIEUR = "interieur", "Ministère de l'Intérieur (agrégats)"
    ADMIN = "admin", "Administrateur"


class Etat(Vocabulaire):
    """States of a dossier (spec §6, « Dossier state machine »)."""

    BROUILLON = "brouillon", "Brouillon"
    DEPOSE = "depose", "Déposé"
    AVIS_DONNE = "avis_donne", "Avis du DASEN donné"
    RETENU = "retenu", "Retenu"
    RETENU_SOUS_CONDITIONS = "retenu_sous_conditions", "Retenu sous conditions"
    NON_RETENU = "non_retenu", "Non retenu"
    LISTE_ATTENTE = "liste_attente", "Liste d'attente"
    EN_COURS = "en_cours", "Ateliers en cours"
    ATELIERS_TERMINES = "ateliers_termines", "Ateliers terminés"
    CLOS = "clos", "Clos (bilans transmis)"
    ABANDONNE = "abandonne", "Abandonné"


RETENUS = (Etat.RETENU, Etat.RETENU_SOUS_CONDITIONS)
EN_ACTIVITE = (*RETENUS, Etat.EN_COURS, Etat.ATELIERS_TERMINES)
# States of a dossier that was financed (its bilans are then owed for next year's renewal).
FINANCES = (*EN_ACTIVITE, Etat.CLOS, Etat.ABANDONNE)


class TypeStructure(Vocabulaire):
    ECOLE_MATERNELLE = "ecole_maternelle", "École maternelle"
    ECOLE_ELEMENTAIRE = "ecole_elementaire", "École élémentaire"
    ECOLE_PRIMAIRE = "ecole_primaire", "École primaire"
    COLLEGE = "college", "Collège"
    LYCEE = "lycee", "Lycée"
    LYCEE_PRO = "lycee_pro", "Lycée professionnel"
    EREA = "erea", "EREA"

    @property
    def degre(self) -> int:
        return 1 if self.value.startswith("ecole") else 2


class EducationPrioritaire(Vocabulaire):
    AUCUNE = "aucune", "Aucune"
    REP = "REP", "REP"
    REP_PLUS = "REP+", "REP+"


class Niveau(Vocabulaire):
    ALPHA = "alpha", "Alphabétisation"
    A11 = "A1.1", "A1.1"
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    HETEROGENE = "heterogene", "Hétérogène"


NIVEAUX_D_UNE_PERSONNE = tuple(n for n in Niveau if n != Niveau.HETEROGENE)  # lowest first; « Hétérogène » is a group's


class MomentEvaluation(Vocabulaire):
    INITIALE = "initiale", "Évaluation initiale"
    FINALE = "finale", "Évaluation finale"


class Scolarisation(Vocabulaire):
    AUCUNE = "aucune", "Aucune"
    PRIMAIRE = "primaire", "Primaire"
    SECONDAIRE = "secondaire", "Secondaire"
    SUPERIEURE = "superieure", "Supérieure"


class LectureEcriture(Vocabulaire):
    """Reading and writing in the home language: distinguishes alphabétisation from FLE/FLS."""

    OUI = "oui", "Oui"
    PARTIEL = "partiel", "En partie"
    NON = "non", "Non"


class AvisDasen(Vocabulaire):
    FAVORABLE = "favorable", "Favorable"
    FAVORABLE_RESERVE = "favorable_reserve", "Favorable avec réserves"
    DEFAVORABLE = "defavorable", "Défavorable"


class DecisionComite(Vocabulaire):
    RETENU = "retenu", "Retenu"
    RETENU_SOUS_CONDITIONS = "retenu_sous_conditions", "Retenu sous conditions"
    NON_RETENU = "non_retenu", "Non retenu"
    LISTE_ATTENTE = "liste_attente", "Liste d'attente"


class StatutIntervenant(Vocabulaire):
    ENSEIGNANT_1D = "enseignant_1d", "Enseignant du 1er degré"
    ENSEIGNANT_2D = "enseignant_2d", "Enseignant du 2d degré"
    ENSEIGNANT_UPE2A = "enseignant_upe2a", "Enseignant UPE2A"
    CERTIF_FLS = "certif_fls", "Enseignant certifié FLS"
    PROFESSEUR_LV = "professeur_lv", "Professeur de langue vivante"
    PROFESSEUR_HG = "professeur_hg", "Professeur d'histoire-géographie"
    FORMATEUR_GRETA = "formateur_greta", "Formateur GRETA"
    CPE = "cpe", "CPE"
    PERSONNEL_SANTE = "personnel_sante", "Personnel de santé"
    PERSONNEL_SOCIAL = "personnel_social", "Personnel social"
    VACATAIRE_FLE_FLS = "vacataire_fle_fls", "Vacataire FLE/FLS"
    ASSOCIATION = "association", "Membre d'association"
    AUTRE = "autre", "Autre"


QUALIFIES_FLE_FLS = {StatutIntervenant.ENSEIGNANT_UPE2A, StatutIntervenant.CERTIF_FLS, StatutIntervenant.VACATAIRE_FLE_FLS}


class Employeur(Vocabulaire):
    EN = "EN", "Éducation nationale"
    AUTRE_FONCTION_PUBLIQUE = "autre_fonction_publique", "Autre fonction publique"
    PRIVE = "prive", "Employeur privé"
    SANS = "sans", "Sans employeur"


class StatutCumul(Vocabulaire):
    """The authorisation of cumul d'activités of a public agent (Engagement.statut_cumul): no pay before it is granted."""

    NON_REQUIS = "non_requis", "Non requise"
    DEMANDE = "demande", "Demandée"
    ACCORDE = "accorde", "Accordée"
    REFUSE = "refuse", "Refusée"


class Sexe(Vocabulaire):
    F = "F", "Femme"
    M = "M", "Homme"
    NON_RENSEIGNE = "non_renseigne", "Non renseigné"


class OuiNonNsp(Vocabulaire):
    OUI = "oui", "Oui"
    NON = "non", "Non"
    NE_SAIT_PAS = "ne_sait_pas", "Ne sait pas"


class MotifSortie(Vocabulaire):
    EMPLOI = "emploi", "Emploi"
    DEMENAGEMENT = "demenagement", "Déménagement"
    GARDE_ENFANTS = "garde_enfants", "Garde d'enfants"
    SANTE = "sante", "Santé"
    AUTRE = "autre", "Autre"
    INCONNU = "inconnu", "Inconnu"


class Axe(Vocabulaire):
    LANGUE = "langue", "Apprentissage du français (comprendre, parler, lire, écrire)"
    ECOLE = "ecole", "Connaissance du fonctionnement et des attentes de l'École"
    VALEURS = "valeurs", "Connaissance des valeurs de la République"


class StatutPresence(Vocabulaire):
    PRESENT = "present", "Présent(e)"
    ABSENT = "absent", "Absent(e)"
    ABSENT_EXCUSE = "absent_excuse", "Absent(e) excusé(e)"


class TypeBilan(Vocabulaire):
    PEDAGOGIQUE = "pedagogique", "Bilan pédagogique"
    FINANCIER = "financier", "Bilan financier"


class Orientation(Vocabulaire):
    ECOLE = "ecole", "L'école ou l'établissement de l'enfant"
    UPE2A = "upe2a", "L'UPE2A"
    OFII = "ofii", "L'OFII"
    ASSOCIATION = "association", "Une association"
    SERVICE_SOCIAL = "service_social", "Un service social"
    ENTOURAGE = "entourage", "Un autre parent, l'entourage"
    AUTRE = "autre", "Autre"


class TraitementReliquat(Vocabulaire):
    REVERSEMENT = "reversement", "Reversement"
    REPORT = "report", "Report sur l'année suivante"
    AUTRE = "autre", "Autre (préciser)"


class Jour(Vocabulaire):
    LUNDI = "lundi", "Lundi"
    MARDI = "mardi", "Mardi"
    MERCREDI = "mercredi", "Mercredi"
    JEUDI = "jeudi", "Jeudi"
    VENDREDI = "vendredi", "Vendredi"
    SAMEDI = "samedi", "Samedi"
    DIMANCHE = "dimanche", "Dimanche"


class Fonction(Vocabulaire):
    DIRECTEUR_ECOLE = "directeur_ecole", "Directeur / directrice d'école"
    PRINCIPAL = "principal", "Principal(e)"
    PROVISEUR = "proviseur", "Proviseur(e)"
    ADJOINT = "adjoint", "Adjoint(e)"
    AUTRE = "autre", "Autre"


class StatutNotification(Vocabulaire):
    """Where an e-mail of the outbox stands (Notification.statut): waiting for its (next) try, claimed by the process
    sending it, sent, or given up (a definitive refusal, or the last try)."""

    EN_ATTENTE = "en_attente", "En attente"
    ENVOI = "envoi", "En cours d'envoi"
    ENVOYE = "envoye", "Envoyé"
    ECHEC = "echec", "Échec"
    # A transition's e-mail to someone who reads them in the daily digest: kept, never sent on its own.
    DIFFERE = "differe", "Gardé pour le résumé du jour"
    REGROUPE = "regroupe", "Envoyé dans le résumé du jour"


class FrequenceCourriel(Vocabulaire):
    """How an account wants one kind of e-mail (page « Mes courriels »)."""

    IMMEDIAT = "immediat", "Tout de suite"
    RESUME = "resume", "Dans le résumé du jour (le matin)"
    AUCUN = "aucun", "Jamais"


class EtatModele(Vocabulaire):
    """A version of an académie's template (db.models.ModeleDocument.etat)."""

    BROUILLON = "brouillon", "Brouillon"
    PUBLIE = "publie", "Publié"


class StatutRevue(Vocabulaire):
    """The DAEPS review of a generated document (RevueDocument.statut). « À revoir » is never stored: it is the status
    of a document without any review yet."""

    A_REVOIR = "a_revoir", "À revoir"
    APPROUVE = "approuve", "Approuvé"
    A_CORRIGER = "a_corriger", "À corriger"


class StatutDemandeProfil(Vocabulaire):
    """A school's request for an intervenant of the CASNAV's pool (DemandeProfil.statut)."""

    OUVERTE = "ouverte", "En attente d'une proposition"
    PROPOSEE = "proposee", "Profil proposé"
    ACCEPTEE = "acceptee", "Acceptée, intervenant engagé"


class QualificationVivier(Vocabulaire):
    FLE = "fle", "Français langue étrangère (FLE)"
    FLS = "fls", "Français langue seconde (FLS, certification complémentaire)"
    UPE2A = "upe2a", "Enseignement en UPE2A"
    ALPHABETISATION = "alpha", "Alphabétisation d'adultes"
    LANGUE_ORIGINE = "langue", "Parle une langue des familles"  # speaks a language of the parents


def _cle_tri(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode().lower()


# Countries of origin: ISO 3166 codes, French names from the CLDR (Babel), sorted as a French reader expects.
_TERRITOIRES = {code: nom for code, nom in Locale("fr").territories.items()
                if len(code) == 2 and code.isalpha() and code not in {"EU", "EZ", "UN", "ZZ", "QO"}}
Pays = Vocabulaire("Pays", {code: (code, _TERRITOIRES[code]) for code in sorted(_TERRITOIRES, key=lambda c: _cle_tri(_TERRITOIRES[c]))})
PAYS_PAR_NOM = {_cle_tri(pays.libelle): pays.value for pays in Pays}
# Member states of the European Union (a parent from elsewhere is « hors UE », a criterion of the programme).
UNION_EUROPEENNE = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())


def code_pays(valeur: str) -> str:
    """« MA », « ma » or « Maroc » → « MA »; ValueError when it names no country."""
    texte = (valeur or "").strip()
    if texte.upper() in Pays.__members__:
        return texte.upper()
    if code := PAYS_PAR_NOM.get(_cle_tri(texte)):
        return code
    raise ValueError(f"« {texte} » n'est pas un pays connu : choisissez-le dans la liste")


def libelle(valeur) -> str:
    """What a person reads for any value: a vocabulary's member by its label, anything else as its text (the
    documents' `libelle` filter receives whatever a context holds, stored strings included)."""
    return valeur.libelle if isinstance(valeur, Vocabulaire) else str(valeur)


class RubriqueContact(Vocabulaire):
    """The headings of the booklet's contacts directory (« Contacts académiques », spec §3.2)."""

    CT_EVS = "ct_evs", "Conseiller technique EVS"
    DAEPS = "daeps", "Bureau DAEPS (crédits)"
    CASNAV = "casnav", "Coordination du CASNAV"
    DSDEN = "dsden", "Contact OEPRE de la DSDEN"
    INTERIEUR = "interieur", "Contact départemental de l'Intérieur (DDETS)"


class Signataire(Vocabulaire):
    """Who signs a document's signature block with an image of their own (workflow.signatures): the holder of a
    signature and a stamp, each for their scope (a school, a département, the académie)."""

    PORTEUR = "porteur", "Directeur d'école ou chef d'établissement"
    DASEN = "dasen", "IA-DASEN du département"
    PILOTE = "pilote", "Pilote académique (CT-EVS, pour le recteur)"
    DAEPS = "daeps", "Bureau DAEPS"


class NatureImage(Vocabulaire):
    SIGNATURE = "signature", "Signature"
    CACHET = "cachet", "Cachet"
