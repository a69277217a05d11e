"""Reminders and alerts, computed for a given day from the campaign calendar and the step table (spec §6).

`programmer_rappels(session, jour)` puts in the outbox every notification due on `jour` that is not already
there. Run it any number of times, in any number of processes, with a clock that jumps forwards or back:
each notification exists once (workflow.automatismes.notifications), and a reminder whose moment has passed is not
created late (a « 7 days before » reminder is superseded by the « 1 day before » one, and none is sent
after its deadline; the pilote's overdue summary takes over).

- Every dossier step with a deadline (`Etape.echeance`) reminds, 7 days then 1 day before, the actors who
  still have to act: the head of each school for its own dossier, a DSDEN for its département's dossiers,
  the académie's staff once for the campaign.
- The day after each deadline, and for a week, the pilote gets the list of what is overdue.
- The day after the filing deadline, schools whose dossier is still a draft are told filing is closed
  (the filing step itself refuses a late dossier: that is the lock).
- A week before the committee, its members and the pilote hear that the agenda is ready.
- On the first days of each month of the ateliers, heads and intervenants are reminded of the service fait.
- Every Monday of the campaign, the DAEPS gets a digest.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import (
    Campagne,
    Document,
    Dossier,
    Engagement,
    Etablissement,
    Groupe,
    Intervenant,
    RevueDocument,
    Seance,
    Utilisateur,
)
from forms.vocabulaire import Etat, Role
from workflow import echeances, etapes
from workflow.automatismes.notifications import programmer
from workflow.noyau.permissions import LECTURE_ACADEMIQUE

JOURS_AVANT = (7, 1)
JOURS_RETARD = 7  # the overdue summary can still be created this many days after the deadline
JOURS_SERVICE_FAIT = 10  # the monthly reminder is created from the 1st to the 10th
QUAND = {7: "dans 7 jours", 1: "demain"}


@dataclass
class Contexte:
    """What the day's reminders read, loaded once per campaign."""

    jour: date
    maintenant: datetime
    campagne: Campagne
    dossiers: list[tuple[Dossier, Etablissement]]
    utilisateurs: list[Utilisateur]
    faits: set[tuple[int, str]]  # (dossier, document type) already produced: steps that leave the state unchanged

    def adresses(self, role: Role, *, uai: str | None = None, departement: str | None = None) -> list[str]:
        return adresses(self.utilisateurs, role, uai=uai, departement=departement)


def adresses(utilisateurs: list[Utilisateur], role: Role, *, uai: str | None = None,
             departement: str | None = None) -> list[str]:
    """E-mail addresses (account identifiers) of the active accounts of a role, on a school or a département."""
    return sorted({u.identifiant for u in utilisateurs if u.role == role.value and u.actif
                   and (uai is None or u.uai == uai) and (departement is None or u.departement_code == departement)
                   and (role != Role.PORTEUR or u.peut_deposer)})


def adresses_ecole(utilisateurs: list[Utilisateur], etab: Etablissement) -> list[str]:
    """Where to write to a school: its head's accounts, else the school's own address."""
    return adresses(utilisateurs, Role.PORTEUR, uai=etab.uai) or ([etab.email] if etab.email else [])


def _en_retard(echeance: date, jour: date) -> bool:
    """Within the week after a deadline, when the overdue alerts may still be created."""
    return echeance < jour <= echeance + timedelta(days=JOURS_RETARD)


def _rappel_du_jour(echeance: date, jour: date) -> int | None:
    """The most urgent « n days before » reminder due on this day, if any."""
    dus = [n for n in JOURS_AVANT if echeance - timedelta(days=n) <= jour < echeance]
    return min(dus) if dus else None


