"""Records people can correct (steps 6 and 8): a séance corrected or cancelled until it is paid, a parent's record
corrected. Each is a step of the table (workflow/atelier/etapes.py): its history row says who and why (the required
motif) and what changed, before → after, in ids and figures (never a parent's name); its documents are produced again
as new versions — the séance's sheet, and the month's grid and états de service fait already produced for it.

A séance is locked once liquidated (its hours in an état liquidatif, `SeanceIntervenant.liquide_le`): the guard
refuses in French and nothing is written."""

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, delete, select

from db.models import (
    Auditeur,
    Campagne,
    Document,
    Dossier,
    Enfant,
    Etablissement,
    Evaluation,
    Groupe,
    Intervenant,
    Presence,
    Seance,
    SeanceIntervenant,
    Transition,
    Utilisateur,
)
from documents.catalogue import concerne
from forms.atelier import (
    AnnulationSeanceForm,
    CorrectionParentForm,
    CorrectionSeanceForm,
    EmargementMensuelForm,
    ServiceFaitForm,
)
from forms.base import ErreursSaisie
from forms.vocabulaire import StatutPresence
from workflow.atelier import vues
from workflow.atelier.actions import (
    _groupe,
    _situation_seance,
    completer_emargement_mensuel,
    completer_service_fait,
    engage_sur,
    valeurs_parent,
)
from workflow.noyau import paie
from workflow.noyau.etape import Execution
from workflow.noyau.moteur import charger_dossier, produire_document
from workflow.noyau.permissions import Acteur
from workflow.noyau.regles import Situation

# What identifies a parent is never copied into the history: a correction of it is recorded as « modifié ».
IDENTIFIANTS = {"nom", "prenom", "telephone"}
SUIVIS_PARENT = ("nom", "prenom", "sexe", "annee_naissance", "pays_origine", "langues", "annee_arrivee_france",
                 "cir_signe", "protection_internationale", "orientation_par", "deja_inscrit_session_precedente",
                 "telephone", "consentement_image", "date_inscription", "langue_fiche", "groupe_id")


# --- Séances ---------------------------------------------------------------------------------------


def _seance_du_dossier(session: Session, dossier: Dossier, seance_id: int) -> tuple[Seance, Groupe]:
    seance = session.get(Seance, seance_id)
    groupe = session.get(Groupe, seance.groupe_id) if seance is not None else None
    if groupe is None or groupe.dossier_id != dossier.id:
        raise ErreursSaisie(["« Séance » : cette séance n'existe pas dans ce dossier."])
    return seance, groupe


def liquidee_le(session: Session, seance_id: int) -> date | None:
    """The day the séance's hours entered an état liquidatif (None: not paid yet)."""
    return session.exec(select(SeanceIntervenant.liquide_le).where(
        SeanceIntervenant.seance_id == seance_id, SeanceIntervenant.liquide_le.is_not(None))).first()


def valeurs_seance(session: Session, seance: Seance) -> dict:
    """The séance as its form states it (what a correction form starts from, what a cancellation prints)."""
    groupe = session.get(Groupe, seance.groupe_id)
    intervenants = session.exec(select(Intervenant).join(SeanceIntervenant, SeanceIntervenant.intervenant_id == Intervenant.id)
                                .where(SeanceIntervenant.seance_id == seance.id).order_by(Intervenant.nom, Intervenant.prenom))
    presences = session.exec(select(Auditeur, Presence.statut).join(Presence, Presence.auditeur_id == Auditeur.id)
                             .where(Presence.seance_id == seance.id).order_by(Auditeur.nom, Auditeur.prenom))
    return {"groupe": groupe.libelle, "date_seance": seance.date_seance, "heure_debut": seance.heure_debut,
            "heure_fin": seance.heure_fin, "axes": list(seance.axes or []), "contenu": seance.contenu,
            "intervenants": [paie.nom_affiche(i) for i in intervenants],
            "presences": [{"nom": a.nom, "prenom": a.prenom, "statut": statut} for a, statut in presences]}


def _etat_seance(session: Session, seance: Seance) -> dict:
    """What the history keeps of a séance: times, minutes, axes, intervenants and presences by id, cancellation."""
    return {"heure_debut": f"{seance.heure_debut:%H:%M}", "heure_fin": f"{seance.heure_fin:%H:%M}",
            "minutes": seance.minutes, "axes": sorted(seance.axes or []), "annulee": seance.annulee,
            "intervenants": sorted(session.exec(select(SeanceIntervenant.intervenant_id)
                                                .where(SeanceIntervenant.seance_id == seance.id))),
            "presences": {str(a): st for a, st in sorted(session.exec(
                select(Presence.auditeur_id, Presence.statut).where(Presence.seance_id == seance.id)))}}


