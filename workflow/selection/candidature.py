"""The head's application while it is a draft: created, saved section by section, taken over from last year."""


from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from db.models import (
    Campagne,
    Departement,
    Dossier,
    Etablissement,
    Transition,
)
from forms.base import ErreursSaisie, annee_precedente, arrondi_cent
from forms.candidature import CandidatureForm
from forms.lignes import modele_de_lignes, nombre, vers_json
from forms.vocabulaire import (
    Etat,
    Role,
)
from workflow.noyau import requetes
from workflow.noyau.moteur import (
    EtapeRefusee,
    bilans_annee_precedente,
    charger_dossier,
    verrouiller,
)
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import AccesRefuse, Acteur, exiger_perimetre
from workflow.noyau.regles import Blocage
from workflow.selection import regles


@operation("creer_dossier", "Créer le dossier de candidature (brouillon)", (Role.PORTEUR,))
def creer_dossier(ecriture: Ecriture, *, campagne_id: int, uai: str) -> int:
    """The school's draft for the campaign (the one it has, if created already): the first row of its history."""
    etab = ecriture.session.get(Etablissement, uai)
    if etab is None:
        raise AccesRefuse("Établissement inconnu.")
    exiger_perimetre(ecriture.acteur, uai=uai, departement=etab.departement_code)
    campagne = ecriture.session.get(Campagne, campagne_id)
    academie = ecriture.session.get(Departement, etab.departement_code).academie_code
    if campagne is None or campagne.academie_code != academie:
        raise AccesRefuse("Cette campagne n'est pas celle de l'académie de votre établissement.")
    existant = ecriture.session.exec(select(Dossier).where(Dossier.campagne_id == campagne_id, Dossier.uai == uai)).first()
    if existant:
        return existant.id
    dossier = Dossier(campagne_id=campagne_id, uai=uai, cree_par_id=ecriture.acteur.id)
    ecriture.session.add(dossier)
    ecriture.session.flush()
    ecriture.session.add(Transition(dossier_id=dossier.id, campagne_id=campagne_id, etape=ecriture.operation.cle, de=None,
                             vers=Etat.BROUILLON.value, acteur_id=ecriture.acteur.id))
    ecriture.journaliser(f"dossier:{dossier.id}")
    return dossier.id

@operation("enregistrer_brouillon", "Enregistrer le brouillon", (Role.PORTEUR,))
def enregistrer_brouillon(ecriture: Ecriture, *, dossier_id: int, donnees: dict, version: int) -> int:
    """Keep what was typed, even incomplete; returns the new version (the same one when the draft is unchanged). Only
    known fields are kept."""
    dossier, _ = charger_dossier(ecriture.session, ecriture.acteur, dossier_id)
    if dossier.etat != Etat.BROUILLON:
        raise EtapeRefusee([Blocage("Le dossier déposé ne peut plus être modifié ; demandez un renvoi pour correction.")])
    connus = set(CandidatureForm.model_fields)
    inconnus = set(donnees) - connus
    if inconnus:
        raise ErreursSaisie([f"Champ inconnu : {nom}." for nom in sorted(inconnus)])
    propre = brouillon_json(donnees)
    if propre == dossier.formulaire:  # nothing changed (« Précédent », a second click): nothing written, no conflict
        return dossier.version
    verrouiller(ecriture.session, dossier, version)
    dossier.formulaire = propre
    ecriture.session.add(dossier)
    ecriture.journaliser(f"dossier:{dossier.id}", version=dossier.version)
    return dossier.version

def brouillon_json(donnees: dict) -> dict:
    """The draft as stored: each list-of-rows field (groups, intervenants) in the one JSON form of forms.lignes,
    whoever wrote it (the grid, a filing's dump, last year's dossier), so the grid can read it back typed."""
    propre = dict(donnees)
    for nom, info in CandidatureForm.model_fields.items():
        modele = modele_de_lignes(info.annotation)
        if modele is not None and isinstance(propre.get(nom), list):
            propre[nom] = vers_json(modele, propre[nom])
    return propre

def bilans_de_l_an_dernier(session: Session, acteur: Acteur, dossier_id: int) -> set[str] | None:
    """The bilans the dossier's school transmitted last year (None when it had no dossier last year)."""
    dossier, _ = charger_dossier(session, acteur, dossier_id)
    return bilans_annee_precedente(session, session.get(Campagne, dossier.campagne_id), dossier.uai)

@operation("reprendre_dossier_precedent", "Reprendre le dossier de l'an dernier", (Role.PORTEUR,))
def reprendre_dossier_precedent(ecriture: Ecriture, *, dossier_id: int, version: int) -> tuple[int, list[Blocage]]:
    """Pre-fill a draft from the school's dossier of last year (renewal), dates moved one year on.
    Returns the new version and a warning when last year's two bilans are not both transmitted."""
    session, acteur = ecriture.session, ecriture.acteur
    dossier, _ = charger_dossier(session, acteur, dossier_id)
    campagne = session.get(Campagne, dossier.campagne_id)
    ancien = session.exec(select(Dossier).join(Campagne).where(Campagne.annee_scolaire == annee_precedente(campagne.annee_scolaire),
                                                               Dossier.uai == dossier.uai)).first()
    if ancien is None or not ancien.formulaire:
        raise EtapeRefusee([Blocage("Aucun dossier de l'an dernier à reprendre pour cet établissement.")])
    donnees = {k: v for k, v in ancien.formulaire.items() if k in CandidatureForm.model_fields}
    donnees["renouvellement"] = True
    donnees = brouillon_json(donnees)
    for groupe in donnees.get("groupes", []):
        for cle in ("date_debut", "date_fin"):
            try:
                jour = date.fromisoformat(groupe[cle])
            except (KeyError, TypeError, ValueError):  # missing or unreadable: left for the head to correct
                continue
            groupe[cle] = (jour.replace(year=jour.year + 1) if (jour.month, jour.day) != (2, 29)
                           else date(jour.year + 1, 2, 28)).isoformat()
    nouvelle = enregistrer_brouillon(session, acteur, dossier_id=dossier_id, donnees=donnees, version=version)
    ecriture.journaliser(f"dossier:{dossier_id}", ancien=ancien.id)
    bilans = bilans_annee_precedente(session, campagne, dossier.uai)
    avertissements = []
    if bilans is not None and not regles.bilans_complets(bilans):
        avertissements.append(Blocage("Les deux bilans de l'an dernier (pédagogique et financier) ne sont pas tous transmis : "
                                      "sans eux le comité ne pourra pas retenir ce dossier.", "avertissement"))
    return nouvelle, avertissements

@dataclass(frozen=True)
class Vacations:
    heures: Decimal
    taux: Decimal
    montant: Decimal

def vacations_du_brouillon(session: Session, brouillon: dict) -> Vacations:
    """The vacations a draft asks for: its groups' planned hours (a cell not yet a number counts 0) at the rate in
    force today, to the cent — what the filed dossier's budget (CandidatureForm.cout_vacations) will say."""
    groupes = brouillon.get("groupes")
    heures = sum((nombre(g.get("heures_prevues")) or Decimal(0) for g in (groupes if isinstance(groupes, list) else [])
                  if isinstance(g, dict)), Decimal(0))
    taux = requetes.taux_en_vigueur(session)
    return Vacations(heures, taux, arrondi_cent(heures * taux))
