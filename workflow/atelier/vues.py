"""What the people running an atelier see of it: groups with their hours, the parents registered
(names only for the roles allowed to read parents' data, spec §10), the intervenants engaged."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Auditeur, Groupe, Seance
from forms.vocabulaire import Role
from workflow.noyau import evaluation, paie
from workflow.noyau.assiduite import Assiduite, assiduites
from workflow.noyau.moteur import charger_dossier
from workflow.noyau.permissions import LECTURE_DONNEES_PARENTS, AccesRefuse, Acteur

SEUIL_ALERTE = Decimal("0.9")  # realised hours: warning at 90 % of the financed hours, then at 100 %


@dataclass(frozen=True)
class Inscrit:
    id: int
    nom: str
    prenom: str
    date_inscription: date
    date_sortie: date | None

    def inscrit_le(self, jour: date) -> bool:
        """Registered on that day and not gone yet (the exit day itself still counts, as in the attendance)."""
        return self.date_inscription <= jour and (self.date_sortie is None or jour <= self.date_sortie)


@dataclass
class GroupeSuivi:
    libelle: str
    heures_prevues: Decimal
    minutes_realisees: int
    nb_inscrits: int
    inscrits: list[Inscrit] = field(default_factory=list)  # empty for roles that may not read names
    date_debut: date | None = None
    date_fin: date | None = None


@dataclass
class SuiviAtelier:
    dossier_id: int
    version: int
    etat: str
    heures_financees: Decimal | None
    groupes: list[GroupeSuivi]
    intervenants: list[str]

    @property
    def minutes_realisees(self) -> int:
        return sum(g.minutes_realisees for g in self.groupes)

    @property
    def alerte(self) -> str | None:
        """« 90 » or « 100 » when the realised time reaches that share of the financed hours (compared in minutes)."""
        if not self.heures_financees:
            return None
        if self.minutes_realisees >= self.heures_financees * 60:
            return "100"
        return "90" if self.minutes_realisees >= self.heures_financees * 60 * SEUIL_ALERTE else None


def suivi(session: Session, acteur: Acteur, dossier_id: int) -> SuiviAtelier:
    dossier, _ = charger_dossier(session, acteur, dossier_id)
    realisees = {g: h for g, h in session.exec(
        select(Seance.groupe_id, func.sum(Seance.minutes)).join(Groupe, Groupe.id == Seance.groupe_id)
        .where(Groupe.dossier_id == dossier_id, Seance.annulee.is_(False)).group_by(Seance.groupe_id))}
    parents: dict[int, list[Inscrit]] = {}
    for a in session.exec(select(Auditeur).where(Auditeur.dossier_id == dossier_id).order_by(Auditeur.nom, Auditeur.prenom)):
        parents.setdefault(a.groupe_id, []).append(Inscrit(a.id, a.nom, a.prenom, a.date_inscription, a.date_sortie))
    lit_les_noms = acteur.role in LECTURE_DONNEES_PARENTS
    groupes = [GroupeSuivi(g.libelle, Decimal(g.heures_prevues), int(realisees.get(g.id) or 0), len(parents.get(g.id, [])),
                           parents.get(g.id, []) if lit_les_noms else [], g.date_debut, g.date_fin)
               for g in session.exec(select(Groupe).where(Groupe.dossier_id == dossier_id).order_by(Groupe.libelle))]
    return SuiviAtelier(dossier.id, dossier.version, dossier.etat, paie.heures_financees(session, dossier_id),
                        groupes, paie.noms_engages(session, dossier_id))


@dataclass(frozen=True)
class ParentVue:
    id: int
    nom: str
    prenom: str
    groupe: str
    date_inscription: date
    date_sortie: date | None
    suivi: Assiduite


def exiger_lecture_des_parents(session: Session, acteur: Acteur, dossier_id: int) -> None:
    """The dossier in the actor's scope, and a role allowed to read parents' data (spec §10)."""
    charger_dossier(session, acteur, dossier_id)
    if acteur.role not in LECTURE_DONNEES_PARENTS:
        raise AccesRefuse("Les données personnelles des parents ne sont pas accessibles à votre rôle.")


def parents(session: Session, acteur: Acteur, dossier_id: int) -> list[ParentVue]:
    """The parents of an atelier with their attendance, for the roles allowed to read parents' data only."""
    exiger_lecture_des_parents(session, acteur, dossier_id)
    lignes = session.exec(select(Auditeur, Groupe.libelle).join(Groupe, Groupe.id == Auditeur.groupe_id)
                          .where(Auditeur.dossier_id == dossier_id).order_by(Groupe.libelle, Auditeur.nom, Auditeur.prenom))
    suivis = assiduites(session, [dossier_id])
    return [ParentVue(a.id, a.nom, a.prenom, libelle, a.date_inscription, a.date_sortie, suivis[a.id])
            for a, libelle in lignes]