def completer_correction_seance(session: Session, campagne: Campagne, dossier: Dossier | None,
                                form: CorrectionSeanceForm) -> CorrectionSeanceForm:
    """The séance's group and date stay those recorded (a séance held another day is another séance)."""
    seance, groupe = _seance_du_dossier(session, dossier, form.seance_id)
    return form.model_copy(update={"groupe": groupe.libelle, "date_seance": seance.date_seance})


def completer_annulation_seance(session: Session, campagne: Campagne, dossier: Dossier | None,
                                form: AnnulationSeanceForm) -> AnnulationSeanceForm:
    """A cancelled séance's sheet prints the séance as recorded, whatever the page sent, and why it is cancelled."""
    seance, _ = _seance_du_dossier(session, dossier, form.seance_id)
    return AnnulationSeanceForm.model_validate(valeurs_seance(session, seance) | {
        "seance_id": seance.id, "motif": form.motif, "annulee": True})


def charger_correction_seance(session: Session, s: Situation, etab: Etablissement) -> None:
    """The séance's checks without the séance itself, whether it is paid, whether it is cancelled."""
    seance, _ = _seance_du_dossier(session, s.dossier, s.form.seance_id)
    s.seance_liquidee_le, s.seance_annulee = liquidee_le(session, seance.id), seance.annulee
    _situation_seance(session, s, s.form, s.dossier, sauf=seance.id)


def charger_annulation_seance(session: Session, s: Situation, etab: Etablissement) -> None:
    seance, _ = _seance_du_dossier(session, s.dossier, s.form.seance_id)
    s.seance_liquidee_le, s.seance_annulee = liquidee_le(session, seance.id), seance.annulee


def corriger_seance(x: Execution) -> None:
    f: CorrectionSeanceForm = x.form
    s = x.session
    seance, groupe = _seance_du_dossier(s, x.dossier, f.seance_id)
    avant, contenu_avant = _etat_seance(s, seance), seance.contenu
    seance.heure_debut, seance.heure_fin, seance.minutes = f.heure_debut, f.heure_fin, f.minutes
    seance.axes, seance.contenu = [a.value for a in f.axes], f.contenu
    s.add(seance)
    try:
        s.flush()
    except IntegrityError as exc:  # another séance of the group begins then, saved meanwhile
        if "seance" not in str(exc.orig).lower():
            raise
        raise ErreursSaisie([f"Le groupe « {groupe.libelle} » a déjà une séance le {seance.date_seance:%d/%m/%Y} à "
                             f"{f.heure_debut:%H:%M} ; vérifiez les horaires."]) from exc
    animateurs = {engage_sur(s, x.dossier.id, nom)[0].id for nom in f.intervenants}
    s.exec(delete(SeanceIntervenant).where(SeanceIntervenant.seance_id == seance.id))
    s.exec(delete(Presence).where(Presence.seance_id == seance.id))
    for intervenant_id in sorted(animateurs):
        s.add(SeanceIntervenant(seance_id=seance.id, intervenant_id=intervenant_id, minutes=f.minutes))
    inscrits = {(a.nom.lower(), a.prenom.lower()): a for a in s.exec(select(Auditeur).where(Auditeur.groupe_id == groupe.id))}
    for p in f.presences:
        parent = inscrits.get((p.nom.lower(), p.prenom.lower()))
        if parent is None:
            raise ErreursSaisie([f"« Présences » : {p.prenom} {p.nom} n'est pas inscrit(e) dans le groupe « {groupe.libelle} »."])
        s.add(Presence(seance_id=seance.id, auditeur_id=parent.id, statut=p.statut.value))
    s.flush()
    apres = _etat_seance(s, seance)
    if apres == avant and f.contenu == contenu_avant:
        raise ErreursSaisie(["Rien n'a changé : modifiez les horaires, les intervenants ou les présences, ou laissez la "
                             "séance telle qu'elle est."])
    x.historique = {"seance_id": seance.id, "avant": avant, "apres": apres, "contenu_modifie": f.contenu != contenu_avant}
    _reproduire_le_mois(x, seance, groupe, set(avant["intervenants"]) | animateurs)


def annuler_seance(x: Execution) -> None:
    f: AnnulationSeanceForm = x.form
    s = x.session
    seance, groupe = _seance_du_dossier(s, x.dossier, f.seance_id)
    avant = _etat_seance(s, seance)
    seance.annulee, seance.motif_annulation = True, f.motif
    s.add(seance)
    s.flush()
    x.historique = {"seance_id": seance.id, "avant": avant, "apres": _etat_seance(s, seance)}
    _reproduire_le_mois(x, seance, groupe, set(avant["intervenants"]))