def _rappels_d_echeance(session: Session, ctx: Contexte) -> int:
    crees = 0
    for etape in echeances.etapes_a_echeance():
        echeance = echeances.echeance_de(etape, ctx.campagne)
        jours = _rappel_du_jour(echeance, ctx.jour)
        if jours is None:
            continue
        attente = echeances.en_attente(etape, ctx.dossiers, ctx.faits)
        if not attente:
            continue
        commun = {"type_notification": "rappel_echeance", "echeance": echeance, "maintenant": ctx.maintenant,
                  "campagne_id": ctx.campagne.id, "etape": etape.libelle, "quand": QUAND[jours]}
        cle = f"{etape.cle}:J-{jours}"
        for role in etape.acteurs:
            if role == Role.PORTEUR:
                for d, e in attente:
                    for adresse in adresses_ecole(ctx.utilisateurs, e):
                        crees += programmer(session, destinataire=adresse, sujet_cle=f"{cle}:dossier:{d.id}",
                                            dossier_id=d.id, objet=e.nom, consigne="Le service vous attend sur la page "
                                            "de l'étape ; sans action de votre part, l'échéance passera.", **commun)
            elif role == Role.DSDEN:
                par_departement = defaultdict(list)
                for _, e in attente:
                    par_departement[e.departement_code].append(e.nom)
                for dep, noms in sorted(par_departement.items()):
                    for adresse in ctx.adresses(Role.DSDEN, departement=dep):
                        crees += programmer(session, destinataire=adresse, sujet_cle=f"{cle}:departement:{dep}",
                                            objet=f"{len(noms)} dossier(s) du département {dep}",
                                            consigne="Dossiers concernés : " + ", ".join(sorted(noms)) + ".", **commun)
            elif role in LECTURE_ACADEMIQUE:
                for adresse in ctx.adresses(role):
                    crees += programmer(session, destinataire=adresse, sujet_cle=f"{cle}:campagne:{ctx.campagne.id}",
                                        objet=f"{len(attente)} dossier(s) de la campagne {ctx.campagne.annee_scolaire}",
                                        consigne="La liste est sur le tableau de bord.", **commun)
    return crees


def _retards(session: Session, ctx: Contexte) -> int:
    """The pilote's overdue summary, one per step and deadline, in the week after it (the dashboard's items)."""
    crees = 0
    for retard in echeances.retards(ctx.campagne, ctx.dossiers, ctx.faits, ctx.jour):
        if not _en_retard(retard.echeance, ctx.jour):
            continue
        lignes = [f"{e.nom} ({e.departement_code}) — {Etat(d.etat).libelle}" for d, e in retard.dossiers]
        for adresse in ctx.adresses(Role.PILOTE):
            crees += programmer(session, type_notification="retards", destinataire=adresse, echeance=retard.echeance,
                                sujet_cle=f"{retard.etape.cle}:campagne:{ctx.campagne.id}", maintenant=ctx.maintenant,
                                campagne_id=ctx.campagne.id, etape=retard.etape.libelle, nombre=len(lignes), lignes=lignes)
    return crees


def _depot_clos(session: Session, ctx: Contexte) -> int:
    etape = etapes.ETAPES_PAR_CLE["deposer"]
    echeance = echeances.echeance_de(etape, ctx.campagne)
    if not _en_retard(echeance, ctx.jour):
        return 0
    crees = 0
    for d, e in ctx.dossiers:
        if d.etat == Etat.BROUILLON.value:
            for adresse in adresses_ecole(ctx.utilisateurs, e):
                crees += programmer(session, type_notification="depot_clos", destinataire=adresse, echeance=echeance,
                                    sujet_cle=f"dossier:{d.id}", maintenant=ctx.maintenant, dossier_id=d.id,
                                    campagne_id=ctx.campagne.id, objet=e.nom)
    return crees


def _ordre_du_jour(session: Session, ctx: Contexte) -> int:
    copil = ctx.campagne.date_copil
    if not copil - timedelta(days=7) <= ctx.jour < copil:
        return 0
    nombre = sum(1 for d, _ in ctx.dossiers if d.etat in (Etat.AVIS_DONNE.value, Etat.LISTE_ATTENTE.value))
    if not nombre:
        return 0
    return sum(programmer(session, type_notification="ordre_du_jour", destinataire=adresse, echeance=copil,
                          sujet_cle=f"campagne:{ctx.campagne.id}", maintenant=ctx.maintenant, campagne_id=ctx.campagne.id,
                          nombre=nombre)
               for role in (Role.COMITE, Role.PILOTE) for adresse in ctx.adresses(role))


MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre")


