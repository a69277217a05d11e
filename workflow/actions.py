"""What each step writes besides its history row and documents (called inside the step's transaction).

Steps absent from ACTIONS keep their form in the history row only (the transition's `donnees`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, delete, select, update

from db.models import (
    Auditeur,
    Avis,
    Bilan,
    Campagne,
    Decision,
    Dossier,
    Enfant,
    Engagement,
    Groupe,
    Intervenant,
    Presence,
    Seance,
    SeanceIntervenant,
    SessionComite,
    Utilisateur,
    maintenant,
)
from forms.atelier import (
    COLONNES_EMARGEMENT,
    AttestationForm,
    CumulForm,
    EmargementMensuelForm,
    EngagementForm,
    EtatLiquidatifForm,
    EvaluationForm,
    InscriptionForm,
    LigneAuditeur,
    ListeAuditeursForm,
    MotifSortieForm,
    PersonneEmargement,
    RecapitulatifForm,
    SeanceForm,
    ServiceFaitForm,
    langues_saisies,
)
from forms.base import ErreursSaisie, FormModel
from forms.campagne import CampagneForm
from forms.candidature import CandidatureForm
from forms.selection import AvisForm, DecisionForm, LigneDecisionPV, ProcesVerbalForm
from forms.vocabulaire import (
    QUALIFIES_FLE_FLS,
    UNION_EUROPEENNE,
    AvisDasen,
    DecisionComite,
    Role,
    TypeBilan,
)
from workflow import bilans, paie
from workflow.assiduite import Assiduite, assiduite, assiduites
from workflow.permissions import Acteur
from workflow.settings import aujourdhui, get_settings


@dataclass
class Execution:
    session: Session
    acteur: Acteur
    form: FormModel
    aujourdhui: date
    campagne: Campagne
    dossier: Dossier | None = None
    auditeur_id: int | None = None  # the parent a step created, kept in the history (an id, no personal data)


def numero_dossier(campagne: Campagne, dossier: Dossier) -> str:
    """The dossier's number as printed and shown: year-département-sequence, e.g. 2025-031-0002."""
    return f"{campagne.annee_scolaire[:4]}-{dossier.uai[:3]}-{dossier.id:04d}"


def _campagne_depuis_form(f: CampagneForm, academie: str) -> Campagne:
    return Campagne(academie_code=academie, **f.model_dump(exclude={"budget_total"}))


def ouvrir_campagne(x: Execution) -> None:
    x.campagne = _campagne_depuis_form(x.form, get_settings().academie)
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
        personne = _intervenant(s, i.nom, i.prenom, statut=i.statut.value, employeur=i.employeur_principal.value,
                                qualifie=i.qualification_fle_fls or i.statut in QUALIFIES_FLE_FLS)
        s.add(Engagement(intervenant_id=personne.id, dossier_id=d.id, heures_prevues=i.heures_prevues))


def _intervenant(s: Session, nom: str, prenom: str, **valeurs) -> Intervenant:
    existant = s.exec(select(Intervenant).where(Intervenant.nom == nom.upper(), Intervenant.prenom == prenom)).first()
    if existant:
        return existant
    personne = Intervenant(nom=nom.upper(), prenom=prenom, statut=valeurs["statut"],
                           employeur_principal=valeurs["employeur"], qualification_fle_fls=valeurs.get("qualifie", False))
    s.add(personne)
    s.flush()
    return personne


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


def _groupe(x: Execution, libelle: str) -> Groupe:
    groupes = list(x.session.exec(select(Groupe).where(Groupe.dossier_id == x.dossier.id).order_by(Groupe.id)))
    groupe = next((g for g in groupes if g.libelle == libelle), None)
    if groupe is None:
        existants = " ; ".join(f"« {g.libelle} »" for g in groupes) or "aucun"
        raise ErreursSaisie([f"« Groupe » : le groupe « {libelle} » n'existe pas dans ce dossier (groupes du dossier : {existants})."])
    return groupe


def engage_sur(session: Session, dossier_id: int, nom: str) -> tuple[Intervenant, Engagement]:
    """The intervenant engaged on the dossier under « Prénom NOM » (any case); otherwise the refusal lists who is."""
    engages = paie.engages(session, dossier_id)
    if (engage := engages.get(nom.strip().lower())) is None:
        noms = " ; ".join(paie.noms_engages(session, dossier_id)) or "aucun pour l'instant"
        raise ErreursSaisie([f"« Intervenant » : {nom} n'est pas engagé(e) sur ce dossier (intervenants engagés : {noms})."])
    return engage