def _reproduire_le_mois(x: Execution, seance: Seance, groupe: Groupe, intervenant_ids: set[int]) -> None:
    """The month's grid of the group and the états de service fait of its intervenants, when they were produced,
    are produced again from the corrected séances (new versions); one with no séance left is not."""
    s, mois = x.session, paie.premier_du_mois(seance.date_seance)

    def existe(gabarit: str, ctx: dict) -> bool:
        return s.exec(select(Document.id).where(Document.sujet == f"dossier:{x.dossier.id}", Document.type_document == gabarit,
                                                Document.concerne == concerne(gabarit, ctx))).first() is not None

    if existe("emargement_mensuel", {"groupe": groupe.libelle, "mois": mois}):
        try:
            grille = completer_emargement_mensuel(s, x.campagne, x.dossier, EmargementMensuelForm(groupe=groupe.libelle, mois=mois))
        except ErreursSaisie:
            grille = None
        if grille is not None:
            produire_document(x, "emargement_mensuel", grille)
    for personne in s.exec(select(Intervenant).where(Intervenant.id.in_(sorted(intervenant_ids)))):
        nom = paie.nom_affiche(personne)
        if not existe("etat_service_fait", {"intervenant": nom, "mois": mois}):
            continue
        try:
            etat = completer_service_fait(s, x.campagne, x.dossier, ServiceFaitForm(
                intervenant=nom, mois=mois, certifie_par=_certifie_par(s, x.dossier.id, nom, mois) or x.acteur.nom))
        except ErreursSaisie:  # no séance of the month left for that person
            continue
        produire_document(x, "etat_service_fait", etat)


def _certifie_par(session: Session, dossier_id: int, intervenant: str, mois: date) -> str | None:
    """Who signed the last état de service fait of that person and month (its history row keeps the form)."""
    for t in session.exec(select(Transition).where(Transition.dossier_id == dossier_id,
                                                   Transition.etape == "certifier_service_fait").order_by(Transition.id.desc())):
        d = t.donnees or {}
        if d.get("intervenant") == intervenant and str(d.get("mois", ""))[:7] == f"{mois:%Y-%m}":
            return d.get("certifie_par")
    return None


# --- Parents ---------------------------------------------------------------------------------------


def valeurs_inscription(parent: Auditeur, groupe: str, enfants: list[Enfant]) -> dict:
    """The parent's record as the registration form states it (what the correction form starts from)."""
    return {"nom": parent.nom, "prenom": parent.prenom, "sexe": parent.sexe, "annee_naissance": parent.annee_naissance,
            "pays_origine": parent.pays_origine, "langues": ", ".join(parent.langues or []),
            "annee_arrivee_france": parent.annee_arrivee_france, "cir_signe": parent.cir_signe,
            "protection_internationale": parent.protection_internationale, "orientation_par": parent.orientation_par,
            "deja_inscrit_session_precedente": parent.deja_inscrit_session_precedente, "groupe": groupe,
            "enfants": [{"prenom": e.prenom, "classe": e.classe, "uai_ecole": e.uai_ecole} for e in enfants],
            "telephone": parent.telephone or "", "consentement_image": parent.consentement_image,
            "date_inscription": parent.date_inscription, "langue_fiche": parent.langue_fiche}