def _service_fait(session: Session, ctx: Contexte) -> int:
    if not 1 <= ctx.jour.day <= JOURS_SERVICE_FAIT:
        return 0
    fin = ctx.jour.replace(day=1)
    debut = (fin - timedelta(days=1)).replace(day=1)
    ids = [d.id for d, _ in ctx.dossiers if d.etat in (Etat.EN_COURS.value, Etat.ATELIERS_TERMINES.value)]
    a_certifier = set(session.exec(
        select(Groupe.dossier_id).join(Seance, Seance.groupe_id == Groupe.id)
        .where(Groupe.dossier_id.in_(ids), Seance.annulee.is_(False), Seance.certifiee_at.is_(None),
               Seance.date_seance >= debut, Seance.date_seance < fin).distinct()))
    if not a_certifier:
        return 0
    intervenants = defaultdict(set)
    for dossier_id, email in session.exec(select(Engagement.dossier_id, Intervenant.email)
                                          .join(Intervenant, Intervenant.id == Engagement.intervenant_id)
                                          .where(Engagement.dossier_id.in_(a_certifier), Engagement.engage.is_(True))):
        if email:
            intervenants[dossier_id].add(email)
    mois = f"{MOIS[debut.month - 1]} {debut.year}"
    crees = 0
    for d, e in ctx.dossiers:
        if d.id in a_certifier:
            for adresse in [*ctx.adresses(Role.PORTEUR, uai=d.uai), *sorted(intervenants[d.id])]:
                crees += programmer(session, type_notification="service_fait", destinataire=adresse, echeance=fin,
                                    sujet_cle=f"dossier:{d.id}", maintenant=ctx.maintenant, dossier_id=d.id,
                                    campagne_id=ctx.campagne.id, mois=mois, objet=e.nom)
    return crees


def _synthese(session: Session, ctx: Contexte) -> int:
    if ctx.jour.weekday() != 0:
        return 0
    par_etat = defaultdict(int)
    for d, _ in ctx.dossiers:
        par_etat[d.etat] += 1
    lignes = [f"{e.libelle} : {par_etat[e.value]}" for e in Etat if par_etat.get(e.value)]
    relus = select(RevueDocument.document_id)
    a_relire = session.exec(select(func.count()).select_from(Document).where(
        Document.campagne_id == ctx.campagne.id, Document.format == "pdf", Document.id.not_in(relus))).one()
    return sum(programmer(session, type_notification="synthese_hebdomadaire", destinataire=adresse, echeance=ctx.jour,
                          sujet_cle=f"campagne:{ctx.campagne.id}", maintenant=ctx.maintenant, campagne_id=ctx.campagne.id,
                          annee_scolaire=ctx.campagne.annee_scolaire, lignes=lignes or ["aucun dossier"], a_relire=a_relire)
               for adresse in ctx.adresses(Role.DAEPS))


def campagnes_actives(session: Session, jour: date) -> list[Campagne]:
    """Campaigns whose calendar covers the day (from the call for projects to a week after the last bilan's deadline)."""
    return [c for c in session.exec(select(Campagne))
            if c.date_ouverture <= jour <= c.date_limite_bilan_financier + timedelta(days=JOURS_RETARD)]


def programmer_rappels(session: Session, jour: date, maintenant: datetime | None = None) -> int:
    """Every notification due on `jour` put in the outbox (those already there are left alone); returns how many
    were created by this call."""
    maintenant = maintenant or datetime.combine(jour, time(7), tzinfo=UTC)
    utilisateurs = list(session.exec(select(Utilisateur)))
    crees = 0
    for campagne in campagnes_actives(session, jour):
        dossiers = list(session.exec(select(Dossier, Etablissement).join(Etablissement, Etablissement.uai == Dossier.uai)
                                     .where(Dossier.campagne_id == campagne.id).order_by(Dossier.id)))
        faits = echeances.faits_de_la_campagne(session, campagne.id)
        ctx = Contexte(jour, maintenant, campagne, dossiers, utilisateurs, faits)
        for calcul in (_rappels_d_echeance, _retards, _depot_clos, _ordre_du_jour, _service_fait, _synthese):
            crees += calcul(session, ctx)
        session.commit()
    return crees
