"""Vacation pay (spec §7): an intervenant's hours come from the séances they led, each paid at the rate
in force on the séance's date, within 250 h over any 12 consecutive months across every atelier.

Durations are exact whole minutes everywhere (1 h 20 is 80 minutes, never 1,33 h); a séance's amount is
minutes × rate / 60 rounded half up to the cent once (`montant_vacation`), and every total is a sum of them.

The pure functions at the top are the rules; the queries below them feed the guards and documents.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Decision, Dossier, Engagement, Etablissement, Groupe, Intervenant, Seance, SeanceIntervenant
from forms.atelier import LigneLiquidation, LigneRecapitulatif, LigneService
from forms.base import arrondi_cent
from forms.vocabulaire import Employeur, StatutIntervenant
from workflow.noyau.etape import Execution
from workflow.noyau.taux import taux_a_la_date

ZERO = Decimal("0")
EMPLOYEURS_PUBLICS = {Employeur.EN.value, Employeur.AUTRE_FONCTION_PUBLIQUE.value}


def un_an_avant(jour: date) -> date:
    """The same day twelve months earlier (29 February → 28 February)."""
    try:
        return jour.replace(year=jour.year - 1)
    except ValueError:
        return jour.replace(year=jour.year - 1, day=28)


def montant_vacation(minutes: int, taux: Decimal) -> Decimal:
    """The gross pay of one séance: exact minutes × hourly rate / 60, rounded half up to the cent once."""
    return arrondi_cent(Decimal(minutes) * Decimal(taux) / 60)


def minutes_en_heures(minutes: int) -> Decimal:
    """Whole minutes as decimal hours to the cent (90 → 1.50, 80 → 1.33): only for figures that must be a number
    of hours (the national survey's bilan), converted once from a total of minutes, never summed afterwards."""
    return arrondi_cent(Decimal(minutes) / 60)


def cumul_max_12_mois(minutes: Iterable[tuple[date, int]]) -> tuple[int, date | None]:
    """The largest Σ minutes over (d − 12 months, d] for d any séance date, and that date d."""
    points = sorted(minutes)
    total, debut, meilleur = 0, 0, (0, None)
    for jour, h in points:
        total += h
        while points[debut][0] <= un_an_avant(jour):
            total -= points[debut][1]
            debut += 1
        if total > meilleur[0]:
            meilleur = (total, jour)
    return meilleur


def premier_du_mois(jour: date) -> date:
    return jour.replace(day=1)


def mois_suivant(jour: date) -> date:
    return date(jour.year + (jour.month == 12), jour.month % 12 + 1, 1)


# --- Queries -------------------------------------------------------------------------------------


def nom_affiche(personne: Intervenant) -> str:
    return f"{personne.prenom} {personne.nom}"


def minutes_realisees(session: Session, intervenant_ids: Iterable[int], *, sauf_seance: int | None = None
                      ) -> dict[int, list[tuple[date, int]]]:
    """Every non-cancelled séance of these intervenants, in every atelier of the database: (date, minutes); without
    `sauf_seance`, the séance being corrected (its new minutes replace its old ones)."""
    ids = list(intervenant_ids)
    out: dict[int, list[tuple[date, int]]] = {i: [] for i in ids}
    if not ids:
        return out
    for i, jour, m in session.exec(select(SeanceIntervenant.intervenant_id, Seance.date_seance, SeanceIntervenant.minutes)
                                   .join(Seance, Seance.id == SeanceIntervenant.seance_id)
                                   .where(SeanceIntervenant.intervenant_id.in_(ids), Seance.annulee.is_(False),
                                          Seance.id != (sauf_seance or 0))):
        out[i].append((jour, int(m)))
    return out


def engages(session: Session, dossier_id: int) -> dict[str, tuple[Intervenant, Engagement]]:
    """The intervenants engaged on a dossier, by « Prénom NOM » in lower case (as typed on a séance)."""
    lignes = session.exec(select(Intervenant, Engagement).join(Engagement, Engagement.intervenant_id == Intervenant.id)
                          .where(Engagement.dossier_id == dossier_id, Engagement.engage.is_(True)))
    return {nom_affiche(i).lower(): (i, e) for i, e in lignes}


def noms_engages(session: Session, dossier_id: int) -> list[str]:
    """The engaged intervenants' « Prénom NOM », sorted: what the follow-up shows and the forms choose from."""
    return sorted({nom_affiche(i) for i, _ in engages(session, dossier_id).values()})


@dataclass(frozen=True)
class SeancePayee:
    seance: Seance
    groupe: str
    minutes: int
    taux: Decimal

    @property
    def montant(self) -> Decimal:
        return montant_vacation(self.minutes, self.taux)

    def ligne(self) -> LigneService:
        s = self.seance
        return LigneService(date_seance=s.date_seance, groupe=self.groupe, heure_debut=s.heure_debut, heure_fin=s.heure_fin,
                            minutes=self.minutes, taux=self.taux, montant=self.montant)


def seances_du_mois(session: Session, *, intervenant_id: int, dossier_id: int, mois: date) -> list[SeancePayee]:
    """The intervenant's séances of that month in that dossier, each with the rate of its own date."""
    debut = premier_du_mois(mois)
    lignes = session.exec(select(Seance, Groupe.libelle, SeanceIntervenant.minutes)
                          .join(SeanceIntervenant, SeanceIntervenant.seance_id == Seance.id)
                          .join(Groupe, Groupe.id == Seance.groupe_id)
                          .where(SeanceIntervenant.intervenant_id == intervenant_id, Groupe.dossier_id == dossier_id,
                                 Seance.annulee.is_(False), Seance.date_seance >= debut,
                                 Seance.date_seance < mois_suivant(debut))
                          .order_by(Seance.date_seance, Seance.heure_debut))
    return [SeancePayee(s, libelle, int(m), taux_a_la_date(session, s.date_seance)) for s, libelle, m in lignes]


def recapitulatif(session: Session, *, intervenant_id: int, debut: date, fin: date) -> list[LigneRecapitulatif]:
    """Minutes and gross pay by month and atelier over [debut, fin], every atelier of the database (spec §9.10);
    each séance at the rate of its date, rounded per séance like the états de service fait."""
    par_mois: dict[tuple[date, str], tuple[int, Decimal]] = {}
    for s, m, nom, commune in session.exec(
            select(Seance, SeanceIntervenant.minutes, Etablissement.nom, Etablissement.commune)
            .join(SeanceIntervenant, SeanceIntervenant.seance_id == Seance.id)
            .join(Groupe, Groupe.id == Seance.groupe_id).join(Dossier, Dossier.id == Groupe.dossier_id)
            .join(Etablissement, Etablissement.uai == Dossier.uai)
            .where(SeanceIntervenant.intervenant_id == intervenant_id, Seance.annulee.is_(False),
                   Seance.date_seance >= debut, Seance.date_seance <= fin)):
        cle = (premier_du_mois(s.date_seance), f"{nom} ({commune})")
        minutes, brut = par_mois.get(cle, (0, ZERO))
        par_mois[cle] = (minutes + int(m), brut + montant_vacation(int(m), taux_a_la_date(session, s.date_seance)))
    return [LigneRecapitulatif(mois=m, atelier=a, minutes=par_mois[m, a][0], brut=par_mois[m, a][1])
            for m, a in sorted(par_mois)]


# --- Liquidation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VacationALiquider:
    """One intervenant's hours on one séance, not paid yet, with what the pay checks need."""

    intervenant_id: int
    intervenant: str
    statut: str
    agent_public: bool
    statut_cumul: str
    cumul_du: date | None  # authorisation granted on… and valid until…
    cumul_au: date | None
    atteste_hors_service: bool
    seance_id: int
    date_seance: date
    minutes: int
    taux: Decimal
    certifiee: bool

    @property
    def montant(self) -> Decimal:
        return montant_vacation(self.minutes, self.taux)


def a_liquider(session: Session, *, dossier_id: int, mois: date) -> list[VacationALiquider]:
    debut = premier_du_mois(mois)
    lignes = session.exec(select(Seance, SeanceIntervenant, Intervenant, Engagement)
                          .join(SeanceIntervenant, SeanceIntervenant.seance_id == Seance.id)
                          .join(Intervenant, Intervenant.id == SeanceIntervenant.intervenant_id)
                          .join(Groupe, Groupe.id == Seance.groupe_id)
                          .join(Engagement, (Engagement.intervenant_id == Intervenant.id)
                                & (Engagement.dossier_id == Groupe.dossier_id))
                          .where(Groupe.dossier_id == dossier_id, Seance.annulee.is_(False),
                                 SeanceIntervenant.liquide_le.is_(None), Seance.date_seance >= debut,
                                 Seance.date_seance < mois_suivant(debut))
                          .order_by(Intervenant.nom, Seance.date_seance, Engagement.engage, Engagement.id))
    # One row per (séance, intervenant) even with two engagement rows on the dossier (the one planned in the
    # application form, then the real one): the real engagement comes last and wins, on every database.
    vues: dict[tuple[int, int], VacationALiquider] = {}
    for seance, si, personne, engagement in lignes:
        vues[(seance.id, personne.id)] = VacationALiquider(
            personne.id, nom_affiche(personne), StatutIntervenant(personne.statut).libelle,
            personne.employeur_principal in EMPLOYEURS_PUBLICS, engagement.statut_cumul, engagement.cumul_accorde_le,
            engagement.cumul_fin_validite, engagement.atteste_hors_service,
            seance.id, seance.date_seance, int(si.minutes), taux_a_la_date(session, seance.date_seance),
            seance.certifiee_par_id is not None)
    return list(vues.values())


def lignes_liquidation(vacations: list[VacationALiquider]) -> list[LigneLiquidation]:
    """One line per intervenant and rate: minutes, the rate of their dates, the sum of the séances' amounts."""
    cumuls: dict[tuple[str, str, Decimal], tuple[int, Decimal]] = {}
    for v in vacations:
        minutes, m = cumuls.get((v.intervenant, v.statut, v.taux), (0, ZERO))
        cumuls[(v.intervenant, v.statut, v.taux)] = (minutes + v.minutes, m + v.montant)
    return [LigneLiquidation(intervenant=nom, statut=statut, minutes=minutes, taux=taux, montant=m)
            for (nom, statut, taux), (minutes, m) in cumuls.items()]


def heures_financees(session: Session, dossier_id: int) -> Decimal | None:
    """The hours the committee financed for the dossier (None before its decision)."""
    financees = session.exec(select(Decision.heures_financees).where(Decision.dossier_id == dossier_id)).first()
    return Decimal(financees) if financees is not None else None


def minutes_payees(session: Session, dossier_id: int) -> int:
    total = session.exec(select(func.coalesce(func.sum(SeanceIntervenant.minutes), 0))
                         .join(Seance, Seance.id == SeanceIntervenant.seance_id).join(Groupe, Groupe.id == Seance.groupe_id)
                         .where(Groupe.dossier_id == dossier_id, SeanceIntervenant.liquide_le.is_not(None))).one()
    return int(total)


def intervenant_par_nom(x: Execution, nom: str, prenom: str, **valeurs) -> Intervenant:
    """The person of that name, or a new one (within the step that names them)."""
    s = x.session
    existant = s.exec(select(Intervenant).where(Intervenant.nom == nom.upper(), Intervenant.prenom == prenom)).first()
    if existant:
        return existant
    personne = Intervenant(nom=nom.upper(), prenom=prenom, statut=valeurs["statut"],
                           employeur_principal=valeurs["employeur"], qualification_fle_fls=valeurs.get("qualifie", False))
    s.add(personne)
    s.flush()
    return personne