def _compte_d_intervenant(s: Session, courriel: str) -> Utilisateur | None:
    """The intervenant account signing in with this e-mail, if there is one; another role's account is refused."""
    compte = s.exec(select(Utilisateur).where(func.lower(Utilisateur.identifiant) == courriel)).first()
    if compte is not None and compte.role != Role.INTERVENANT.value:
        raise ErreursSaisie([f"« Courriel » : {courriel} est le compte d'un autre rôle ({Role(compte.role).libelle}), "
                             "pas celui d'un intervenant ; donnez l'adresse de son compte d'intervenant ou laissez le champ vide."])
    return compte


def engager_intervenant(x: Execution) -> None:
    """Engage the person on a group of the dossier; with the e-mail of an intervenant account, that account now sees
    the atelier. Engaging the same person on the same group again corrects the engagement instead of doubling it."""
    f: EngagementForm = x.form
    s = x.session
    groupe = _groupe(x, f.groupe)
    compte = _compte_d_intervenant(s, f.courriel) if f.courriel else None
    connue = (s.get(Intervenant, compte.intervenant_id) if compte is not None and compte.intervenant_id else None) or (
        s.exec(select(Intervenant).where(Intervenant.email == f.courriel)).first() if f.courriel else None)
    if connue is not None and (connue.nom, connue.prenom.lower()) != (f.nom.upper(), f.prenom.lower()):
        raise ErreursSaisie([f"« Courriel » : {f.courriel} est l'adresse de {paie.nom_affiche(connue)}, pas de "
                             f"{f.prenom} {f.nom.upper()} ; vérifiez le nom ou l'adresse."])
    personne = connue or _intervenant(s, f.nom, f.prenom, statut=f.statut.value, employeur=f.employeur_principal.value)
    personne.civilite, personne.uai_affectation = f.civilite or None, f.uai_affectation
    personne.corps_grade, personne.quotite_service_pct = f.corps_grade or None, f.quotite_service_pct
    personne.email = f.courriel or personne.email
    s.add(personne)
    s.flush()
    if compte is not None:
        compte.intervenant_id = personne.id
        s.add(compte)
    engagement = s.exec(select(Engagement).where(Engagement.dossier_id == x.dossier.id, Engagement.engage.is_(True),
                                                 Engagement.intervenant_id == personne.id,
                                                 Engagement.groupe_id == groupe.id)).first()
    engagement = engagement or Engagement(intervenant_id=personne.id, dossier_id=x.dossier.id, groupe_id=groupe.id, engage=True)
    engagement.heures_prevues, engagement.date_debut, engagement.date_fin = f.heures_prevues, f.date_debut, f.date_fin
    engagement.statut_cumul, engagement.atteste_hors_service = f.statut_cumul.value, f.atteste_hors_service
    s.add(engagement)


def suivre_cumul(x: Execution) -> None:
    f: CumulForm = x.form
    personne, _ = engage_sur(x.session, x.dossier.id, f.intervenant)
    x.session.execute(update(Engagement).where(Engagement.dossier_id == x.dossier.id,
                                               Engagement.intervenant_id == personne.id)
                      .values(statut_cumul=f.statut_cumul.value, cumul_demande_le=f.demande_le,
                              cumul_accorde_le=f.accorde_le, cumul_fin_validite=f.fin_validite))


def inscrire_parent(x: Execution) -> None:
    f: InscriptionForm = x.form
    groupe = _groupe(x, f.groupe)
    parent = Auditeur(dossier_id=x.dossier.id, groupe_id=groupe.id, nom=f.nom, prenom=f.prenom, sexe=f.sexe.value,
                      annee_naissance=f.annee_naissance, pays_origine=f.pays_origine and f.pays_origine.value,
                      hors_ue=None if f.pays_origine is None else f.pays_origine.value not in UNION_EUROPEENNE,
                      langues=langues_saisies(f.langues),
                      annee_arrivee_france=f.annee_arrivee_france, cir_signe=f.cir_signe.value,
                      protection_internationale=f.protection_internationale.value,
                      orientation_par=f.orientation_par and f.orientation_par.value,
                      deja_inscrit_session_precedente=f.deja_inscrit_session_precedente,
                      telephone=f.telephone or None, consentement_image=f.consentement_image,
                      date_inscription=f.date_inscription, langue_fiche=f.langue_fiche.value)
    x.session.add(parent)
    x.session.flush()
    x.auditeur_id = parent.id
    for e in f.enfants:
        x.session.add(Enfant(auditeur_id=parent.id, prenom=e.prenom, classe=e.classe, uai_ecole=e.uai_ecole))


