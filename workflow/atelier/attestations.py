"""Attestations in one batch (spec §9.5): every parent who attended of an atelier, of a département or of
the whole académie, as one print-ready PDF plus a ZIP of one PDF per parent.

Who: the head of the school for its atelier; the DSDEN for an atelier or its département; the DAEPS for
the académie (for écoles the rectorat is the data controller, spec §10 rule 1, and prints them centrally).
Each copy is exactly the single attestation (same template, same figures, same rules): parents with no
hour attended get none, the assiduity mention follows the campaign's threshold. Files are stored as
immutable documents, both or neither; the audit log records who produced how many."""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import distinct, func
from sqlmodel import Session, select

from db.models import Auditeur, Campagne, Dossier, Etablissement, Presence, Seance
from documents import archive, lot, pdf
from documents.catalogue import libelle_document
from forms.atelier import AttestationForm
from forms.base import ErreursSaisie, valider
from forms.vocabulaire import Etat, Fonction, Role
from infra.settings import get_settings
from workflow.atelier.actions import remplir_attestation
from workflow.atelier.etapes import PAR_CLE
from workflow.noyau.assiduite import assiduites, presence_comptee
from workflow.noyau.modeles import modele_en_vigueur
from workflow.noyau.moteur import charger_dossier, contexte_commun, contexte_du_document, enregistrer_fichier, numero_dossier
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import AccesRefuse, Acteur, exiger_role

GABARIT = "attestation"
TYPE_LOT = "attestations_lot"
PRODUCTEURS_ATELIER = (Role.PORTEUR, Role.DSDEN)
PRODUCTEURS_ACADEMIE = (Role.DAEPS, Role.DSDEN)  # the DSDEN on its own département
ETATS = PAR_CLE["attester"].depuis
ERREURS_PRODUCTION = (pdf.LibreOfficeAbsent, pdf.ConversionEchouee)  # said to the user as they are, in French


@dataclass(frozen=True)
class ResultatLot:
    documents: list[int]  # the merged PDF, then the ZIP
    attestations: int
    pages: int


def signataire_du_dossier(dossier: Dossier) -> tuple[str, str]:
    """The head named in the application, and the function printed after the name."""
    formulaire = dossier.formulaire or {}
    fonction = formulaire.get("responsable_fonction")
    fonction_texte = "responsable de l'établissement" if fonction in (None, Fonction.AUTRE) else Fonction(fonction).libelle
    return formulaire.get("responsable_nom") or "", fonction_texte


def signataire(session: Session, acteur: Acteur, dossier_id: int) -> tuple[str, str]:
    dossier, _ = charger_dossier(session, acteur, dossier_id)
    return signataire_du_dossier(dossier)


def _dossiers(session: Session, acteur: Acteur, campagne: Campagne, dossier_id: int | None) -> list[tuple[Dossier, Etablissement]]:
    if dossier_id is not None:
        exiger_role(acteur, PRODUCTEURS_ATELIER, "Produire les attestations d'un atelier")
        dossier, etab = charger_dossier(session, acteur, dossier_id)
        if dossier.campagne_id != campagne.id:
            raise AccesRefuse("Ce dossier n'appartient pas à cette campagne.")
        return [(dossier, etab)]
    exiger_role(acteur, PRODUCTEURS_ACADEMIE, "Produire les attestations de l'académie")
    requete = (select(Dossier, Etablissement).join(Etablissement, Etablissement.uai == Dossier.uai)
               .where(Dossier.campagne_id == campagne.id, Dossier.etat.in_([e.value for e in ETATS]))
               .order_by(Etablissement.departement_code, Etablissement.commune, Etablissement.nom))
    if acteur.role == Role.DSDEN:
        requete = requete.where(Etablissement.departement_code == acteur.departement)
    return list(session.exec(requete))


@dataclass(frozen=True)
class PerimetreLot:
    departement: str
    ateliers: int
    parents: int  # parents with at least one hour attended: one attestation each


def perimetre(session: Session, acteur: Acteur, *, campagne_id: int) -> list[PerimetreLot]:
    """What the académie (or département) batch would print, counted per département: no name is read."""
    campagne = session.get(Campagne, campagne_id)
    if campagne is None:
        raise AccesRefuse("Campagne introuvable.")
    exiger_role(acteur, PRODUCTEURS_ACADEMIE, "Produire les attestations de l'académie")
    requete = (select(Etablissement.departement_code, func.count(distinct(Dossier.id)), func.count(distinct(Presence.auditeur_id)))
               .select_from(Presence).join(Seance, Seance.id == Presence.seance_id)
               .join(Auditeur, Auditeur.id == Presence.auditeur_id).join(Dossier, Dossier.id == Auditeur.dossier_id)
               .join(Etablissement, Etablissement.uai == Dossier.uai)
               .where(Dossier.campagne_id == campagne_id, Dossier.etat.in_([e.value for e in ETATS]), presence_comptee(),
                      Seance.minutes > 0)
               .group_by(Etablissement.departement_code).order_by(Etablissement.departement_code))
    if acteur.role == Role.DSDEN:
        requete = requete.where(Etablissement.departement_code == acteur.departement)
    return [PerimetreLot(dep, ateliers, parents) for dep, ateliers, parents in session.exec(requete)]


