"""The e-mails of the transitions, beside the step table (workflow/etapes.py): which step tells whom, with which
template, how often by default. One row per step that concerns someone; tests/automatismes/test_transitions.py
checks that every row names a real step and that every step that must tell someone has its row.

The engine (workflow.noyau.moteur.SUITES) calls `programmer_courriels` inside the step's one transaction, after
its history row: the e-mail exists if and only if the transition was committed, and it goes through the outbox
(workflow.automatismes.notifications), whose unique key makes a replayed step or two senders send nothing twice.

- The key names the event, not the run: « deposer:dossier:12:n1 » for the first filing (a dossier filed again
  after a correction is a new event, n2), « engager_intervenant:dossier:12:intervenant-3:groupe-5 » for an
  engagement (engaging the same person again corrects it and tells nobody twice).
- A message whose content is the same for the atelier's team (head, delegate, engaged intervenants) is one e-mail
  to all of them (`equipe`): one row, its key naming the team.
- Each account chooses per kind (page « Mes courriels », table `preferencecourriel`): at once, in the daily
  digest, or never; without a choice, the row's default: at once for what a person must act on or hear of
  personally (a dossier sent back, a decision, credits to pay from, an engagement), in the digest for what staff
  follow in numbers (filings for a DSDEN, opinions for the pilote, bilans for the DAEPS).
- The daily digest (`programmer_resumes`, a task of workflow.automatismes.planification) groups each person's
  kept messages into one e-mail a day.
- No e-mail names a parent: the templates only know the school, the dossier's number, the decision, amounts, the
  intervenant's own name (tests/automatismes/test_transitions.py scans every generated message).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, update
from sqlmodel import Session, select

from db.models import (
    Departement,
    Document,
    Engagement,
    Etablissement,
    Groupe,
    Intervenant,
    Notification,
    PreferenceCourriel,
    Transition,
    Utilisateur,
)
from forms.base import ErreursSaisie, valider
from forms.courriels import PreferencesCourrielsForm
from forms.vocabulaire import DecisionComite, FrequenceCourriel, Role, StatutNotification, TypeBilan
from infra.settings import get_settings
from infra.settings import maintenant as instant_present
from workflow.automatismes.courriels import sans_signature
from workflow.automatismes.notifications import programmer
from workflow.noyau import moteur
from workflow.noyau.etape import Etape, Execution
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.paie import nom_affiche
from workflow.noyau.permissions import Acteur

# --- Recipients: rules on the dossier, its school and the step just run -----------------------------------------


def _comptes(s: Session, role: Role, **filtre) -> list[str]:
    requete = select(Utilisateur.identifiant).where(Utilisateur.role == role.value, Utilisateur.actif.is_(True))
    for colonne, valeur in filtre.items():
        requete = requete.where(getattr(Utilisateur, colonne) == valeur)
    return sorted(set(s.exec(requete)))


def _dsden(x: Execution, etab: Etablissement) -> list[str]:
    return _comptes(x.session, Role.DSDEN, departement_code=etab.departement_code)


def _de_l_academie(x: Execution, role: Role) -> list[str]:
    """The académie's staff of a role: the campaign's académie, not another's (an account naming none is the
    deployment's)."""
    requete = select(Utilisateur.identifiant).where(
        Utilisateur.role == role.value, Utilisateur.actif.is_(True),
        func.coalesce(Utilisateur.academie_code, get_settings().academie) == x.campagne.academie_code)
    return sorted(set(x.session.exec(requete)))


def _pilotes(x: Execution, etab: Etablissement) -> list[str]:
    return _de_l_academie(x, Role.PILOTE)


def _daeps(x: Execution, etab: Etablissement) -> list[str]:
    return _de_l_academie(x, Role.DAEPS)


def _adresse_d_intervenant(s: Session, personne: Intervenant) -> str | None:
    compte = s.exec(select(Utilisateur.identifiant).where(Utilisateur.intervenant_id == personne.id,
                                                          Utilisateur.actif.is_(True))).first()
    return compte or personne.email


def _equipe(x: Execution, etab: Etablissement) -> list[str]:
    """The atelier's team: the school's accounts (the head and a delegate who prepares the dossier) and the
    intervenants engaged on the dossier."""
    s = x.session
    adresses = set(_comptes(s, Role.PORTEUR, uai=etab.uai))
    engages = s.exec(select(Intervenant).join(Engagement, Engagement.intervenant_id == Intervenant.id)
                     .where(Engagement.dossier_id == x.dossier.id, Engagement.engage.is_(True))).all()
    adresses |= {a for p in engages if (a := _adresse_d_intervenant(s, p))}
    return sorted(adresses)