def sortir_parent(x: Execution) -> None:
    f: MotifSortieForm = x.form
    parent = x.session.get(Auditeur, f.auditeur_id)
    if parent is None or parent.dossier_id != x.dossier.id:
        raise ErreursSaisie(["« Parent » : ce parent n'est pas inscrit dans ce dossier."])
    if f.date_sortie < parent.date_inscription:
        raise ErreursSaisie([f"« Date de sortie » : elle précède l'inscription ({parent.date_inscription:%d/%m/%Y})."])
    derniere = x.session.exec(select(func.max(Seance.date_seance)).join(Presence, Presence.seance_id == Seance.id).where(
        Presence.auditeur_id == parent.id, Presence.statut == "present", Seance.annulee.is_(False))).one()
    if derniere is not None and f.date_sortie < derniere:
        raise ErreursSaisie([f"« Date de sortie » : {parent.prenom} {parent.nom} a une présence enregistrée à la "
                             f"séance du {derniere:%d/%m/%Y} ; la sortie ne peut pas la précéder (corrigez d'abord la séance si "
                             "la présence est une erreur)."])
    parent.date_sortie, parent.motif_sortie = f.date_sortie, f.motif_sortie.value
    x.session.add(parent)


def evaluer_parent(x: Execution) -> None:
    f: EvaluationForm = x.form
    parent = x.session.get(Auditeur, f.auditeur_id)
    if parent is None or parent.dossier_id != x.dossier.id:
        raise ErreursSaisie(["« Parent » : ce parent n'est pas inscrit dans ce dossier."])
    parent.niveau_oral, parent.niveau_ecrit = f.niveau_oral.value, f.niveau_ecrit.value
    x.session.add(parent)


def enregistrer_seance(x: Execution) -> None:
    f: SeanceForm = x.form
    groupe = _groupe(x, f.groupe)
    seance = Seance(groupe_id=groupe.id, date_seance=f.date_seance, heure_debut=f.heure_debut, heure_fin=f.heure_fin,
                    minutes=f.minutes, axes=[a.value for a in f.axes], contenu=f.contenu)
    x.session.add(seance)
    try:
        x.session.flush()
    except IntegrityError as exc:  # the same séance saved at the same moment by a second request: the guard saw neither
        if "seance" not in str(exc.orig).lower():
            raise
        raise ErreursSaisie([f"Cette séance est déjà enregistrée : le groupe « {groupe.libelle} » a une séance le "
                             f"{f.date_seance:%d/%m/%Y} à {f.heure_debut:%H:%M}. Elle ne s'enregistre qu'une fois."]) from exc
    for nom in f.intervenants:  # engaged ones only: a person merely listed in the application is not paid
        personne, _ = engage_sur(x.session, x.dossier.id, nom)
        x.session.add(SeanceIntervenant(seance_id=seance.id, intervenant_id=personne.id, minutes=f.minutes))
    inscrits = {(a.nom.lower(), a.prenom.lower()): a for a in x.session.exec(select(Auditeur).where(Auditeur.groupe_id == groupe.id))}
    for p in f.presences:
        parent = inscrits.get((p.nom.lower(), p.prenom.lower()))
        if parent is None:
            raise ErreursSaisie([f"« Présences » : {p.prenom} {p.nom} n'est pas inscrit(e) dans le groupe « {groupe.libelle} »."])
        x.session.add(Presence(seance_id=seance.id, auditeur_id=parent.id, statut=p.statut.value))