def exemplaires(session: Session, acteur: Acteur, *, campagne_id: int, dossier_id: int | None = None,
                signataire: str | None = None, fonction: str | None = None) -> list[lot.Exemplaire]:
    """One attestation context per parent who attended, in print order (école, groupe, name)."""
    campagne = session.get(Campagne, campagne_id)
    if campagne is None:
        raise AccesRefuse("Campagne introuvable.")
    dossiers = _dossiers(session, acteur, campagne, dossier_id)
    if dossier_id is not None and Etat(dossiers[0][0].etat) not in ETATS:
        raise ErreursSaisie([f"Les attestations se délivrent quand l'atelier a commencé (le dossier est à l'état "
                             f"« {Etat(dossiers[0][0].etat).libelle} »)."])
    suivis = assiduites(session, [d.id for d, _ in dossiers])
    parents: dict[int, list[Auditeur]] = {}
    for parent in session.exec(select(Auditeur).where(Auditeur.dossier_id.in_([d.id for d, _ in dossiers]))
                               .order_by(Auditeur.groupe_id, Auditeur.nom, Auditeur.prenom)):
        parents.setdefault(parent.dossier_id, []).append(parent)
    resultat = []
    for dossier, etab in dossiers:
        nom_defaut, fonction_defaut = signataire_du_dossier(dossier)
        reference = f"OEPRE/{campagne.annee_scolaire}/{numero_dossier(campagne, dossier)}/{GABARIT}"
        commun = contexte_commun(session, campagne, etab, dossier, reference)
        for parent in parents.get(dossier.id, []):
            suivi = suivis[parent.id]
            if not suivi.minutes_presentes:
                continue
            form = valider(AttestationForm, {
                "auditeur_id": parent.id, "signataire": signataire or nom_defaut or "Le directeur ou la directrice",
                "fonction_signataire": fonction or fonction_defaut})
            form = remplir_attestation(form, parent, suivi, campagne)
            # « 0310001H Ecole des Tilleuls/0007 - Attestation de suivi de formation - Amina Haddad.pdf »: by school,
            # numbered in print order (which also keeps two parents' names apart)
            numero = len(resultat) + 1
            nom = " - ".join((f"{numero:04d}", archive.nom_lisible(libelle_document(GABARIT)),
                              archive.nom_lisible(f"{parent.prenom} {parent.nom}")))
            resultat.append(lot.Exemplaire(f"{archive.nom_lisible(f'{etab.uai} {etab.nom}')}/{nom}.pdf",
                                           contexte_du_document(GABARIT, commun, form),
                                           f"{parent.prenom} {parent.nom} — {etab.nom} ({etab.commune})"))
    return resultat


@operation("attestations_lot", "Produire un lot d'attestations", dict.fromkeys((*PRODUCTEURS_ATELIER, *PRODUCTEURS_ACADEMIE)))
def produire_lot(ecriture: Ecriture, *, campagne_id: int, dossier_id: int | None = None, signataire: str | None = None,
                 fonction: str | None = None, progression: Callable[[float, str], None] | None = None) -> ResultatLot:
    session, acteur = ecriture.session, ecriture.acteur
    copies = exemplaires(session, acteur, campagne_id=campagne_id, dossier_id=dossier_id,
                         signataire=signataire, fonction=fonction)
    if not copies:
        raise ErreursSaisie(["Aucun parent n'a suivi de séance dans ce périmètre : aucune attestation à produire."])
    campagne = session.get(Campagne, campagne_id)
    dossier = session.get(Dossier, dossier_id) if dossier_id else None
    reglages = get_settings()
    if dossier is not None:
        sujet = f"dossier:{dossier.id}"
    elif acteur.role == Role.DSDEN:
        sujet = f"campagne:{campagne.id}:departement:{acteur.departement}"
    else:
        sujet = f"campagne:{campagne.id}"
    reglages.travail_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lot-", dir=reglages.travail_dir) as travail:
        modele = modele_en_vigueur(session, campagne.academie_code, GABARIT)
        produit = lot.produire(GABARIT, {"academie": copies[0].contexte["academie"]}, copies, Path(travail),
                               soffice=reglages.soffice, progression=progression, gabarit=modele.contenu)
        documents = [enregistrer_fichier(session, sujet=sujet, type_document=TYPE_LOT, fmt=fmt,
                                         contenu=chemin.read_bytes(), etape="attester", acteur=acteur,
                                         campagne=campagne, dossier=dossier, source_id=None, ecrits=ecriture.ecrits,
                                         modele_id=modele.modele_id)
                     for fmt, chemin in (("pdf", produit.pdf), ("zip", produit.zip))]
        ecriture.journaliser(sujet, attestations=produit.exemplaires, pages=produit.pages)
    return ResultatLot([d.id for d in documents], produit.exemplaires, produit.pages)