def _service_payeur(x: Execution, etab: Etablissement) -> list[str]:
    """The paying service: the EPLE's own gestionnaire, else the DSDEN's service for the first degree."""
    s = x.session
    return (_comptes(s, Role.GESTIONNAIRE, uai=etab.uai)
            or [a for a in _comptes(s, Role.GESTIONNAIRE, departement_code=etab.departement_code)
                if s.exec(select(Utilisateur.uai).where(Utilisateur.identifiant == a)).first() is None])


def _engage(x: Execution) -> tuple[Intervenant, Engagement]:
    """The person and engagement the step « engager_intervenant » just wrote (its form names them)."""
    f = x.form
    lignes = x.session.exec(select(Intervenant, Engagement).join(Engagement, Engagement.intervenant_id == Intervenant.id)
                            .join(Groupe, Groupe.id == Engagement.groupe_id)
                            .where(Engagement.dossier_id == x.dossier.id, Engagement.engage.is_(True),
                                   Groupe.libelle == f.groupe)).all()
    for personne, engagement in lignes:
        if (f.courriel and personne.email == f.courriel) or (
                (personne.nom.upper(), personne.prenom.lower()) == (f.nom.upper(), f.prenom.lower())):
            return personne, engagement
    raise LookupError("Engagement introuvable après l'étape.")


def _intervenant(x: Execution, etab: Etablissement) -> list[str]:
    adresse = _adresse_d_intervenant(x.session, _engage(x)[0])
    return [adresse] if adresse else []


# --- What tells two runs of a step apart (the key's event) ------------------------------------------------------


def _rang(x: Execution) -> str:
    """n1 for the first run of this step on the dossier, n2 for the second (filed again after a correction)."""
    etape = x.session.exec(select(Transition.etape).where(Transition.dossier_id == x.dossier.id)
                           .order_by(Transition.id.desc())).first()
    n = x.session.exec(select(func.count()).select_from(Transition).where(
        Transition.dossier_id == x.dossier.id, Transition.etape == etape)).one()
    return f"n{n}"


def _engagement_cle(x: Execution) -> str:
    personne, engagement = _engage(x)
    return f"intervenant-{personne.id}:groupe-{engagement.groupe_id}"


# --- What the templates say (workflow.automatismes.courriels) ----------------------------------------------------


def _avis(x: Execution) -> dict:
    return {"avis": x.form.avis.libelle, "date_copil": x.campagne.date_copil}


def _decision(x: Execution) -> dict:
    retenu = x.form.decision in (DecisionComite.RETENU, DecisionComite.RETENU_SOUS_CONDITIONS)
    return {"decision": x.form.decision.libelle, "heures": f"{x.form.heures_financees:g}" if retenu else ""}


def _credits(x: Execution) -> dict:
    montant = f"{x.form.montant_total:,.2f}".replace(",", "\u202f").replace(".", ",") + " €"
    return {"montant": montant, "structure_payeuse": x.form.structure_payeuse}


def _engagement(x: Execution) -> dict:
    personne, engagement = _engage(x)
    return {"intervenant": nom_affiche(personne), "groupe": x.form.groupe, "debut": engagement.date_debut,
            "fin": engagement.date_fin}


def _bilan(type_bilan: TypeBilan) -> Callable[[Execution], dict]:
    return lambda x: {"bilan": type_bilan.libelle}


@dataclass(frozen=True)
class CourrielDEtape:
    etape: str  # the key of a step of the table
    type_notification: str  # the template (workflow.automatismes.courriels.MODELES) and the kind a person chooses for
    libelle: str  # the kind, as « Mes courriels » names it
    roles: tuple[Role, ...]  # who receives it (the page shows them their kinds)
    destinataires: Callable[[Execution, Etablissement], list[str]]
    defaut: FrequenceCourriel
    evenement: Callable[[Execution], str] = _rang
    contexte: Callable[[Execution], dict] = lambda x: {}
    equipe: bool = False  # one e-mail to all the recipients, the same content for the atelier's team
    joint: str | None = None  # the type of the step's document the e-mail carries (its PDF)


