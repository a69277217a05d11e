"""Tables of the whole yearly cycle (spec §4–§8). Persistence only: no business rule lives here.

Enumerated values are stored as plain strings (their vocabularies are in forms/vocabulaire.py), money
as Numeric(12, 2) read back as Decimal, and lists (time slots, axes, languages) as JSON.
"""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, Float, Index, LargeBinary, Numeric, Table, Text, Unicode, UniqueConstraint, text
from sqlmodel import Field, SQLModel


def maintenant() -> datetime:
    """Aware UTC timestamp (SQLModel stores it as UTC on SQLite and PostgreSQL alike)."""
    return datetime.now(UTC)


def _argent(nullable: bool = False) -> Any:
    return Field(default=None if nullable else Decimal("0"), sa_type=Numeric(12, 2), nullable=nullable)


def _heures(nullable: bool = False) -> Any:
    return Field(default=None if nullable else Decimal("0"), sa_type=Numeric(7, 2), nullable=nullable)


def _json(default_factory=list) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


# --- Reference data ---------------------------------------------------------------------------


class Academie(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=30)
    nom: str = Field(max_length=80)
    ville_rectorat: str = Field(max_length=80)


class ProfilAcademie(SQLModel, table=True):
    """An académie's own rules and contacts (issue 16 item 4): hours and size of a group, CASNAV antennas per
    département, the booklet's contacts directory and the regulatory references its documents cite."""

    academie_code: str = Field(foreign_key="academie.code", primary_key=True, max_length=30)
    heures_min_par_groupe: Decimal = _heures()
    heures_max_par_groupe: Decimal | None = _heures(nullable=True)  # None: no maximum of the académie's own
    taille_groupe_min: int = 12
    references_reglementaires: list = _json()  # ["Circulaire MENE2525824C du 4 septembre 2025 …", …]
    antennes_casnav: list = _json()  # [{"departement": "31", "antenne": "…"}]
    contacts: list = _json()  # [{"rubrique": "ct_evs", "nom": "…", "fonction": "…", "courriel": "…", …}]
    version: int = 1  # optimistic lock: two people editing the profile → a conflict message
    modifie_par_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    modifie_at: datetime = Field(default_factory=maintenant)


class Departement(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=3)
    nom: str = Field(max_length=80)
    chef_lieu: str = Field(max_length=80)
    academie_code: str = Field(foreign_key="academie.code", index=True)


class Etablissement(SQLModel, table=True):
    uai: str = Field(primary_key=True, max_length=8)
    nom: str = Field(max_length=150)
    type_structure: str = Field(max_length=30)
    commune: str = Field(max_length=80)
    departement_code: str = Field(foreign_key="departement.code", index=True)
    circonscription_ien: str | None = Field(default=None, max_length=120)
    education_prioritaire: str = Field(default="aucune", max_length=10)
    qpv: bool = False
    upe2a: bool = False
    email: str | None = Field(default=None, max_length=120)
    latitude: float | None = None
    longitude: float | None = None


class TauxHoraire(SQLModel, table=True):
    """Vacation rate by effective date: 50/10 000 of the IM100 annual gross salary (spec §7.2)."""

    id: int | None = Field(default=None, primary_key=True)
    date_effet: date = Field(unique=True)
    im100_annuel: Decimal = _argent()
    taux: Decimal = _argent()


# --- Campaign ---------------------------------------------------------------------------------


class Campagne(SQLModel, table=True):
    # One campaign per school year in each académie (Montpellier and Toulouse both run 2025-2026).
    __table_args__ = (UniqueConstraint("academie_code", "annee_scolaire", name="uq_campagne_academie_annee"),)

    id: int | None = Field(default=None, primary_key=True)
    annee_scolaire: str = Field(max_length=9)
    academie_code: str = Field(foreign_key="academie.code")
    cadre_reglementaire: str = Field(default="circ_2025_MENE2525824C", max_length=40)
    date_ouverture: date
    date_limite_depot: date
    date_limite_avis_dasen: date
    date_copil: date
    date_notification: date
    date_debut_ateliers_min: date
    date_fin_ateliers: date
    date_limite_bilan_pedagogique: date
    date_limite_bilan_financier: date
    # Filing reopened by the pilote after the deadline, until this date (spec §6 step 1).
    depot_prolonge_jusqu_au: date | None = None
    heures_min_par_groupe: Decimal = _heures()
    heures_max_par_groupe: Decimal = _heures()
    heures_max_bloquant: bool = False
    taille_groupe_min: int = 12
    taille_groupe_max: int = 15
    plafond_heures_vacation_12_mois: Decimal = _heures()
    seuil_assiduite_pct: int = 70
    budget_p104: Decimal = _argent()
    budget_en: Decimal = _argent()
    cree_at: datetime = Field(default_factory=maintenant)
    version: int = 1


