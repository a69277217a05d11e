"""What the selection's steps write (steps 0–4), what they load for their guards and fill in their forms."""


from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, delete, select, update

from db.models import (
    Academie,
    Avis,
    Campagne,
    Decision,
    Dossier,
    Engagement,
    Etablissement,
    Groupe,
    Intervenant,
    SessionComite,
    maintenant,
)
from forms.campagne import CampagneForm
from forms.candidature import CandidatureForm
from forms.selection import AvisForm, DecisionForm, LigneDecisionPV, ProcesVerbalForm
from forms.vocabulaire import (
    QUALIFIES_FLE_FLS,
    AvisDasen,
    DecisionComite,
    libelle,
)
from infra.settings import aujourdhui
from workflow.noyau import profil as profils
from workflow.noyau.etape import Execution
from workflow.noyau.moteur import (
    numero_dossier,
)
from workflow.noyau.paie import intervenant_par_nom
from workflow.noyau.regles import Situation


def _campagne_depuis_form(f: CampagneForm, academie: str) -> Campagne:
    return Campagne(academie_code=academie, **f.model_dump(exclude={"budget_total"}))

def ouvrir_campagne(x: Execution) -> None:
    x.campagne = _campagne_depuis_form(x.form, profils.academie_de(x.acteur))
    x.session.add(x.campagne)
    x.session.flush()

def rouvrir_depot(x: Execution) -> None:
    x.campagne.depot_prolonge_jusqu_au = x.form.jusqu_au
    x.session.add(x.campagne)

def campagne_suivante(ancienne: Campagne, jour: date | None = None) -> dict:
    """The next campaign's form, pre-filled from this one's settings with every date moved on by whole years (step 12):
    one year, or more when the rollover comes so late that the filing deadline moved one year would already be past
    on `jour` (by default today). The calendar keeps its order; the school year moves with it."""
    jour = jour or aujourdhui()
    ecart = 1
    while decaler_annees(ancienne.date_limite_depot, ecart) < jour:
        ecart += 1
    valeurs = {nom: getattr(ancienne, nom) for nom in CampagneForm.model_fields}
    for nom, valeur in list(valeurs.items()):
        if isinstance(valeur, date):
            valeurs[nom] = decaler_annees(valeur, ecart)
    annee = int(ancienne.annee_scolaire[:4]) + ecart
    valeurs["annee_scolaire"] = f"{annee}-{annee + 1}"
    return valeurs

# The booklet's usual calendar, in its school year 2025-2026 (spec §5): what a first campaign is offered, moved on to
# the year it opens (the demo's campaign follows it too).
CALENDRIER_TYPE = {
    "annee_scolaire": "2025-2026", "date_ouverture": "2025-09-08", "date_limite_depot": "2025-10-03",
    "date_limite_avis_dasen": "2025-10-17", "date_copil": "2025-11-05", "date_notification": "2025-11-12",
    "date_debut_ateliers_min": "2025-11-17", "date_fin_ateliers": "2026-06-26",
    "date_limite_bilan_pedagogique": "2026-07-03", "date_limite_bilan_financier": "2026-07-10",
}
ANNEE_DU_CALENDRIER_TYPE = 2025


def premiere_campagne(jour: date | None = None) -> dict:
    """A first campaign's form, when there is none to carry over: the usual calendar of the school year of `jour` (by
    default today), or of a later one if its filing deadline is already past."""
    jour = jour or aujourdhui()
    ecart = (jour.year if jour.month >= 9 else jour.year - 1) - ANNEE_DU_CALENDRIER_TYPE
    while decaler_annees(date.fromisoformat(CALENDRIER_TYPE["date_limite_depot"]), ecart) < jour:
        ecart += 1
    valeurs = {k: decaler_annees(date.fromisoformat(v), ecart) for k, v in CALENDRIER_TYPE.items() if k != "annee_scolaire"}
    annee = ANNEE_DU_CALENDRIER_TYPE + ecart
    return valeurs | {"annee_scolaire": f"{annee}-{annee + 1}"}


def decaler_annees(d: date, ecart: int) -> date:
    try:
        return d.replace(year=d.year + ecart)
    except ValueError:  # 29 February
        return d.replace(year=d.year + ecart, day=28)

def deposer(x: Execution) -> None:
    f: CandidatureForm = x.form
    d = x.dossier
    d.formulaire = f.model_dump(mode="json")
    d.renouvellement = f.renouvellement
    d.nb_parents_prevus = f.nb_parents_prevus
    d.nb_primo_arrivants_prevus = f.nb_primo_arrivants_prevus
    d.nb_reinscrits_prevus = f.nb_reinscrits_prevus
    d.heures_total = f.heures_total
    d.montant_demande = f.montant_demande
    d.depose_at = maintenant()
    s = x.session
    # Groups and planned intervenants are replaced as a whole by each filing.
    s.exec(delete(Engagement).where(Engagement.dossier_id == d.id, Engagement.engage == False))  # noqa: E712
    s.exec(delete(Groupe).where(Groupe.dossier_id == d.id))
    for g in f.groupes:
        s.add(Groupe(dossier_id=d.id, libelle=g.libelle, niveau=g.niveau.value, effectif_prevu=g.effectif_prevu,
                     heures_prevues=g.heures_prevues, date_debut=g.date_debut, date_fin=g.date_fin,
                     creneaux=[c.model_dump(mode="json") for c in g.creneaux], lieu=g.lieu or None))
    for i in f.intervenants:
        personne = intervenant_par_nom(x, i.nom, i.prenom, statut=i.statut.value, employeur=i.employeur_principal.value,
                                qualifie=i.qualification_fle_fls or i.statut in QUALIFIES_FLE_FLS)
        s.add(Engagement(intervenant_id=personne.id, dossier_id=d.id, heures_prevues=i.heures_prevues))