COURRIELS: tuple[CourrielDEtape, ...] = (
    CourrielDEtape("deposer", "depot_recu", "Un dossier de votre département est déposé", (Role.DSDEN,), _dsden,
                   FrequenceCourriel.RESUME, contexte=lambda x: {"date_limite": x.campagne.date_limite_avis_dasen}),
    CourrielDEtape("emettre_avis", "avis_donne", "Le DASEN a donné son avis sur un dossier", (Role.PILOTE,), _pilotes,
                   FrequenceCourriel.RESUME, contexte=_avis),
    CourrielDEtape("renvoyer_pour_correction", "dossier_renvoye", "Votre dossier est renvoyé pour correction",
                   (Role.PORTEUR, Role.INTERVENANT), _equipe, FrequenceCourriel.IMMEDIAT,
                   contexte=lambda x: {"motif": x.form.motif}, equipe=True),
    CourrielDEtape("decider", "decision_notifiee", "La décision du comité de pilotage sur votre dossier",
                   (Role.PORTEUR, Role.INTERVENANT), _equipe, FrequenceCourriel.IMMEDIAT, contexte=_decision, equipe=True,
                   joint="notification_decision"),
    CourrielDEtape("notifier_credits", "credits_notifies", "Les crédits d'un atelier que vous payez sont notifiés",
                   (Role.GESTIONNAIRE,), _service_payeur, FrequenceCourriel.IMMEDIAT, contexte=_credits,
                   evenement=lambda x: f"montant-{x.form.montant_total}"),
    CourrielDEtape("engager_intervenant", "engagement", "Vous êtes engagé(e) dans un atelier", (Role.INTERVENANT,),
                   _intervenant, FrequenceCourriel.IMMEDIAT, contexte=_engagement, evenement=_engagement_cle),
    CourrielDEtape("transmettre_bilan_pedagogique", "bilan_recu", "Un bilan de fin d'année est transmis", (Role.DAEPS,),
                   _daeps, FrequenceCourriel.RESUME, contexte=_bilan(TypeBilan.PEDAGOGIQUE),
                   evenement=lambda x: TypeBilan.PEDAGOGIQUE.value),
    CourrielDEtape("transmettre_bilan_financier", "bilan_recu", "Un bilan de fin d'année est transmis", (Role.DAEPS,),
                   _daeps, FrequenceCourriel.RESUME, contexte=_bilan(TypeBilan.FINANCIER),
                   evenement=lambda x: TypeBilan.FINANCIER.value),
)

PAR_ETAPE: dict[str, CourrielDEtape] = {c.etape: c for c in COURRIELS}
# The kinds a person chooses for (two steps may share one: the two bilans), with their label and default.
GENRES: dict[str, CourrielDEtape] = {c.type_notification: c for c in COURRIELS}
# The roles that receive some of them: those the page « Mes courriels » is for.
DESTINATAIRES: tuple[Role, ...] = tuple(dict.fromkeys(r for c in COURRIELS for r in c.roles))


# --- Preferences -------------------------------------------------------------------------------------------------


def frequences(s: Session, adresses: list[str], type_notification: str) -> dict[str, FrequenceCourriel]:
    """How each address wants this kind: its account's choice, else the kind's default."""
    choix = dict(s.exec(select(Utilisateur.identifiant, PreferenceCourriel.frequence)
                        .join(PreferenceCourriel, PreferenceCourriel.utilisateur_id == Utilisateur.id)
                        .where(PreferenceCourriel.type_notification == type_notification,
                               Utilisateur.identifiant.in_(adresses))).all()) if adresses else {}
    defaut = GENRES[type_notification].defaut
    return {a: FrequenceCourriel(choix.get(a, defaut)) for a in adresses}


def genres_du_role(role: Role) -> list[CourrielDEtape]:
    """The kinds of e-mail an account of this role may receive, once each."""
    return [c for c in GENRES.values() if role in c.roles]


def preferences(s: Session, acteur: Acteur) -> dict[str, FrequenceCourriel]:
    """The actor's choice for each kind they may receive (the default where they chose nothing)."""
    choix = dict(s.exec(select(PreferenceCourriel.type_notification, PreferenceCourriel.frequence)
                        .where(PreferenceCourriel.utilisateur_id == acteur.id)).all())
    return {c.type_notification: FrequenceCourriel(choix.get(c.type_notification, c.defaut))
            for c in genres_du_role(acteur.role)}