def corriger_parent(x: Execution) -> None:
    """Correct the parent's record (the fiche is produced again by the step): a typo in a name, the language of the
    fiche, the group… A presence already ticked stays that parent's; a new group or registration date that would leave
    one outside her period is refused (correct the séance first)."""
    f: CorrectionParentForm = x.form
    s = x.session
    parent = s.get(Auditeur, f.auditeur_id)
    if parent is None or parent.dossier_id != x.dossier.id or parent.anonymise_at is not None:
        raise ErreursSaisie(["« Parent » : ce parent n'est pas inscrit dans ce dossier."])
    groupe = _groupe(x, f.groupe)
    nouvelles = valeurs_parent(f, groupe)
    hors = s.exec(select(Seance.date_seance).join(Presence, Presence.seance_id == Seance.id).where(
        Presence.auditeur_id == parent.id, Presence.statut != StatutPresence.ABSENT.value, Seance.annulee.is_(False),
        (Seance.groupe_id != groupe.id) | (Seance.date_seance < f.date_inscription)).order_by(Seance.date_seance)).first()
    if hors is not None:
        raise ErreursSaisie([f"{f.prenom} {f.nom} a une présence enregistrée à la séance du {hors:%d/%m/%Y} "
                             f"{'d’un autre groupe' if nouvelles['groupe_id'] != parent.groupe_id else 'avant la nouvelle date d’inscription'} : "
                             "corrigez d'abord la séance, ou gardez le groupe et la date d'inscription."])
    evaluee = s.exec(select(Evaluation.date_evaluation).where(
        Evaluation.auditeur_id == parent.id, Evaluation.date_evaluation < f.date_inscription)
        .order_by(Evaluation.date_evaluation)).first()
    if evaluee is not None:
        raise ErreursSaisie([f"« Date d'inscription » : {f.prenom} {f.nom} a été évalué(e) le {evaluee:%d/%m/%Y}, avant "
                             "cette date : corrigez d'abord l'évaluation, ou gardez la date d'inscription."])
    changes = {}
    for champ in SUIVIS_PARENT:
        avant, apres = getattr(parent, champ), nouvelles[champ]
        if avant != apres:
            changes[champ] = "modifié" if champ in IDENTIFIANTS else {"avant": _json(avant), "apres": _json(apres)}
    enfants = list(s.exec(select(Enfant).where(Enfant.auditeur_id == parent.id).order_by(Enfant.id)))
    if [(e.prenom, e.classe, e.uai_ecole) for e in enfants] != [(e.prenom, e.classe, e.uai_ecole) for e in f.enfants]:
        changes["enfants"] = "modifié"
        s.exec(delete(Enfant).where(Enfant.auditeur_id == parent.id))
        for e in f.enfants:
            s.add(Enfant(auditeur_id=parent.id, prenom=e.prenom, classe=e.classe, uai_ecole=e.uai_ecole))
    if not changes:
        raise ErreursSaisie(["Rien n'a changé dans la fiche : corrigez un champ, ou laissez-la telle qu'elle est."])
    for champ, valeur in nouvelles.items():
        setattr(parent, champ, valeur)
    s.add(parent)
    x.historique = {"changements": changes}


def _json(valeur):
    return valeur.isoformat() if isinstance(valeur, date | time) else valeur


# --- Reading, for the pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class SeanceACorriger:
    id: int
    valeurs: dict  # the form's values as recorded
    minutes: int
    annulee: bool
    motif_annulation: str | None
    liquidee_le: date | None

    @property
    def verrou(self) -> str | None:
        """Why it cannot be corrected, in French (None: it can)."""
        if self.liquidee_le is not None:
            return (f"Séance liquidée le {self.liquidee_le:%d/%m/%Y} (état liquidatif) : ses heures sont payées, elle ne "
                    "peut plus être corrigée ni annulée.")
        if self.annulee:
            return f"Séance annulée (motif : {self.motif_annulation}) : elle ne peut plus être corrigée."
        return None


def seance_a_corriger(session: Session, acteur: Acteur, dossier_id: int, seance_id: int) -> SeanceACorriger:
    vues.exiger_lecture_des_parents(session, acteur, dossier_id)  # its presences name the parents
    dossier, _ = charger_dossier(session, acteur, dossier_id)
    seance, _ = _seance_du_dossier(session, dossier, seance_id)
    return SeanceACorriger(seance.id, valeurs_seance(session, seance), seance.minutes, seance.annulee,
                           seance.motif_annulation, liquidee_le(session, seance.id))


@dataclass(frozen=True)
class Changement:
    etape: str
    par: str
    at: object  # datetime
    motif: str
    details: dict


def historique_seance(session: Session, acteur: Acteur, dossier_id: int, seance_id: int) -> list[Changement]:
    """Every correction and cancellation of the séance, oldest first: who, when, why, before → after."""
    charger_dossier(session, acteur, dossier_id)
    lignes = session.exec(select(Transition, Utilisateur.nom_affiche).outerjoin(Utilisateur, Utilisateur.id == Transition.acteur_id)
                          .where(Transition.dossier_id == dossier_id,
                                 Transition.etape.in_(("corriger_seance", "annuler_seance"))).order_by(Transition.id))
    return [Changement(t.etape, nom or "—", t.at, t.motif, t.donnees) for t, nom in lignes
            if (t.donnees or {}).get("seance_id") == seance_id]


def parent_a_corriger(session: Session, acteur: Acteur, dossier_id: int, auditeur_id: int) -> dict:
    """The parent's record as the correction form starts from it (read by the roles that read parents' data only)."""
    vues.exiger_lecture_des_parents(session, acteur, dossier_id)
    dossier, _ = charger_dossier(session, acteur, dossier_id)
    parent = session.get(Auditeur, auditeur_id)
    if parent is None or parent.dossier_id != dossier.id:
        raise ErreursSaisie(["« Parent » : ce parent n'est pas inscrit dans ce dossier."])
    groupe = session.get(Groupe, parent.groupe_id)
    enfants = list(session.exec(select(Enfant).where(Enfant.auditeur_id == parent.id).order_by(Enfant.id)))
    return valeurs_inscription(parent, groupe.libelle if groupe else "", enfants)