def emettre_avis(x: Execution) -> None:
    f: AvisForm = x.form
    avis = x.session.exec(select(Avis).where(Avis.dossier_id == x.dossier.id)).first() or Avis(dossier_id=x.dossier.id)
    avis.avis, avis.motivation = f.avis.value, f.motivation
    avis.priorite_departementale, avis.signataire = f.priorite_departementale, f.signataire
    avis.donne_par_id, avis.donne_at = x.acteur.id, maintenant()
    x.session.add(avis)

def decider(x: Execution) -> None:
    f: DecisionForm = x.form
    dec = x.session.exec(select(Decision).where(Decision.dossier_id == x.dossier.id)).first() or Decision(dossier_id=x.dossier.id)
    dec.decision = f.decision.value
    dec.heures_financees, dec.montant_p104, dec.montant_en = f.heures_financees, f.montant_p104, f.montant_en
    dec.conditions, dec.motif_refus, dec.derogation_bilans_motif = f.conditions, f.motif_refus, f.derogation_bilans_motif
    dec.decide_par_id, dec.decide_at = x.acteur.id, maintenant()
    x.session.add(dec)

def completer_proces_verbal(session: Session, campagne: Campagne, dossier: Dossier | None,
                            form: ProcesVerbalForm) -> ProcesVerbalForm:
    """The decisions not yet recorded in a procès-verbal, by département then dossier."""

    lignes = session.exec(select(Decision, Dossier, Etablissement, Avis.avis)
                          .join(Dossier, Dossier.id == Decision.dossier_id)
                          .join(Etablissement, Etablissement.uai == Dossier.uai)
                          .outerjoin(Avis, Avis.dossier_id == Dossier.id)
                          .where(Dossier.campagne_id == campagne.id, Decision.session_id.is_(None))
                          .order_by(Etablissement.departement_code, Dossier.id))
    decisions = [LigneDecisionPV(
        departement=etab.departement_code, numero=numero_dossier(campagne, d), etablissement=etab.nom,
        avis=libelle(AvisDasen(avis)) if avis else "—", decision=DecisionComite(dec.decision),
        heures_financees=dec.heures_financees, montant_p104=dec.montant_p104, montant_en=dec.montant_en,
        observations=dec.conditions or dec.motif_refus or dec.derogation_bilans_motif) for dec, d, etab, avis in lignes]
    return form.model_copy(update={"decisions": decisions})

def etablir_proces_verbal(x: Execution) -> None:
    f: ProcesVerbalForm = x.form
    seance = SessionComite(campagne_id=x.campagne.id, date_session=f.date_session, lieu=f.lieu,
                           membres_presents=[m.model_dump() for m in f.membres_presents], cloturee=True)
    x.session.add(seance)
    x.session.flush()
    x.session.exec(update(Decision).where(Decision.session_id.is_(None), Decision.dossier_id.in_(
        select(Dossier.id).where(Dossier.campagne_id == x.campagne.id))).values(session_id=seance.id))


# --- What the guards look at (each step's row names its loader) ------------------------------------


def charger_depot(session: Session, s: Situation, etab: Etablissement) -> None:
    """The profile of the dossier's académie (its rules for a group), and the hours each intervenant already has in
    the campaign's other dossiers (the 12-month cap, across ateliers)."""
    s.profil = profils.profil_de(session, s.campagne.academie_code)
    s.academie = session.get(Academie, s.campagne.academie_code).nom
    lignes = session.exec(
        select(Intervenant.nom, Intervenant.prenom, func.sum(Engagement.heures_prevues))
        .join(Engagement, Engagement.intervenant_id == Intervenant.id).join(Dossier, Dossier.id == Engagement.dossier_id)
        .where(Dossier.campagne_id == s.campagne.id, Dossier.id != s.dossier.id).group_by(Intervenant.nom, Intervenant.prenom))
    s.heures_intervenants_ailleurs = {f"{n.upper()} {p}": Decimal(h or 0) for n, p, h in lignes}


def charger_avis(session: Session, s: Situation, etab: Etablissement) -> None:
    """The ranks the DSDEN already gave to the other dossiers of its département."""
    s.rangs_pris = set(session.exec(
        select(Avis.priorite_departementale).join(Dossier, Dossier.id == Avis.dossier_id)
        .join(Etablissement, Etablissement.uai == Dossier.uai)
        .where(Dossier.campagne_id == s.campagne.id, Etablissement.departement_code == etab.departement_code,
               Dossier.id != s.dossier.id, Avis.priorite_departementale.is_not(None))))


def charger_decision(session: Session, s: Situation, etab: Etablissement) -> None:
    """What the campaign's other decisions already granted on each funding line."""
    p104, en = session.exec(
        select(func.coalesce(func.sum(Decision.montant_p104), 0), func.coalesce(func.sum(Decision.montant_en), 0))
        .join(Dossier, Dossier.id == Decision.dossier_id)
        .where(Dossier.campagne_id == s.campagne.id, Dossier.id != s.dossier.id)).one()
    s.engage_p104, s.engage_en = Decimal(p104), Decimal(en)


def charger_notification(session: Session, s: Situation, etab: Etablissement) -> None:
    """The amounts the committee decided, which the notification may not exceed."""
    decision = session.exec(select(Decision).where(Decision.dossier_id == s.dossier.id)).first()
    s.montants_decides = (Decimal(decision.montant_p104), Decimal(decision.montant_en)) if decision else None