def completer_proces_verbal(session: Session, campagne: Campagne, dossier: Dossier | None,
                            form: ProcesVerbalForm) -> ProcesVerbalForm:
    """The decisions not yet recorded in a procès-verbal, by département then dossier."""
    from db.models import Etablissement

    lignes = session.exec(select(Decision, Dossier, Etablissement, Avis.avis)
                          .join(Dossier, Dossier.id == Decision.dossier_id)
                          .join(Etablissement, Etablissement.uai == Dossier.uai)
                          .outerjoin(Avis, Avis.dossier_id == Dossier.id)
                          .where(Dossier.campagne_id == campagne.id, Decision.session_id.is_(None))
                          .order_by(Etablissement.departement_code, Dossier.id))
    decisions = [LigneDecisionPV(
        departement=etab.departement_code, numero=numero_dossier(campagne, d), etablissement=etab.nom,
        avis=AvisDasen(avis).libelle if avis else "—", decision=DecisionComite(dec.decision),
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


def completer_service_fait(session: Session, campagne: Campagne, dossier: Dossier | None,
                           form: ServiceFaitForm) -> ServiceFaitForm:
    """The intervenant's séances of the month in this dossier, each at the rate of its date, and the
    12-month cumulative hours across every atelier at the end of the month."""
    personne, _ = engage_sur(session, dossier.id, form.intervenant)
    seances = paie.seances_du_mois(session, intervenant_id=personne.id, dossier_id=dossier.id, mois=form.mois)
    if not seances:
        raise ErreursSaisie([f"« Mois » : aucune séance de {form.intervenant} en {form.mois:%m/%Y} dans ce dossier."])
    fin_du_mois = paie.mois_suivant(form.mois) - timedelta(days=1)
    faites = [(j, m) for j, m in paie.minutes_realisees(session, [personne.id])[personne.id]
              if paie.un_an_avant(fin_du_mois) < j <= fin_du_mois]
    return form.model_copy(update={"intervenant": paie.nom_affiche(personne), "mois": paie.premier_du_mois(form.mois),
                                   "lignes": [x.ligne() for x in seances],
                                   "cumul_12_mois": sum(m for _, m in faites)})


def certifier_service_fait(x: Execution) -> None:
    f: ServiceFaitForm = x.form
    personne, _ = engage_sur(x.session, x.dossier.id, f.intervenant)
    ids = [p.seance.id for p in paie.seances_du_mois(x.session, intervenant_id=personne.id, dossier_id=x.dossier.id, mois=f.mois)]
    x.session.execute(update(Seance).where(Seance.id.in_(ids), Seance.certifiee_par_id.is_(None))
                      .values(certifiee_par_id=x.acteur.id, certifiee_at=maintenant()))


def completer_etat_liquidatif(session: Session, campagne: Campagne, dossier: Dossier | None,
                              form: EtatLiquidatifForm) -> EtatLiquidatifForm:
    vacations = paie.a_liquider(session, dossier_id=dossier.id, mois=form.mois)
    if not vacations:
        raise ErreursSaisie([f"« Mois » : aucune vacation à liquider en {form.mois:%m/%Y} pour ce dossier "
                             "(pas de séance, ou déjà liquidées)."])
    return form.model_copy(update={"mois": paie.premier_du_mois(form.mois), "lignes": paie.lignes_liquidation(vacations)})


def liquider(x: Execution) -> None:
    """Freeze rate and amount on each hour paid: the same hours can never enter another état liquidatif."""
    for v in paie.a_liquider(x.session, dossier_id=x.dossier.id, mois=x.form.mois):
        x.session.execute(update(SeanceIntervenant)
                          .where(SeanceIntervenant.seance_id == v.seance_id, SeanceIntervenant.intervenant_id == v.intervenant_id)
                          .values(liquide_le=x.aujourdhui, taux_paye=v.taux, montant_paye=v.montant))


def completer_attestation(session: Session, campagne: Campagne, dossier: Dossier | None,
                          form: AttestationForm) -> AttestationForm:
    parent = session.get(Auditeur, form.auditeur_id)
    if parent is None or parent.dossier_id != dossier.id:
        raise ErreursSaisie(["« Parent » : ce parent n'est pas inscrit dans ce dossier."])
    suivi = assiduite(session, parent)
    if not suivi.minutes_presentes:
        raise ErreursSaisie([f"{parent.prenom} {parent.nom} n'a suivi aucune séance : pas d'attestation à délivrer."])
    return remplir_attestation(form, parent, suivi, campagne)


def remplir_attestation(form: AttestationForm, parent: Auditeur, suivi: Assiduite, campagne: Campagne) -> AttestationForm:
    """What an attestation prints besides its signatory: the attendance, and the assiduity at the campaign's threshold."""
    return form.model_copy(update={
        "parent_nom": parent.nom, "parent_prenom": parent.prenom, "date_debut": suivi.premiere, "date_fin": suivi.derniere,
        "minutes_presentes": suivi.minutes_presentes, "minutes_proposees": suivi.minutes_proposees,
        "assiduite": suivi.pourcentage() >= campagne.seuil_assiduite_pct})


def completer_liste_auditeurs(session: Session, campagne: Campagne, dossier: Dossier | None,
                              form: ListeAuditeursForm) -> ListeAuditeursForm:
    """One line per parent; the anonymised version carries numbers, never names (not even hidden)."""
    debut_campagne = campagne.date_ouverture
    lignes = []
    parents = session.exec(select(Auditeur, Groupe.libelle).join(Groupe, Groupe.id == Auditeur.groupe_id)
                           .where(Auditeur.dossier_id == dossier.id).order_by(Groupe.libelle, Auditeur.nom, Auditeur.prenom))
    suivis = assiduites(session, [dossier.id])
    for numero, (a, groupe) in enumerate(parents, start=1):
        primo = bilans.est_primo_arrivant(a.annee_arrivee_france, debut_campagne.year)
        lignes.append(LigneAuditeur(
            numero=numero, designation=f"Auditeur n° {numero}" if form.anonymisee else f"{a.prenom} {a.nom}", groupe=groupe,
            sexe={"F": "F", "M": "M"}.get(a.sexe, "—"), tranche_age=bilans.tranche_age(a.annee_naissance, debut_campagne.year, inconnu="—"),
            primo_arrivant="oui" if primo else "non" if a.annee_arrivee_france else "—",
            inscription=f"{a.date_inscription:%d/%m/%Y}", sortie=f"{a.date_sortie:%d/%m/%Y}" if a.date_sortie else "",
            minutes_suivies=suivis[a.id].minutes_presentes))
    if not lignes:
        raise ErreursSaisie(["Aucun parent n'est inscrit dans cet atelier : la liste serait vide."])
    return form.model_copy(update={"lignes": lignes})


def completer_recapitulatif(session: Session, campagne: Campagne, dossier: Dossier | None,
                            form: RecapitulatifForm) -> RecapitulatifForm:
    """The school year of the campaign (1 September – 31 August), every atelier of the intervenant."""
    personne, _ = engage_sur(session, dossier.id, form.intervenant)
    debut = date(int(campagne.annee_scolaire[:4]), 9, 1)
    lignes = paie.recapitulatif(session, intervenant_id=personne.id, debut=debut, fin=date(debut.year + 1, 8, 31))
    if not lignes:
        raise ErreursSaisie([f"{form.intervenant} n'a encore fait aucune séance en {campagne.annee_scolaire}."])
    return form.model_copy(update={"intervenant": paie.nom_affiche(personne), "annee_scolaire": campagne.annee_scolaire,
                                   "lignes": lignes})


JOURS_SEMAINE = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
ABREGES = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")


def completer_emargement_mensuel(session: Session, campagne: Campagne, dossier: Dossier | None,
                                 form: EmargementMensuelForm) -> EmargementMensuelForm:
    """The month's séances (recorded ones, and those the group's weekly slots plan, public holidays left out),
    the parents registered that month and the intervenants engaged on the group."""
    import holidays

    groupe = session.exec(select(Groupe).where(Groupe.dossier_id == dossier.id, Groupe.libelle == form.groupe)).first()
    if groupe is None:
        raise ErreursSaisie([f"« Groupe » : le groupe « {form.groupe} » n'existe pas dans ce dossier."])
    debut = paie.premier_du_mois(form.mois)
    fin = paie.mois_suivant(debut) - timedelta(days=1)
    du, au = max(debut, groupe.date_debut or debut), min(fin, groupe.date_fin or fin)
    feries = holidays.France(years=debut.year)
    jours_prevus = {JOURS_SEMAINE.index(c["jour"]) for c in groupe.creneaux or [] if c.get("jour") in JOURS_SEMAINE}
    dates = {du + timedelta(days=n) for n in range((au - du).days + 1)
             if (du + timedelta(days=n)).weekday() in jours_prevus and du + timedelta(days=n) not in feries}
    dates |= set(session.exec(select(Seance.date_seance).where(
        Seance.groupe_id == groupe.id, Seance.annulee.is_(False), Seance.date_seance >= debut, Seance.date_seance <= fin)))
    if not dates:
        raise ErreursSaisie([f"Aucune séance n'est prévue ni enregistrée pour « {form.groupe} » en {debut:%m/%Y} : "
                             "vérifiez le mois et les créneaux du groupe."])
    if len(dates) > COLONNES_EMARGEMENT:
        raise ErreursSaisie([f"{len(dates)} séances en {debut:%m/%Y} : la grille en compte {COLONNES_EMARGEMENT} au plus ; "
                             "imprimez plutôt les feuilles par séance."])
    jours = [f"{ABREGES[d.weekday()]} {d:%d/%m}" for d in sorted(dates)]
    parents = session.exec(select(Auditeur).where(
        Auditeur.groupe_id == groupe.id, Auditeur.date_inscription <= fin,
        (Auditeur.date_sortie.is_(None)) | (Auditeur.date_sortie >= debut)).order_by(Auditeur.nom, Auditeur.prenom))
    intervenants = session.exec(select(Intervenant).join(Engagement, Engagement.intervenant_id == Intervenant.id).where(
        Engagement.dossier_id == dossier.id, Engagement.engage.is_(True),
        (Engagement.groupe_id == groupe.id) | Engagement.groupe_id.is_(None)).order_by(Intervenant.nom))
    return form.model_copy(update={
        "mois": debut, "jours": jours + [""] * (COLONNES_EMARGEMENT - len(jours)),
        "parents": [PersonneEmargement(nom=a.nom, prenom=a.prenom) for a in parents],
        "intervenants": [PersonneEmargement(nom=i.nom, prenom=i.prenom) for i in intervenants]})


# Steps whose form has fields the service fills from the database before guards and documents.
COMPLETEMENTS: dict[str, Callable[[Session, Campagne, Dossier | None, FormModel], FormModel]] = {
    "etablir_proces_verbal": completer_proces_verbal,
    "certifier_service_fait": completer_service_fait,
    "liquider": completer_etat_liquidatif,
    "attester": completer_attestation,
    "lister_auditeurs": completer_liste_auditeurs,
    "imprimer_emargement_mensuel": completer_emargement_mensuel,
    "recapituler_vacations": completer_recapitulatif,
    "transmettre_bilan_pedagogique": bilans.completer_bilan_pedagogique,
    "transmettre_bilan_financier": bilans.completer_bilan_financier,
}


def _bilan(type_bilan: TypeBilan) -> Callable[[Execution], None]:
    def transmettre(x: Execution) -> None:
        bilan = x.session.exec(select(Bilan).where(Bilan.dossier_id == x.dossier.id, Bilan.type_bilan == type_bilan.value)).first()
        bilan = bilan or Bilan(dossier_id=x.dossier.id, type_bilan=type_bilan.value)
        bilan.donnees, bilan.transmis_le = x.form.model_dump(mode="json"), x.form.date_envoi
        x.session.add(bilan)

    return transmettre


ACTIONS: dict[str, Callable[[Execution], None]] = {
    "ouvrir_campagne": ouvrir_campagne,
    "rouvrir_depot": rouvrir_depot,
    "deposer": deposer,
    "emettre_avis": emettre_avis,
    "decider": decider,
    "etablir_proces_verbal": etablir_proces_verbal,
    "engager_intervenant": engager_intervenant,
    "suivre_cumul": suivre_cumul,
    "inscrire_parent": inscrire_parent,
    "sortir_parent": sortir_parent,
    "evaluer_parent": evaluer_parent,
    "enregistrer_seance": enregistrer_seance,
    "certifier_service_fait": certifier_service_fait,
    "liquider": liquider,
    "transmettre_bilan_pedagogique": _bilan(TypeBilan.PEDAGOGIQUE),
    "transmettre_bilan_financier": _bilan(TypeBilan.FINANCIER),
}
