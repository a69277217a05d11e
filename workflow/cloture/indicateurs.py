"""Indicators for the pilote, the committee, the DAEPS and the DSDEN (spec §8.4), by campaign and département,
comparable from one year to the next. Built on the bilans' figures (workflow.cloture.bilans), so that an indicator
and the bilans of its ateliers never disagree; no parent is named, counts only.

Definitions (shown on the page):
- ateliers: financed dossiers (retained, running, finished, closed or abandoned); parents: registered;
- completion: parents at or above the assiduity threshold, over parents registered;
- groups at minimum size: groups whose parents still registered at the end reach the campaign's minimum;
- cost per parent-hour: spending (the financial bilan's total when transmitted, else the vacations liquidated)
  over the hours parents attended;
- bilans on time: both bilans transmitted by their deadlines, over ateliers financed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Auditeur, Bilan, Campagne, Dossier, Etablissement, Groupe, Seance, SeanceIntervenant
from forms.base import arrondi_cent
from forms.vocabulaire import FINANCES, EducationPrioritaire, Role, TypeBilan
from workflow.cloture.bilans import chiffres_bilans
from workflow.noyau.permissions import Acteur, exiger_role
from workflow.noyau.requetes import filtre_perimetre

LECTEURS_INDICATEURS = (Role.PILOTE, Role.COMITE, Role.DAEPS, Role.DSDEN, Role.CASNAV, Role.ADMIN)
ZERO = Decimal("0")


@dataclass
class Ligne:
    """The indicators of one campaign, for one département or (departement « Académie ») all of them."""

    campagne: str
    departement: str
    ateliers: int = 0
    groupes: int = 0
    groupes_taille_min: int = 0
    parents: int = 0
    femmes: int = 0
    primo_arrivants: int = 0
    assidus: int = 0
    heures_presence: Decimal = ZERO
    heures_realisees: Decimal = ZERO
    heures_financees: Decimal = ZERO
    depenses: Decimal = ZERO
    bilans_a_l_heure: int = 0
    en_education_prioritaire: int = 0
    en_qpv: int = 0

    def ajouter(self, autre: "Ligne") -> None:
        for nom in ("ateliers", "groupes", "groupes_taille_min", "parents", "femmes", "primo_arrivants", "assidus",
                    "heures_presence", "heures_realisees", "heures_financees", "depenses", "bilans_a_l_heure",
                    "en_education_prioritaire", "en_qpv"):
            setattr(self, nom, getattr(self, nom) + getattr(autre, nom))

    @staticmethod
    def _pct(partie, total) -> Decimal | None:
        return (Decimal(partie) * 100 / Decimal(total)).quantize(Decimal("0.1")) if total else None

    @property
    def part_femmes(self) -> Decimal | None:
        return self._pct(self.femmes, self.parents)

    @property
    def part_primo_arrivants(self) -> Decimal | None:
        return self._pct(self.primo_arrivants, self.parents)

    @property
    def taux_completion(self) -> Decimal | None:
        return self._pct(self.assidus, self.parents)

    @property
    def part_groupes_taille_min(self) -> Decimal | None:
        return self._pct(self.groupes_taille_min, self.groupes)

    @property
    def realisation(self) -> Decimal | None:
        return self._pct(self.heures_realisees, self.heures_financees)

    @property
    def heures_moyennes_suivies(self) -> Decimal | None:
        return (self.heures_presence / self.parents).quantize(Decimal("0.1")) if self.parents else None

    @property
    def cout_heure_parent(self) -> Decimal | None:
        return arrondi_cent(self.depenses / self.heures_presence) if self.heures_presence else None

    @property
    def part_bilans_a_l_heure(self) -> Decimal | None:
        return self._pct(self.bilans_a_l_heure, self.ateliers)

    @property
    def part_education_prioritaire(self) -> Decimal | None:
        return self._pct(self.en_education_prioritaire, self.ateliers)

    @property
    def part_qpv(self) -> Decimal | None:
        return self._pct(self.en_qpv, self.ateliers)


@dataclass
class Indicateurs:
    lignes: list[Ligne]  # by campaign, then département
    academie: dict[str, Ligne]  # by campaign: the whole scope
    # Parents still registered at the end of each month, and exits during it, by campaign: [(month, active, exits)].
    attrition: dict[str, list[tuple[date, int, int]]] = field(default_factory=dict)


def _mois(jour: date) -> date:
    return jour.replace(day=1)


def _fin_de_mois(premier: date) -> date:
    suivant = date(premier.year + premier.month // 12, premier.month % 12 + 1, 1)
    return date.fromordinal(suivant.toordinal() - 1)


def indicateurs(session: Session, acteur: Acteur, campagne_ids: list[int]) -> Indicateurs:
    exiger_role(acteur, LECTEURS_INDICATEURS, "Consulter les indicateurs")
    dossiers = session.exec(
        select(Dossier.id, Campagne, Etablissement.departement_code, Etablissement.education_prioritaire, Etablissement.qpv)
        .join(Campagne, Campagne.id == Dossier.campagne_id).join(Etablissement, Etablissement.uai == Dossier.uai)
        .where(Dossier.campagne_id.in_(campagne_ids), Dossier.etat.in_([e.value for e in FINANCES]), filtre_perimetre(acteur))
        .order_by(Campagne.annee_scolaire, Etablissement.departement_code)).all()
    ids = [d[0] for d in dossiers]
    chiffres = chiffres_bilans(session, ids)
    bilans: dict[int, dict[str, Bilan]] = defaultdict(dict)
    for b in session.exec(select(Bilan).where(Bilan.dossier_id.in_(ids))):
        bilans[b.dossier_id][b.type_bilan] = b
    vacations = dict(session.exec(
        select(Groupe.dossier_id, func.sum(SeanceIntervenant.montant_paye))
        .join(Seance, Seance.id == SeanceIntervenant.seance_id).join(Groupe, Groupe.id == Seance.groupe_id)
        .where(Groupe.dossier_id.in_(ids), SeanceIntervenant.liquide_le.is_not(None)).group_by(Groupe.dossier_id)).all())

    lignes: dict[tuple[str, str], Ligne] = {}
    academie: dict[str, Ligne] = {}
    for dossier_id, campagne, departement, ep, qpv in dossiers:
        c = chiffres[dossier_id]
        recus = bilans[dossier_id]
        financier = recus.get(TypeBilan.FINANCIER.value)
        depenses = (Decimal(financier.donnees["total_depenses"]) if financier and financier.transmis_le
                    else Decimal(vacations.get(dossier_id) or 0))
        limites = {TypeBilan.PEDAGOGIQUE.value: campagne.date_limite_bilan_pedagogique,
                   TypeBilan.FINANCIER.value: campagne.date_limite_bilan_financier}
        a_l_heure = all(t in recus and recus[t].transmis_le and recus[t].transmis_le <= limite for t, limite in limites.items())
        atelier = Ligne(
            campagne=campagne.annee_scolaire, departement=departement, ateliers=1, groupes=c.nb_groupes,
            groupes_taille_min=sum(1 for g in c.groupes if g.inscrits_fin >= campagne.taille_groupe_min),
            parents=c.inscrits_total, femmes=c.femmes, primo_arrivants=c.primo_arrivants, assidus=c.assidus,
            heures_presence=c.heures_presence, heures_realisees=c.heures_realisees, heures_financees=c.heures_financees,
            depenses=depenses, bilans_a_l_heure=int(a_l_heure),
            en_education_prioritaire=int(ep in (EducationPrioritaire.REP, EducationPrioritaire.REP_PLUS)),
            en_qpv=int(bool(qpv)))
        lignes.setdefault((campagne.annee_scolaire, departement), Ligne(campagne.annee_scolaire, departement)).ajouter(atelier)
        academie.setdefault(campagne.annee_scolaire, Ligne(campagne.annee_scolaire, "Académie")).ajouter(atelier)
    return Indicateurs(lignes=[lignes[k] for k in sorted(lignes)], academie=academie,
                       attrition=_attrition(session, ids))


def _attrition(session: Session, dossier_ids: list[int]) -> dict[str, list[tuple[date, int, int]]]:
    """Month by month, from the first registration to the last exit or séance: parents still registered, exits."""
    rangees = session.exec(select(Campagne.annee_scolaire, Auditeur.date_inscription, Auditeur.date_sortie)
                           .join(Dossier, Dossier.id == Auditeur.dossier_id).join(Campagne, Campagne.id == Dossier.campagne_id)
                           .where(Auditeur.dossier_id.in_(dossier_ids))).all()
    fins = dict(session.exec(select(Campagne.annee_scolaire, Campagne.date_fin_ateliers)
                             .join(Dossier, Dossier.campagne_id == Campagne.id).where(Dossier.id.in_(dossier_ids))).all())
    par_campagne: dict[str, list[tuple[date, date | None]]] = defaultdict(list)
    for annee, entree, sortie in rangees:
        par_campagne[annee].append((entree, sortie))
    courbes = {}
    for annee, parents in sorted(par_campagne.items()):
        mois, dernier = _mois(min(e for e, _ in parents)), _mois(fins[annee])
        courbe = []
        while mois <= dernier:
            fin = _fin_de_mois(mois)
            actifs = sum(1 for e, s in parents if e <= fin and (s is None or s > fin))
            sorties = sum(1 for _, s in parents if s is not None and mois <= s <= fin)
            courbe.append((mois, actifs, sorties))
            mois = date.fromordinal(fin.toordinal() + 1)
        courbes[annee] = courbe
    return courbes
