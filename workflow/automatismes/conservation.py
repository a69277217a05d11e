"""Retention of parents' personal data (spec §10 rule 6) and their rights (RGPD art. 15 and 17).

A campaign's parents are anonymised once the bilan year has ended (31 August of the campaign's second year)
plus `conservation_mois` months; the school hears of it 30 days before. Anonymising a parent deletes what
names or reaches the person — name, phone, e-mail, children, and the stored files naming parents (fiches
d'inscription, lists, attestations) — and keeps the coded attributes and attendance the bilans and
indicators count. Pay evidence (attendance sheets, signed scans) is kept for the public accounts. Every purge,
export and erasure is written to the audit log.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, delete, select, update

from db.models import (
    Auditeur,
    Campagne,
    Document,
    DocumentSupprime,
    Dossier,
    Enfant,
    Etablissement,
    Evaluation,
    Groupe,
    Presence,
    Seance,
    Transition,
    Utilisateur,
)
from documents import stockage
from forms.base import ErreursSaisie, texte_saisi
from forms.vocabulaire import Role
from infra.settings import get_settings
from workflow.automatismes.notifications import programmer
from workflow.automatismes.rappels import adresses_ecole
from workflow.noyau.moteur import charger_dossier
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import Acteur
from workflow.noyau.requetes import supprimes_parmi
from workflow.noyau.transaction import journaliser

PREAVIS = timedelta(days=30)
# Files that name parents and are no pay evidence: deleted with the parents' data (their rows stay, as tombstones).
DOCUMENTS_PURGES = ("fiche_inscription", "liste_auditeurs", "attestation", "attestations_lot")
NOM_ANONYME = "Parent anonymisé"


def date_anonymisation(campagne: Campagne) -> date:
    """End of the bilan year (31 August) plus the retention period, in months."""
    fin = date(int(campagne.annee_scolaire[5:]), 8, 31)
    mois = fin.month - 1 + get_settings().conservation_mois
    annee, mois = fin.year + mois // 12, mois % 12 + 1
    jour = 31
    while True:
        try:
            return date(annee, mois, jour)
        except ValueError:
            jour -= 1


def _effacer(parent: Auditeur, maintenant: datetime, *, tout: bool) -> None:
    parent.nom, parent.prenom = NOM_ANONYME, f"n° {parent.id}"
    parent.telephone = parent.email = None
    parent.consentement_image = False
    if tout:  # an erasure on request also drops the coded attributes
        parent.annee_naissance = parent.pays_origine = parent.hors_ue = parent.annee_arrivee_france = None
        parent.langues, parent.orientation_par = [], None
        parent.cir_signe = parent.protection_internationale = "ne_sait_pas"
        parent.sexe, parent.niveau_oral, parent.niveau_ecrit = "non_renseigne", "non_evalue", "non_evalue"
    parent.anonymise_at = maintenant


def _supprimer_fichiers(session: Session, documents: list[Document]) -> tuple[int, list[DocumentSupprime]]:
    """Each document's file deleted, and the records saying so for the caller to add in its transaction: lists read
    them, not the store. Re-run after a crash between the two, the purge records what it finds already gone."""
    depot, deja = stockage.depot(), supprimes_parmi(session, [d.id for d in documents])
    a_purger = [doc for doc in documents if doc.id not in deja]
    return sum(depot.supprimer(doc.chemin) for doc in a_purger), [DocumentSupprime(document_id=d.id) for d in a_purger]


@dataclass(frozen=True)
class RapportConservation:
    avis: int = 0
    parents_anonymises: int = 0
    fichiers_supprimes: int = 0


def appliquer(session: Session, jour: date, maintenant: datetime) -> RapportConservation:
    """The nightly task: notices 30 days before, then anonymisation, campaign by campaign."""

    avis = anonymises = fichiers = 0
    utilisateurs = list(session.exec(select(Utilisateur)))
    for campagne in session.exec(select(Campagne)):
        quand = date_anonymisation(campagne)
        if jour < quand - PREAVIS:
            continue
        dossiers = session.exec(select(Dossier, Etablissement).join(Etablissement, Etablissement.uai == Dossier.uai)
                                .where(Dossier.campagne_id == campagne.id)).all()
        restants = _parents_non_anonymises(session, [d.id for d, _ in dossiers])
        for d, e in dossiers:
            if not restants.get(d.id):
                continue
            if jour < quand:
                for adresse in adresses_ecole(utilisateurs, e):
                    avis += programmer(session, type_notification="purge_prochaine", destinataire=adresse, echeance=quand,
                                       sujet_cle=f"dossier:{d.id}", maintenant=maintenant, dossier_id=d.id,
                                       campagne_id=campagne.id, nombre=restants[d.id], objet=e.nom)
                continue
            parents = session.exec(select(Auditeur).where(Auditeur.dossier_id == d.id, Auditeur.anonymise_at.is_(None))).all()
            for parent in parents:
                _effacer(parent, maintenant, tout=False)
                session.add(parent)
            session.execute(delete(Enfant).where(Enfant.auditeur_id.in_([p.id for p in parents])))
            session.execute(update(Evaluation).where(Evaluation.auditeur_id.in_([p.id for p in parents]))
                            .values(commentaire=""))  # free text may name the parent; the levels stay for the bilans
            supprimes, marques = _supprimer_fichiers(session, list(session.exec(select(Document).where(
                Document.dossier_id == d.id, Document.type_document.in_(DOCUMENTS_PURGES)))))
            session.add_all(marques)
            journaliser(session, None, "purge_conservation", f"dossier:{d.id}", parents=len(parents), fichiers=supprimes,
                        date_anonymisation=quand.isoformat())
            anonymises += len(parents)
            fichiers += supprimes
        # Batches of the campaign outside any dossier (the académie's, a département's) name parents too.
        if jour >= quand:
            supprimes, marques = _supprimer_fichiers(session, list(session.exec(select(Document).where(
                Document.campagne_id == campagne.id, Document.dossier_id.is_(None),
                Document.type_document.in_(DOCUMENTS_PURGES)))))
            session.add_all(marques)
            fichiers += supprimes
        session.commit()
    return RapportConservation(avis, anonymises, fichiers)


def _parents_non_anonymises(session: Session, dossier_ids: list[int]) -> dict[int, int]:
    from sqlalchemy import func

    return dict(session.exec(select(Auditeur.dossier_id, func.count()).where(
        Auditeur.dossier_id.in_(dossier_ids), Auditeur.anonymise_at.is_(None)).group_by(Auditeur.dossier_id)).all())


# --- A parent's rights, exercised through the head of the school ------------------------------------

GARANTS_DES_DROITS = (Role.PORTEUR,)


def _parent(session: Session, acteur: Acteur, auditeur_id: int) -> Auditeur:
    parent = session.get(Auditeur, auditeur_id)
    if parent is None:
        raise ErreursSaisie(["« Parent » : ce parent n'existe pas."])
    charger_dossier(session, acteur, parent.dossier_id)  # scope: the school's own parents only
    return parent


@operation("rgpd_export", "Exercer les droits d'un parent", GARANTS_DES_DROITS)
def exporter_parent(ecriture: Ecriture, auditeur_id: int) -> bytes:
    """Everything the service holds about one parent, as JSON (right of access)."""
    session = ecriture.session
    parent = _parent(session, ecriture.acteur, auditeur_id)
    enfants = session.exec(select(Enfant).where(Enfant.auditeur_id == parent.id)).all()
    presences = session.exec(select(Seance.date_seance, Groupe.libelle, Presence.statut)
                             .join(Seance, Seance.id == Presence.seance_id).join(Groupe, Groupe.id == Seance.groupe_id)
                             .where(Presence.auditeur_id == parent.id).order_by(Seance.date_seance)).all()
    donnees = {
        "parent": parent.model_dump(mode="json", exclude={"dossier_id", "groupe_id"}),
        "enfants": [{"prenom": e.prenom, "classe": e.classe, "ecole": e.uai_ecole} for e in enfants],
        "presences": [{"date": j.isoformat(), "groupe": g, "statut": s} for j, g, s in presences],
        "evaluations": [{"moment": e.moment, "date": e.date_evaluation.isoformat(), "niveau_oral": e.niveau_oral,
                         "niveau_ecrit": e.niveau_ecrit, "lecture_ecriture_langue_origine": e.lecture_ecriture_langue_origine,
                         "commentaire": e.commentaire}
                        for e in session.exec(select(Evaluation).where(Evaluation.auditeur_id == parent.id)
                                              .order_by(Evaluation.date_evaluation))],
        "documents": [{"type": d.type_document, "format": d.format, "produit_le": d.genere_at.isoformat()}
                      for d in _documents_du_parent(session, parent)],
    }
    ecriture.journaliser(f"auditeur:{parent.id}")
    return json.dumps(donnees, ensure_ascii=False, indent=2).encode("utf-8")


def _documents_du_parent(session: Session, parent: Auditeur) -> list[Document]:
    """The documents produced for this parent alone (their fiche, their attestations), found through the history."""
    transitions = session.exec(select(Transition).where(Transition.dossier_id == parent.dossier_id,
                                                        Transition.document_id.is_not(None))).all()
    sources = [t.document_id for t in transitions if t.donnees.get("auditeur_id") == parent.id]
    if not sources:
        return []
    return list(session.exec(select(Document).where(Document.id.in_(sources) | Document.source_id.in_(sources))))


@operation("rgpd_effacement", "Exercer les droits d'un parent", GARANTS_DES_DROITS)
def effacer_parent(ecriture: Ecriture, auditeur_id: int, motif: str, maintenant: datetime) -> int:
    """Right to erasure: the parent's record is anonymised now, coded attributes included, their children removed and
    the files produced for them alone deleted. Returns the number of files deleted."""
    session = ecriture.session
    motif = texte_saisi("Motif", motif)
    if len(motif) < 3:
        raise ErreursSaisie(["« Motif » : indiquez la demande (par exemple « demande écrite du 12/03 »)."])
    parent = _parent(session, ecriture.acteur, auditeur_id)
    fichiers, marques = _supprimer_fichiers(session, _documents_du_parent(session, parent))
    _effacer(parent, maintenant, tout=True)
    session.add_all([parent, *marques])
    session.execute(delete(Enfant).where(Enfant.auditeur_id == parent.id))
    session.execute(delete(Evaluation).where(Evaluation.auditeur_id == parent.id))
    ecriture.journaliser(f"auditeur:{parent.id}", motif=motif, fichiers=fichiers)
    return fichiers
