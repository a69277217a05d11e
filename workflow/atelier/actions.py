"""What the atelier's steps write (steps 5–10), what they load for their guards and fill in their forms."""


import unicodedata
from datetime import date, timedelta

from sqlalchemy import false, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select, update

from db.models import (
    Auditeur,
    Campagne,
    Dossier,
    Enfant,
    Engagement,
    Etablissement,
    Evaluation,
    Groupe,
    Intervenant,
    Presence,
    Seance,
    SeanceIntervenant,
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
from forms.base import ErreursSaisie
from forms.vocabulaire import (
    UNION_EUROPEENNE,
    MomentEvaluation,
    Role,
)
from workflow.noyau import paie, public, regles
from workflow.noyau.assiduite import Assiduite, assiduite, assiduites
from workflow.noyau.etape import Execution
from workflow.noyau.paie import intervenant_par_nom
from workflow.noyau.regles import Situation


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
    personne = connue or intervenant_par_nom(x, f.nom, f.prenom, statut=f.statut.value, employeur=f.employeur_principal.value)
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

def valeurs_parent(f: InscriptionForm, groupe: Groupe) -> dict:
    """The parent's record as the fiche d'inscription states it (registering, or correcting it)."""
    return dict(groupe_id=groupe.id, nom=f.nom, prenom=f.prenom, sexe=f.sexe.value, annee_naissance=f.annee_naissance,
                pays_origine=f.pays_origine and f.pays_origine.value,
                hors_ue=None if f.pays_origine is None else f.pays_origine.value not in UNION_EUROPEENNE,
                langues=langues_saisies(f.langues), annee_arrivee_france=f.annee_arrivee_france,
                cir_signe=f.cir_signe.value, protection_internationale=f.protection_internationale.value,
                orientation_par=f.orientation_par and f.orientation_par.value,
                deja_inscrit_session_precedente=f.deja_inscrit_session_precedente, telephone=f.telephone or None,
                consentement_image=f.consentement_image, date_inscription=f.date_inscription,
                langue_fiche=f.langue_fiche.value)

def inscrire_parent(x: Execution) -> None:
    f: InscriptionForm = x.form
    groupe = _groupe(x, f.groupe)
    parent = Auditeur(dossier_id=x.dossier.id, **valeurs_parent(f, groupe))
    x.session.add(parent)
    x.session.flush()
    x.auditeur_id = parent.id
    for e in f.enfants:
        x.session.add(Enfant(auditeur_id=parent.id, prenom=e.prenom, classe=e.classe, uai_ecole=e.uai_ecole))

def _parent_du_dossier(session: Session, dossier: Dossier, auditeur_id: int, *, anonymise_compris: bool = True) -> Auditeur:
    """The parent the form names, refused in French unless registered in this dossier (and, when asked, not anonymised)."""
    parent = session.get(Auditeur, auditeur_id)
    if parent is None or parent.dossier_id != dossier.id or (not anonymise_compris and parent.anonymise_at is not None):
        raise ErreursSaisie(["« Parent » : ce parent n'est pas inscrit dans ce dossier."])
    return parent


def sortir_parent(x: Execution) -> None:
    f: MotifSortieForm = x.form
    parent = _parent_du_dossier(x.session, x.dossier, f.auditeur_id)
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
    """Record (or correct) the parent's initial or final evaluation. The initial one is the parent's level in the
    registration's fields too (the fiche, the bilan's breakdown by level); the final one needs the initial one and
    comes after it, so that progress is a difference of two evaluations of the same person."""
    f: EvaluationForm = x.form
    parent = _parent_du_dossier(x.session, x.dossier, f.auditeur_id, anonymise_compris=False)
    erreurs = []
    if f.date_evaluation > x.aujourdhui:
        erreurs.append(f"« Date de l'évaluation » : le {f.date_evaluation:%d/%m/%Y} n'est pas encore arrivé.")
    if f.date_evaluation < parent.date_inscription:
        erreurs.append(f"« Date de l'évaluation » : le parent est inscrit depuis le {parent.date_inscription:%d/%m/%Y} "
                       "seulement.")
    autres = {e.moment: e for e in x.session.exec(select(Evaluation).where(Evaluation.auditeur_id == parent.id))}
    initiale = autres.get(MomentEvaluation.INITIALE.value)
    finale = autres.get(MomentEvaluation.FINALE.value)
    if f.moment == MomentEvaluation.FINALE and initiale is None:
        erreurs.append("« Évaluation » : enregistrez d'abord l'évaluation initiale de ce parent.")
    elif f.moment == MomentEvaluation.FINALE and f.date_evaluation < initiale.date_evaluation:
        erreurs.append(f"« Date de l'évaluation » : l'évaluation finale ne peut précéder l'évaluation initiale "
                       f"(le {initiale.date_evaluation:%d/%m/%Y}).")
    elif f.moment == MomentEvaluation.INITIALE and finale is not None and f.date_evaluation > finale.date_evaluation:
        erreurs.append(f"« Date de l'évaluation » : l'évaluation initiale ne peut suivre l'évaluation finale "
                       f"(le {finale.date_evaluation:%d/%m/%Y}).")
    if erreurs:
        raise ErreursSaisie(erreurs)
    evaluation = autres.get(f.moment.value) or Evaluation(auditeur_id=parent.id, moment=f.moment.value,
                                                          date_evaluation=f.date_evaluation, niveau_oral="",
                                                          niveau_ecrit="", evaluateur_id=x.acteur.id)
    evaluation.date_evaluation = f.date_evaluation
    evaluation.niveau_oral, evaluation.niveau_ecrit = f.niveau_oral.value, f.niveau_ecrit.value
    evaluation.lecture_ecriture_langue_origine = f.lecture_ecriture_langue_origine.value if f.lecture_ecriture_langue_origine else None
    evaluation.commentaire, evaluation.evaluateur_id, evaluation.modifie_at = f.commentaire, x.acteur.id, maintenant()
    x.session.add(evaluation)
    if f.moment == MomentEvaluation.INITIALE:
        parent.niveau_oral, parent.niveau_ecrit = f.niveau_oral.value, f.niveau_ecrit.value
        parent.lecture_ecriture_langue_origine = evaluation.lecture_ecriture_langue_origine
        if f.scolarisation_anterieure is not None:
            parent.scolarisation_anterieure = f.scolarisation_anterieure.value
        x.session.add(parent)
    x.auditeur_id = parent.id

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
    parent = _parent_du_dossier(session, dossier, form.auditeur_id)
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

def _tranche_age(annee_naissance: int | None, annee: int) -> str:
    if annee_naissance is None:
        return "—"
    age = annee - annee_naissance
    return "moins de 26 ans" if age < 26 else "26 à 45 ans" if age <= 45 else "plus de 45 ans"

def completer_liste_auditeurs(session: Session, campagne: Campagne, dossier: Dossier | None,
                              form: ListeAuditeursForm) -> ListeAuditeursForm:
    """One line per parent; the anonymised version carries numbers, never names (not even hidden)."""
    debut_campagne = campagne.date_ouverture
    lignes = []
    parents = session.exec(select(Auditeur, Groupe.libelle).join(Groupe, Groupe.id == Auditeur.groupe_id)
                           .where(Auditeur.dossier_id == dossier.id).order_by(Groupe.libelle, Auditeur.nom, Auditeur.prenom))
    suivis = assiduites(session, [dossier.id])
    for numero, (a, groupe) in enumerate(parents, start=1):
        primo = public.est_primo_arrivant(a.annee_arrivee_france, debut_campagne.year)
        lignes.append(LigneAuditeur(
            numero=numero, designation=f"Auditeur n° {numero}" if form.anonymisee else f"{a.prenom} {a.nom}", groupe=groupe,
            sexe={"F": "F", "M": "M"}.get(a.sexe, "—"), tranche_age=public.tranche_age(a.annee_naissance, debut_campagne.year, inconnu="—"),
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


def _sans_accents(texte: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", texte.casefold()) if not unicodedata.combining(c)).strip()

def _doublons_parent(session: Session, form: InscriptionForm, campagne: Campagne, dossier: Dossier) -> list[tuple[str, bool]]:
    """Duplicates by (names without case or accents, year of birth, a child's school) in the campaign (spec §6 step 6)."""
    ecoles = {e.uai_ecole for e in form.enfants}
    lignes = session.exec(select(Auditeur, Groupe.libelle, Etablissement.nom, Enfant.uai_ecole)
                          .join(Dossier, Dossier.id == Auditeur.dossier_id).join(Groupe, Groupe.id == Auditeur.groupe_id)
                          .join(Etablissement, Etablissement.uai == Dossier.uai).join(Enfant, Enfant.auditeur_id == Auditeur.id)
                          .where(Dossier.campagne_id == campagne.id, Auditeur.annee_naissance == form.annee_naissance
                                 if form.annee_naissance else Auditeur.annee_naissance.is_(None),
                                 Auditeur.date_sortie.is_(None), Enfant.uai_ecole.in_(ecoles)))
    cle = (_sans_accents(form.nom), _sans_accents(form.prenom))
    trouves = {(a.id, f"{groupe} — {etab}", a.dossier_id == dossier.id) for a, groupe, etab, _ in lignes
               if (_sans_accents(a.nom), _sans_accents(a.prenom)) == cle}
    return sorted({(ou, meme) for _, ou, meme in trouves})

def _situation_seance(session: Session, s: Situation, form: SeanceForm, dossier: Dossier, sauf: int | None = None) -> None:
    """What the séance's guards look at; with `sauf`, the séance being corrected is left out (its new values count)."""
    engages = paie.engages(session, dossier.id)
    presents = {nom.lower(): engages[nom.lower()] for nom in form.intervenants if nom.lower() in engages}
    faites = paie.minutes_realisees(session, [i.id for i, _ in presents.values()], sauf_seance=sauf)
    s.vacations = {paie.nom_affiche(i): faites[i.id] for i, _ in presents.values()}
    s.periodes_engagement = {paie.nom_affiche(i): (e.date_debut, e.date_fin) for i, e in presents.values()}
    groupe = session.exec(select(Groupe).where(Groupe.dossier_id == dossier.id, Groupe.libelle == form.groupe)).first()
    if groupe is not None:
        s.periode_groupe = (groupe.date_debut, groupe.date_fin)
        s.periodes_parents = {f"{a.prenom} {a.nom}".lower(): (a.date_inscription, a.date_sortie) for a in session.exec(
            select(Auditeur).where(Auditeur.groupe_id == groupe.id))}
    s.seances_du_jour = _seances_du_jour(session, form, dossier, groupe,
                                         {i.id: paie.nom_affiche(i) for i, _ in presents.values()}, sauf)
    realisees = session.exec(select(func.coalesce(func.sum(Seance.minutes), 0)).join(Groupe, Groupe.id == Seance.groupe_id)
                             .where(Groupe.dossier_id == dossier.id, Seance.annulee.is_(False),
                                    Seance.id != (sauf or 0))).one()
    s.minutes_dossier = (int(realisees), paie.heures_financees(session, dossier.id))

def _seances_du_jour(session: Session, form: SeanceForm, dossier: Dossier, groupe: Groupe | None,
                     intervenants: dict[int, str], sauf: int | None = None) -> list[regles.SeanceDuJour]:
    """In one query, the séances (not cancelled) on the form's date of its group, or led by one of its intervenants
    in any atelier: the guard refuses those whose times overlap."""
    condition = Seance.groupe_id == groupe.id if groupe is not None else false()
    if intervenants:
        condition = condition | SeanceIntervenant.intervenant_id.in_(list(intervenants))
    lignes = session.exec(
        select(Seance.id, Seance.groupe_id, Groupe.libelle, Groupe.dossier_id, Seance.heure_debut, Seance.heure_fin,
               SeanceIntervenant.intervenant_id)
        .join(Groupe, Groupe.id == Seance.groupe_id)
        .outerjoin(SeanceIntervenant, SeanceIntervenant.seance_id == Seance.id)
        .where(Seance.date_seance == form.date_seance, Seance.annulee.is_(False), Seance.id != (sauf or 0), condition)
        .order_by(Seance.heure_debut, Seance.id))
    par_seance: dict[int, tuple[tuple, set[str]]] = {}
    for seance_id, groupe_id, libelle, dossier_id, debut, fin, intervenant_id in lignes:
        entete, noms = par_seance.setdefault(seance_id, ((groupe_id, libelle, dossier_id, debut, fin), set()))
        if intervenant_id in intervenants:
            noms.add(intervenants[intervenant_id])
    return [regles.SeanceDuJour(groupe=libelle, meme_groupe=groupe is not None and groupe_id == groupe.id,
                                meme_dossier=dossier_id == dossier.id, heure_debut=debut, heure_fin=fin,
                                intervenants=frozenset(noms))
            for (groupe_id, libelle, dossier_id, debut, fin), noms in par_seance.values()]


# --- What the guards look at (each step's row names its loader) ------------------------------------


def charger_inscription(session: Session, s: Situation, etab: Etablissement) -> None:
    """The parents of the campaign who may be this one again (spec §6 step 6)."""
    s.doublons = _doublons_parent(session, s.form, s.campagne, s.dossier)


def charger_seance(session: Session, s: Situation, etab: Etablissement) -> None:
    """The intervenants' hours and periods, the group's period and parents, the séances of the same day."""
    _situation_seance(session, s, s.form, s.dossier)


def charger_liquidation(session: Session, s: Situation, etab: Etablissement) -> None:
    """The vacations about to be paid, and the dossier's minutes already paid and hours financed."""
    s.a_liquider = paie.a_liquider(session, dossier_id=s.dossier.id, mois=s.form.mois)
    s.minutes_payees = paie.minutes_payees(session, s.dossier.id)
    s.minutes_dossier = (0, paie.heures_financees(session, s.dossier.id))