# --- Dossier and its groups -------------------------------------------------------------------


class Dossier(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("campagne_id", "uai", name="uq_dossier_campagne_uai"),)

    id: int | None = Field(default=None, primary_key=True)
    campagne_id: int = Field(foreign_key="campagne.id", index=True)
    uai: str = Field(foreign_key="etablissement.uai", index=True)
    etat: str = Field(default="brouillon", max_length=30, index=True)
    # Optimistic lock: every write checks and increments it (two editors → a conflict message).
    version: int = 1
    # The whole application form as last saved (draft or filed); figures below are derived copies
    # kept in columns so that status pages and agendas can aggregate in SQL.
    formulaire: dict = _json(dict)
    renouvellement: bool = False
    nb_parents_prevus: int = 0
    nb_primo_arrivants_prevus: int = 0
    nb_reinscrits_prevus: int = 0
    heures_total: Decimal = _heures()
    montant_demande: Decimal = _argent()
    depose_at: datetime | None = None
    cree_par_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    cree_at: datetime = Field(default_factory=maintenant)
    modifie_at: datetime = Field(default_factory=maintenant)


class Groupe(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    libelle: str = Field(max_length=120)
    niveau: str = Field(default="heterogene", max_length=12)
    effectif_prevu: int = 0
    heures_prevues: Decimal = _heures()
    heures_financees: Decimal | None = _heures(nullable=True)
    date_debut: date | None = None
    date_fin: date | None = None
    creneaux: list = _json()  # [{"jour": "mardi", "debut": "14:00", "fin": "16:00"}]
    lieu: str | None = Field(default=None, max_length=150)


# --- Intervenants -----------------------------------------------------------------------------


class Intervenant(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    civilite: str | None = Field(default=None, max_length=5)
    nom: str = Field(max_length=80)
    prenom: str = Field(max_length=80)
    email: str | None = Field(default=None, max_length=120)
    statut: str = Field(max_length=30)
    employeur_principal: str = Field(default="EN", max_length=30)
    uai_affectation: str | None = Field(default=None, max_length=8)
    corps_grade: str | None = Field(default=None, max_length=80)
    quotite_service_pct: int | None = None
    qualification_fle_fls: bool = False
    # Pay-only data, encrypted (Fernet tokens, workflow/chiffrement.py) and read by the paying role alone
    # (spec §10 rule 7): the database never holds them in clear.
    nir: str | None = Field(default=None, sa_type=Text)
    iban: str | None = Field(default=None, sa_type=Text)
    adresse: str | None = Field(default=None, sa_type=Text)
    donnees_paie_par_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    donnees_paie_at: datetime | None = None
    vivier_casnav: bool = False  # candidate in the CASNAV pool
    vivier_qualifications: list = _json()  # forms.vocabulaire.QualificationVivier values
    vivier_departements: list = _json()  # département codes where the candidate can work
    vivier_disponibilites: str = ""
    cree_at: datetime = Field(default_factory=maintenant)


class DemandeProfil(SQLModel, table=True):
    """A school without staff of its own asks the CASNAV for an intervenant; the CASNAV proposes one of its pool."""

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    groupe: str = Field(max_length=120)
    qualification: str = Field(max_length=20)
    disponibilites: str = ""
    message: str = ""
    statut: str = Field(default="ouverte", max_length=12, index=True)  # forms.vocabulaire.StatutDemandeProfil values
    intervenant_id: int | None = Field(default=None, foreign_key="intervenant.id")
    creee_par_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    creee_at: datetime = Field(default_factory=maintenant)
    proposee_par_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    proposee_at: datetime | None = None
    reponse: str = ""  # the school's answer when it declines a proposal


class Engagement(SQLModel, table=True):
    """An intervenant planned for, then engaged on, a dossier (optionally one group) for a period."""

    id: int | None = Field(default=None, primary_key=True)
    intervenant_id: int = Field(foreign_key="intervenant.id", index=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    groupe_id: int | None = Field(default=None, foreign_key="groupe.id")
    heures_prevues: Decimal = _heures()
    date_debut: date | None = None
    date_fin: date | None = None
    engage: bool = False  # False while only planned in the application
    statut_cumul: str = Field(default="non_requis", max_length=20)  # forms.vocabulaire.StatutCumul values
    cumul_demande_le: date | None = None
    cumul_accorde_le: date | None = None
    cumul_fin_validite: date | None = None
    atteste_hors_service: bool = False


# --- Parents (« auditeurs »), minimised (spec §6 step 6, §10) ------------------------------------


class Auditeur(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    groupe_id: int | None = Field(default=None, foreign_key="groupe.id", index=True)
    nom: str = Field(max_length=80)
    prenom: str = Field(max_length=80)
    sexe: str = Field(default="non_renseigne", max_length=15)
    annee_naissance: int | None = None
    pays_origine: str | None = Field(default=None, max_length=2)
    hors_ue: bool | None = None
    langues: list = _json()
    annee_arrivee_france: int | None = None
    cir_signe: str = Field(default="ne_sait_pas", max_length=12)
    protection_internationale: str = Field(default="ne_sait_pas", max_length=12)
    scolarisation_anterieure: str | None = Field(default=None, max_length=12)
    lecture_ecriture_langue_origine: str | None = Field(default=None, max_length=10)
    niveau_oral: str = Field(default="non_evalue", max_length=12)
    niveau_ecrit: str = Field(default="non_evalue", max_length=12)
    orientation_par: str | None = Field(default=None, max_length=20)
    deja_inscrit_session_precedente: bool = False
    telephone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=120)
    consentement_image: bool = False
    langue_fiche: str = Field(default="fr", max_length=5)
    date_inscription: date
    date_sortie: date | None = None
    motif_sortie: str | None = Field(default=None, max_length=15)
    anonymise_at: datetime | None = None


class Enfant(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    auditeur_id: int = Field(foreign_key="auditeur.id", index=True)
    prenom: str = Field(max_length=80)
    classe: str = Field(max_length=30)
    uai_ecole: str = Field(max_length=8)


# --- Séances and attendance -------------------------------------------------------------------


class Seance(SQLModel, table=True):
    # One séance of a group per date and start time (a séance recorded twice would be paid twice); a cancelled one
    # does not count, so a séance cancelled then held after all can be recorded again.
    __table_args__ = (Index("uq_seance_groupe_date_debut", "groupe_id", "date_seance", "heure_debut", unique=True,
                            sqlite_where=text("NOT annulee"), postgresql_where=text("NOT annulee")),)

    id: int | None = Field(default=None, primary_key=True)
    groupe_id: int = Field(foreign_key="groupe.id", index=True)
    date_seance: date = Field(index=True)
    heure_debut: time
    heure_fin: time
    # The exact duration in whole minutes (heure_fin − heure_debut): hours are never stored rounded.
    minutes: int = 0
    axes: list = _json()
    contenu: str = ""
    lieu: str | None = Field(default=None, max_length=150)
    annulee: bool = False
    motif_annulation: str | None = None
    certifiee_par_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    certifiee_at: datetime | None = None
    scan_document_id: int | None = Field(default=None, foreign_key="document.id")


class SeanceIntervenant(SQLModel, table=True):
    seance_id: int = Field(foreign_key="seance.id", primary_key=True)
    intervenant_id: int = Field(foreign_key="intervenant.id", primary_key=True, index=True)
    minutes: int = 0  # the time this intervenant is paid for on the séance, exact (whole minutes)
    # Set by the état liquidatif: the rate and amount paid are frozen, so hours are never paid twice.
    liquide_le: date | None = None
    taux_paye: Decimal | None = _argent(nullable=True)
    montant_paye: Decimal | None = _argent(nullable=True)


class Presence(SQLModel, table=True):
    seance_id: int = Field(foreign_key="seance.id", primary_key=True)
    auditeur_id: int = Field(foreign_key="auditeur.id", primary_key=True, index=True)
    statut: str = Field(default="present", max_length=15)


class Evaluation(SQLModel, table=True):
    """A parent's diagnostic evaluation: one initial and one final at most (saved again, it is corrected)."""

    __table_args__ = (UniqueConstraint("auditeur_id", "moment", name="uq_evaluation_auditeur_moment"),)
    id: int | None = Field(default=None, primary_key=True)
    auditeur_id: int = Field(foreign_key="auditeur.id", index=True)
    moment: str = Field(max_length=10)
    date_evaluation: date
    niveau_oral: str = Field(max_length=12)
    niveau_ecrit: str = Field(max_length=12)
    lecture_ecriture_langue_origine: str | None = Field(default=None, max_length=10)
    commentaire: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    evaluateur_id: int = Field(foreign_key="utilisateur.id")
    modifie_at: datetime = Field(default_factory=maintenant)


# --- Selection: DASEN opinion, committee ------------------------------------------------------


class Avis(SQLModel, table=True):
    """The DASEN's opinion on a filed dossier; one per dossier (a new opinion replaces it in history)."""

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", unique=True)
    avis: str = Field(max_length=20)
    motivation: str = ""
    priorite_departementale: int | None = None
    signataire: str = Field(max_length=120)
    donne_par_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    donne_at: datetime = Field(default_factory=maintenant)


class SessionComite(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    campagne_id: int = Field(foreign_key="campagne.id", index=True)
    date_session: date
    lieu: str = Field(default="", max_length=150)
    membres_presents: list = _json()  # [{"fonction": "CT-EVS", "nom": "…"}]
    cloturee: bool = False


class Decision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", unique=True)
    session_id: int | None = Field(default=None, foreign_key="sessioncomite.id")
    decision: str = Field(max_length=30)
    heures_financees: Decimal = _heures()
    montant_p104: Decimal = _argent()
    montant_en: Decimal = _argent()
    conditions: str = ""
    motif_refus: str = ""
    derogation_bilans_motif: str = ""
    decide_par_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    decide_at: datetime = Field(default_factory=maintenant)


# --- Closing ----------------------------------------------------------------------------------


class Bilan(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("dossier_id", "type_bilan", name="uq_bilan_dossier_type"),)

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    type_bilan: str = Field(max_length=12)
    donnees: dict = _json(dict)
    transmis_le: date | None = None


# --- Generated documents, history, users, audit -----------------------------------------------


class ModeleDocument(SQLModel, table=True):
    """A version of an académie's own template for a document type (workflow.modeles): uploaded as a draft, checked,
    then published; the last published is in force (none: the built-in template of templates_docx/). Its file is
    written once (documents.stockage); a restored version is a new row pointing at the same file. A row without a
    file (`chemin` None) is the built-in template put back in force."""

    __table_args__ = (UniqueConstraint("academie_code", "type_document", "version", name="uq_modeledocument_version"),)

    id: int | None = Field(default=None, primary_key=True)
    academie_code: str = Field(foreign_key="academie.code", max_length=30, index=True)
    type_document: str = Field(max_length=40)
    version: int
    etat: str = Field(max_length=12)  # brouillon | publie (forms.vocabulaire.EtatModele)
    nom_fichier: str = Field(max_length=200)  # as uploaded
    chemin: str | None = Field(default=None, max_length=300)  # relative to the documents folder; None: built-in
    sha256: str | None = Field(default=None, max_length=64)
    taille: int = 0
    restaure_de_id: int | None = Field(default=None, foreign_key="modeledocument.id")
    depose_par_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    depose_at: datetime = Field(default_factory=maintenant)
    publie_par_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    publie_at: datetime | None = None


class Document(SQLModel, table=True):
    """A generated file. Immutable: a regeneration is a new row with the next version (per person it concerns)."""

    __table_args__ = (UniqueConstraint("sujet", "type_document", "format", "concerne", "version", name="uq_document_version"),)

    id: int | None = Field(default=None, primary_key=True)
    # What the document is about, e.g. "dossier:12", "campagne:1", "auditeur:40".
    sujet: str = Field(max_length=60, index=True)
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id", index=True)
    campagne_id: int | None = Field(default=None, foreign_key="campagne.id", index=True)
    etape: str = Field(max_length=40, index=True)
    type_document: str = Field(max_length=40)
    format: str = Field(max_length=5)  # docx | pdf
    version: int
    sha256: str = Field(max_length=64)
    taille: int
    chemin: str = Field(max_length=300)  # relative to the documents folder
    nom_fichier: str = Field(max_length=200)
    # Whom a document about one person concerns (« Amina Haddad »), or its group and month; « » for the others.
    concerne: str = Field(default="", max_length=200)
    source_id: int | None = Field(default=None, foreign_key="document.id")  # the DOCX a PDF came from
    # A scan « signé hors application »: the generated document (DOCX) it is the signed paper copy of.
    signe_de_id: int | None = Field(default=None, foreign_key="document.id")
    genere_par_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    genere_at: datetime = Field(default_factory=maintenant)
    # The académie's template version it was rendered with (workflow.noyau.modeles); None: the built-in template.
    modele_id: int | None = Field(default=None, foreign_key="modeledocument.id")


class DocumentSupprime(SQLModel, table=True):
    """A document whose file the retention purge deleted (workflow.automatismes.conservation): lists read this, not
    the store (one request per document on an object store). Its own table, as Document's rows are never modified."""

    document_id: int = Field(foreign_key="document.id", primary_key=True)
    supprime_at: datetime = Field(default_factory=maintenant)


class ImageSignataire(SQLModel, table=True):
    """A version of a signatory's signature or stamp (workflow.noyau.signatures): never overwritten, a replacement is
    the next version; a removal is a version without a file. The highest version is the one documents print."""

    __table_args__ = (UniqueConstraint("signataire", "perimetre", "nature", "version", name="uq_imagesignataire_version"),)

    id: int | None = Field(default=None, primary_key=True)
    signataire: str = Field(max_length=10, index=True)  # forms.vocabulaire.Signataire: porteur, dasen, pilote, daeps
    perimetre: str = Field(max_length=30)  # the head's UAI, the DASEN's département, the pilote's or DAEPS's académie
    nature: str = Field(max_length=10)  # forms.vocabulaire.NatureImage: signature | cachet
    version: int
    chemin: str | None = Field(default=None, max_length=300)  # a PNG relative to the documents folder; None: removed
    sha256: str | None = Field(default=None, max_length=64)
    largeur_px: int | None = None
    hauteur_px: int | None = None
    depose_par_id: int = Field(foreign_key="utilisateur.id")
    depose_at: datetime = Field(default_factory=maintenant)


class RevueDocument(SQLModel, table=True):
    """The DAEPS review of a generated document: approved, or sent back with a comment the author sees."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    statut: str = Field(max_length=12)  # forms.vocabulaire.StatutRevue values (« a_revoir » is never stored)
    commentaire: str = ""
    par_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    at: datetime = Field(default_factory=maintenant)


class Transition(SQLModel, table=True):
    """Append-only history of the workflow: the state column of Dossier is a cache of its last row."""

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id", index=True)
    campagne_id: int | None = Field(default=None, foreign_key="campagne.id", index=True)
    etape: str = Field(max_length=40)
    de: str | None = Field(default=None, max_length=30)
    vers: str | None = Field(default=None, max_length=30)
    acteur_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    motif: str = ""
    # The form as submitted at this step (omitted for steps carrying parents' personal data).
    donnees: dict = _json(dict)
    document_id: int | None = Field(default=None, foreign_key="document.id")
    at: datetime = Field(default_factory=maintenant, index=True)


class Utilisateur(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    identifiant: str = Field(unique=True, max_length=120)  # e-mail address
    nom_affiche: str = Field(max_length=120)
    role: str = Field(max_length=20)
    uai: str | None = Field(default=None, foreign_key="etablissement.uai")
    departement_code: str | None = Field(default=None, foreign_key="departement.code")
    # The académie whose data the account sees; None: the deployment's (OEPRE_ACADEMIE).
    academie_code: str | None = Field(default=None, foreign_key="academie.code", max_length=30)
    intervenant_id: int | None = Field(default=None, foreign_key="intervenant.id")
    mot_de_passe_hash: str = Field(max_length=200)
    # False for a teacher to whom the head delegated the drafting: may edit the draft, not file it.
    peut_deposer: bool = True
    actif: bool = True
    echecs_connexion: int = 0
    bloque_jusqu_au: datetime | None = None
    derniere_connexion: datetime | None = None
    cree_at: datetime = Field(default_factory=maintenant)
    desactive_at: datetime | None = None  # when the account was last deactivated (its history stays)
    # The school whose head invited this account to their team (a delegate, an intervenant); None otherwise.
    equipe_uai: str | None = Field(default=None, foreign_key="etablissement.uai", index=True)


class JetonCompte(SQLModel, table=True):
    """A link sent by e-mail to choose a password (invitation) or to reset it: only its SHA-256 is stored; it is used
    once and expires."""

    id: int | None = Field(default=None, primary_key=True)
    utilisateur_id: int = Field(foreign_key="utilisateur.id", index=True)
    empreinte: str = Field(unique=True, max_length=64)
    nature: str = Field(max_length=20)  # invitation | reinitialisation
    cree_at: datetime = Field(default_factory=maintenant)
    expire_at: datetime
    utilise_at: datetime | None = None
    cree_par_id: int | None = Field(default=None, foreign_key="utilisateur.id")


class JournalAudit(SQLModel, table=True):
    """Append-only log of who read or changed what (logins, accesses refused, purges…)."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=maintenant, index=True)
    utilisateur_id: int | None = Field(default=None, foreign_key="utilisateur.id")
    action: str = Field(max_length=60)
    objet: str = Field(default="", max_length=80)
    details: dict = _json(dict)


# --- Notifications and the scheduler -------------------------------------------------------------


class Notification(SQLModel, table=True):
    """One e-mail of the outbox. Its key (kind, subject, due date, recipient) is unique: a reminder computed twice,
    by two processes or after a restart, is created once; a row is claimed before it is sent, so it is sent once."""

    id: int | None = Field(default=None, primary_key=True)
    cle: str = Field(unique=True, max_length=200)
    type_notification: str = Field(max_length=40, index=True)
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id", index=True)
    campagne_id: int | None = Field(default=None, foreign_key="campagne.id", index=True)
    destinataire: str = Field(max_length=120)
    sujet: str = Field(max_length=200)
    corps: str = Field(sa_type=Text)
    echeance: date | None = None
    statut: str = Field(default="en_attente", max_length=12, index=True)  # forms.vocabulaire.StatutNotification values
    tentatives: int = 0
    prochain_essai_at: datetime = Field(default_factory=maintenant, index=True)
    verrou_at: datetime | None = None  # when a process claimed it for sending
    derniere_erreur: str = ""
    cree_at: datetime = Field(default_factory=maintenant)
    envoye_at: datetime | None = None
    # The other addresses of a message to a team (head, delegate, intervenants): one e-mail, several recipients.
    copies: list = _json()
    # A stored document the e-mail carries (the decision's notification): a reference, never a copy of its bytes;
    # its PDF is attached when it is sent (workflow.automatismes.notifications).
    document_id: int | None = Field(default=None, foreign_key="document.id")


class PreferenceCourriel(SQLModel, table=True):
    """How an account wants the e-mails of one kind (workflow.automatismes.transitions): at once, in the daily
    digest, or not at all (forms.vocabulaire.FrequenceCourriel values). No row: the kind's default."""

    utilisateur_id: int = Field(foreign_key="utilisateur.id", primary_key=True)
    type_notification: str = Field(max_length=40, primary_key=True)
    frequence: str = Field(max_length=12)
    modifie_at: datetime = Field(default_factory=maintenant)


# APScheduler's job store (SQLAlchemyJobStore) on the application's database, declared here so that the
# migrations create it and the schema comparison knows it; APScheduler reads and writes it itself.
TABLE_TACHES = Table("apscheduler_jobs", SQLModel.metadata,
                     Column("id", Unicode(191), primary_key=True),
                     Column("next_run_time", Float(25), index=True),
                     Column("job_state", LargeBinary, nullable=False))


APPEND_ONLY = (Transition, JournalAudit, Document, RevueDocument, DocumentSupprime)