def evaluations(session: Session, acteur: Acteur, dossier_id: int) -> dict[int, evaluation.EvaluationsParent]:
    """The parents' diagnostic evaluations, by parent id, for the roles allowed to read parents' data only."""
    exiger_lecture_des_parents(session, acteur, dossier_id)
    return evaluation.evaluations(session, [dossier_id])


@dataclass(frozen=True)
class SeanceVue:
    id: int
    date_seance: date
    minutes: int
    feuille_signee: bool
    certifiee: bool


def seances_du_groupe(session: Session, acteur: Acteur, dossier_id: int, groupe: str) -> list[SeanceVue]:
    """The group's séances, newest first, with whether the signed sheet is attached and the month certified."""
    charger_dossier(session, acteur, dossier_id)
    lignes = session.exec(select(Seance).join(Groupe, Groupe.id == Seance.groupe_id)
                          .where(Groupe.dossier_id == dossier_id, Groupe.libelle == groupe, Seance.annulee.is_(False))
                          .order_by(Seance.date_seance.desc(), Seance.heure_debut.desc()))
    return [SeanceVue(s.id, s.date_seance, s.minutes, s.scan_document_id is not None, s.certifiee_par_id is not None)
            for s in lignes]


@dataclass(frozen=True)
class ServiceDuMois:
    intervenant: str
    lignes: list  # forms.atelier.LigneService
    certifie: bool  # every séance of the month certified by the head

    @property
    def minutes(self) -> int:
        return sum(ligne.minutes for ligne in self.lignes)

    @property
    def brut(self) -> Decimal:
        return sum((ligne.montant for ligne in self.lignes), Decimal("0"))


@dataclass(frozen=True)
class MoisDePaie:
    services: list[ServiceDuMois]  # per intervenant: the séances the head certifies
    a_liquider: list  # forms.atelier.LigneLiquidation: certified hours not paid yet, for the paying service
    non_certifiees: int  # intervenant-séances of the month waiting for the head's certification


def mois_de_paie(session: Session, acteur: Acteur, dossier_id: int, mois: date) -> MoisDePaie:
    """What the head certifies and what the paying service pays for a month of this atelier."""
    charger_dossier(session, acteur, dossier_id)
    if acteur.role not in (Role.PORTEUR, Role.GESTIONNAIRE):
        raise AccesRefuse("La paie des intervenants est suivie par le porteur et le service payeur.")
    services = []
    for personne, _ in sorted(paie.engages(session, dossier_id).values(), key=lambda x: paie.nom_affiche(x[0])):
        seances = paie.seances_du_mois(session, intervenant_id=personne.id, dossier_id=dossier_id, mois=mois)
        if seances:
            services.append(ServiceDuMois(paie.nom_affiche(personne), [s.ligne() for s in seances],
                                          all(s.seance.certifiee_par_id is not None for s in seances)))
    vacations = paie.a_liquider(session, dossier_id=dossier_id, mois=mois)
    return MoisDePaie(services, paie.lignes_liquidation([v for v in vacations if v.certifiee]),
                      sum(1 for v in vacations if not v.certifiee))