@operation("choisir_courriels", "Choisir ses courriels", tuple(Role))
def choisir(ecriture: Ecriture, donnees: dict) -> list[str]:
    """Record the actor's choice per kind (forms.courriels.PreferencesCourrielsForm); the kinds actually changed,
    in the audit log. A kind the actor's role never receives is refused, with nothing recorded."""
    s, acteur = ecriture.session, ecriture.acteur
    choix = valider(PreferencesCourrielsForm, {"choix": donnees}).choix
    permis = {c.type_notification for c in genres_du_role(acteur.role)}
    inconnus = sorted(set(choix) - permis)
    if inconnus:
        raise ErreursSaisie([f"« Courriels » : {t} n'est pas un courriel de votre rôle" for t in inconnus])
    avant = preferences(s, acteur)
    changes = sorted(t for t, f in choix.items() if f != avant[t])
    for t in changes:
        ligne = s.get(PreferenceCourriel, (acteur.id, t)) or PreferenceCourriel(utilisateur_id=acteur.id,
                                                                               type_notification=t, frequence="")
        ligne.frequence, ligne.modifie_at = choix[t].value, instant_present()
        s.add(ligne)
    ecriture.journaliser(f"utilisateur:{acteur.id}", choix={t: choix[t].value for t in changes})
    return changes


# --- Enqueued in the step's transaction --------------------------------------------------------------------------


def programmer_courriels(x: Execution, etape: Etape, documents: list[Document]) -> int:
    """The e-mails of this step's row, if it has one: at once for some, kept for the digest of others, none for those
    who chose never. How many rows were created (0 when the event was already told)."""
    regle = PAR_ETAPE.get(etape.cle)
    if regle is None or x.dossier is None:
        return 0
    s = x.session
    etab = s.get(Etablissement, x.dossier.uai)
    dep = s.get(Departement, etab.departement_code)
    par_frequence = defaultdict(list)
    for adresse, frequence in frequences(s, regle.destinataires(x, etab), regle.type_notification).items():
        par_frequence[frequence].append(adresse)
    joint = next((d for d in documents if d.type_document == regle.joint), None)
    commun = {"type_notification": regle.type_notification, "echeance": None, "maintenant": instant_present(),
              "sujet_cle": f"{etape.cle}:dossier:{x.dossier.id}:{regle.evenement(x)}", "dossier_id": x.dossier.id,
              "campagne_id": x.campagne.id, "document_id": joint.id if joint else None,
              "etablissement": etab.nom, "commune": etab.commune, "departement": f"{dep.nom} ({dep.code})",
              "numero": moteur.numero_dossier(x.campagne, x.dossier), "annee_scolaire": x.campagne.annee_scolaire,
              "piece_jointe": joint is not None, **regle.contexte(x)}
    crees = 0
    immediats = par_frequence[FrequenceCourriel.IMMEDIAT]
    if regle.equipe and immediats:
        crees += programmer(s, destinataire=immediats[0], copies=immediats[1:],
                            cle_destinataire=f"equipe-dossier-{x.dossier.id}", **commun)
    else:
        crees += sum(programmer(s, destinataire=a, **commun) for a in immediats)
    crees += sum(programmer(s, destinataire=a, differe=True, **commun | {"piece_jointe": False})
                 for a in par_frequence[FrequenceCourriel.RESUME])
    return crees


if programmer_courriels not in moteur.SUITES:
    moteur.SUITES.append(programmer_courriels)


# --- The daily digest (a task of workflow.automatismes.planification) --------------------------------------------


def programmer_resumes(session: Session, jour: date, maintenant: datetime) -> int:
    """One e-mail per person and day quoting the messages kept for their digest; those messages are then
    « regroupés », never sent alone. Run again the same day (or by two processes), it creates nothing: the digest's
    key is the day and the person, and a message is marked only by the run whose digest was created."""
    s = session
    gardes = s.exec(select(Notification).where(Notification.statut == StatutNotification.DIFFERE.value,
                                               Notification.cree_at <= maintenant).order_by(Notification.id)).all()
    par_personne: dict[str, list[Notification]] = defaultdict(list)
    for n in gardes:
        par_personne[n.destinataire].append(n)
    crees = 0
    for destinataire, messages in sorted(par_personne.items()):
        if programmer(s, type_notification="resume_quotidien", destinataire=destinataire, sujet_cle="jour",
                      echeance=jour, maintenant=maintenant, nombre=len(messages),
                      messages=[(n.sujet, sans_signature(n.corps)) for n in messages]):
            s.execute(update(Notification).where(Notification.id.in_([n.id for n in messages]),
                                                 Notification.statut == StatutNotification.DIFFERE.value)
                      .values(statut=StatutNotification.REGROUPE.value, envoye_at=maintenant))
            crees += 1
        s.commit()
    return crees
