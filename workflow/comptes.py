"""Accounts and onboarding: the administrator creates, imports, edits, deactivates and reactivates accounts and sends
them a link to choose their password; a head invites a delegate (prepares the dossier, cannot file it) and the
atelier's intervenants to their own accounts, and withdraws them (page « Équipe »).

A link carries a random token shown to nobody: only its SHA-256 is stored (table `jetoncompte`), it serves once and
expires (OEPRE_INVITATION_HEURES for a first password, OEPRE_REINITIALISATION_HEURES for a reset); the mail goes
through the outbox (workflow.automatismes.notifications), whose page masks the token, and whose stored copy of a sent
mail no longer holds it. No password is ever written in a mail or on a page. Every change is an operation, hence
written to the audit log under its key."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, select

from db.models import Departement, Dossier, Engagement, Etablissement, Intervenant, JetonCompte, Utilisateur
from forms.base import ErreursSaisie, valider
from forms.comptes import CompteForm, MotDePasseForm, refus_du_mot_de_passe
from forms.vocabulaire import Role
from infra.settings import get_settings
from infra.settings import maintenant as horloge
from workflow.automatismes.notifications import programmer
from workflow.noyau.auth import COMPTE_DESACTIVE, acteur_de, hacher
from workflow.noyau.fichier_csv import lire_csv
from workflow.noyau.operations import TOUS, Ecriture, operation
from workflow.noyau.permissions import ADMINISTRATEURS, AccesRefuse, Acteur
from workflow.noyau.profil import academie_de

SANS_MOT_DE_PASSE = "!"  # the hash of an account whose person has not chosen a password yet: matches none
PAGE_MOT_DE_PASSE = "mot_de_passe"  # workflow.navigation.PAGES_PUBLIQUES
INVITATION, REINITIALISATION = "invitation", "reinitialisation"
# Who builds a team: a head who files (a delegate who only prepares invites nobody).
CHEFS_D_EQUIPE = (Role.PORTEUR,)
ERREURS_MAX = 20
COLONNES_IMPORT = ("identifiant", "nom", "role", "uai")
ROLES_IMPORTABLES = (Role.PORTEUR, Role.GESTIONNAIRE)  # a school's head and staff (delegates, bursar)


# --- Reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LigneCompte:
    id: int
    identifiant: str
    nom: str
    role: Role
    perimetre: str  # « académie », « département 31 », « 0310001A »
    actif: bool
    prepare_seulement: bool
    derniere_connexion: datetime | None
    mot_de_passe_choisi: bool
    equipe_uai: str | None


def _de_l_academie(academie: str):
    """The accounts of an académie: those that name it, and those that name none if it is the deployment's."""
    return func.coalesce(Utilisateur.academie_code, get_settings().academie) == academie


def _perimetre(u: Utilisateur) -> str:
    if u.uai:
        return u.uai
    if u.departement_code:
        return f"département {u.departement_code}"
    return "ses ateliers" if u.role == Role.INTERVENANT else "académie"


def _ligne(u: Utilisateur) -> LigneCompte:
    return LigneCompte(u.id, u.identifiant, u.nom_affiche, Role(u.role), _perimetre(u), u.actif, not u.peut_deposer,
                       u.derniere_connexion, u.mot_de_passe_hash != SANS_MOT_DE_PASSE, u.equipe_uai)


def comptes(session: Session, acteur: Acteur, *, recherche: str = "", role: Role | None = None,
            perimetre: str = "", actif: bool | None = None) -> list[LigneCompte]:
    """The accounts the administrator looks for: a name or address containing `recherche`, a role, a scope (a UAI, a
    département code, or « academie »), active or not."""
    if acteur.role not in ADMINISTRATEURS:
        raise AccesRefuse("La liste des comptes est réservée à l'administrateur.")
    requete = select(Utilisateur).where(_de_l_academie(academie_de(acteur))).order_by(Utilisateur.role, Utilisateur.identifiant)
    if recherche.strip():
        motif = f"%{recherche.strip().lower()}%"
        requete = requete.where(or_(func.lower(Utilisateur.identifiant).like(motif), func.lower(Utilisateur.nom_affiche).like(motif)))
    if role is not None:
        requete = requete.where(Utilisateur.role == role.value)
    if perimetre == "academie":
        requete = requete.where(Utilisateur.uai.is_(None), Utilisateur.departement_code.is_(None))
    elif perimetre:
        p = perimetre.strip().upper()
        requete = requete.where(or_(Utilisateur.uai == p, Utilisateur.departement_code == p,
                                    Utilisateur.uai.in_(select(Etablissement.uai).where(Etablissement.departement_code == p))))
    if actif is not None:
        requete = requete.where(Utilisateur.actif.is_(actif))
    return [_ligne(u) for u in session.exec(requete)]


def equipe(session: Session, acteur: Acteur) -> list[LigneCompte]:
    """The accounts a head invited to their school's team (withdrawn ones included: their history stays)."""
    _exiger_chef_d_equipe(acteur)
    return [_ligne(u) for u in session.exec(select(Utilisateur).where(Utilisateur.equipe_uai == acteur.uai)
                                            .order_by(Utilisateur.actif.desc(), Utilisateur.nom_affiche))]


@dataclass(frozen=True)
class IntervenantInvitable:
    id: int
    nom: str
    email: str | None
    a_un_compte: bool


def intervenants_invitables(session: Session, acteur: Acteur) -> list[IntervenantInvitable]:
    """The intervenants engaged on the head's school's ateliers, and whether an account already serves them."""
    _exiger_chef_d_equipe(acteur)
    engages = (select(Engagement.intervenant_id).join(Dossier, Dossier.id == Engagement.dossier_id)
               .where(Dossier.uai == acteur.uai, Engagement.engage.is_(True)))
    personnes = session.exec(select(Intervenant).where(Intervenant.id.in_(engages))  # no DISTINCT over JSON (PostgreSQL)
                             .order_by(Intervenant.nom, Intervenant.prenom)).all()
    avec_compte = set(session.exec(select(Utilisateur.intervenant_id).where(Utilisateur.intervenant_id.in_([p.id for p in personnes]))))
    return [IntervenantInvitable(p.id, f"{p.prenom} {p.nom}", p.email, p.id in avec_compte) for p in personnes]


@dataclass(frozen=True)
class Lien:
    """What the public page may say of a link before a password is chosen."""

    valide: bool
    message: str  # why not, in French, when not valid
    nom: str = ""
    identifiant: str = ""


def empreinte(jeton: str) -> str:
    return hashlib.sha256(jeton.encode()).hexdigest()


LIEN_INCONNU = "Ce lien n'est pas valide : vérifiez qu'il a été recopié en entier, ou demandez un nouveau lien."
LIEN_UTILISE = "Ce lien a déjà servi : un lien ne sert qu'une fois. Connectez-vous, ou demandez un nouveau lien."
LIEN_EXPIRE = "Ce lien a expiré : demandez un nouveau lien à votre administrateur (ou au directeur de votre école)."


def _jeton_et_compte(session: Session, jeton: str) -> tuple[JetonCompte | None, Utilisateur | None, str]:
    ligne = session.exec(select(JetonCompte).where(JetonCompte.empreinte == empreinte(jeton or ""))).first() if jeton else None
    if ligne is None:
        return None, None, LIEN_INCONNU
    u = session.get(Utilisateur, ligne.utilisateur_id)
    if ligne.utilise_at is not None:
        return ligne, u, LIEN_UTILISE
    if _aware(ligne.expire_at) <= horloge():
        return ligne, u, LIEN_EXPIRE
    if u is None or not u.actif:
        return ligne, u, COMPTE_DESACTIVE
    return ligne, u, ""


def lien(session: Session, jeton: str) -> Lien:
    """Public (no sign-in): is this link usable, and for whom."""
    _, u, refus = _jeton_et_compte(session, jeton)
    if refus:
        return Lien(False, refus)
    return Lien(True, "", u.nom_affiche, u.identifiant)


def _aware(instant: datetime) -> datetime:
    from datetime import UTC

    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


# --- Links ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LienEnvoye:
    """A link just put in the outbox: its row's number, nature and expiry, and the address itself (never stored)."""

    id: int
    nature: str
    expire_at: datetime
    adresse: str


def _envoyer_lien(ecriture: Ecriture, u: Utilisateur, *, introduction: str) -> LienEnvoye:
    """A new single-use link for `u`, put in the outbox; the earlier links of the account stop working. The caller
    writes its operation's audit row (with the link's number)."""
    session, reglages = ecriture.session, get_settings()
    instant = horloge()
    nature = INVITATION if u.mot_de_passe_hash == SANS_MOT_DE_PASSE else REINITIALISATION
    duree = timedelta(hours=reglages.invitation_heures if nature == INVITATION else reglages.reinitialisation_heures)
    for ancien in session.exec(select(JetonCompte).where(JetonCompte.utilisateur_id == u.id, JetonCompte.utilise_at.is_(None))):
        ancien.utilise_at = instant  # superseded: only the last link sent works
        session.add(ancien)
    jeton = secrets.token_urlsafe(32)
    ligne = JetonCompte(utilisateur_id=u.id, empreinte=empreinte(jeton), nature=nature, cree_at=instant,
                        expire_at=instant + duree, cree_par_id=ecriture.acteur.id)
    session.add(ligne)
    session.flush()
    adresse = f"{reglages.adresse_publique.rstrip('/')}/{PAGE_MOT_DE_PASSE}?jeton={jeton}"
    objet = "Votre compte sur le service OEPRE" if nature == INVITATION else "Réinitialisation de votre mot de passe OEPRE"
    programmer(session, type_notification="lien_compte", destinataire=u.identifiant, sujet_cle=f"jeton:{ligne.id}",
               echeance=None, maintenant=instant, objet=objet, nom=u.nom_affiche, introduction=introduction,
               lien=adresse, identifiant=u.identifiant, expire=f"{(instant + duree):%d/%m/%Y à %H:%M} (UTC)")
    return LienEnvoye(ligne.id, ligne.nature, ligne.expire_at, adresse)


INTRODUCTION_ADMIN = "Un compte a été ouvert pour vous sur le service OEPRE de l'académie."
INTRODUCTION_REINITIALISATION = "Une réinitialisation de votre mot de passe a été demandée par l'administrateur."


@operation("envoyer_lien_compte", "Envoyer un lien de mot de passe", ADMINISTRATEURS)
def envoyer_lien(ecriture: Ecriture, utilisateur_id: int) -> LienEnvoye:
    """An invitation (no password yet) or a reset link; returns the link sent (its address and expiry)."""
    u = _compte(ecriture, utilisateur_id)
    if not u.actif:
        raise ErreursSaisie([f"Le compte {u.identifiant} est désactivé : réactivez-le avant de lui envoyer un lien."])
    intro = INTRODUCTION_ADMIN if u.mot_de_passe_hash == SANS_MOT_DE_PASSE else INTRODUCTION_REINITIALISATION
    ligne = _envoyer_lien(ecriture, u, introduction=intro)
    ecriture.journaliser(f"utilisateur:{u.id}", jeton=ligne.id, nature=ligne.nature, expire_at=ligne.expire_at.isoformat())
    return ligne


@operation("choisir_mot_de_passe", "Choisir son mot de passe", TOUS)
def _choisir(ecriture: Ecriture, jeton_id: int, mot_de_passe: str) -> None:
    session = ecriture.session
    ligne = session.get(JetonCompte, jeton_id)
    u = session.get(Utilisateur, ligne.utilisateur_id)
    if u.id != ecriture.acteur.id:
        raise AccesRefuse("Accès refusé : ce lien est celui d'un autre compte.")
    ligne.utilise_at = horloge()
    u.mot_de_passe_hash, u.echecs_connexion, u.bloque_jusqu_au = hacher(mot_de_passe), 0, None
    session.add_all([ligne, u])
    ecriture.journaliser(f"utilisateur:{u.id}", jeton=ligne.id, nature=ligne.nature)


def choisir_mot_de_passe(session: Session, jeton: str, donnees: dict) -> str:
    """Public (no sign-in): the person of the link chooses their password; the link is then used. Returns the
    account's identifier. ErreursSaisie for a weak password or a link that cannot serve (the form keeps its input)."""
    form = valider(MotDePasseForm, donnees)
    ligne, u, refus = _jeton_et_compte(session, jeton)
    if refus:
        raise ErreursSaisie([refus])
    if raisons := refus_du_mot_de_passe(form.mot_de_passe, identifiant=u.identifiant, nom=u.nom_affiche):
        raise ErreursSaisie(raisons)
    # The link's owner is the actor: the audit log says who chose their password, under the operation's key.
    _choisir(session, acteur_de(u), ligne.id, form.mot_de_passe)
    return u.identifiant


# --- The administrator ------------------------------------------------------------------------------


def _compte(ecriture: Ecriture, utilisateur_id: int) -> Utilisateur:
    """An account of the administrator's académie (another académie's is administered there, not here)."""
    u = ecriture.session.get(Utilisateur, utilisateur_id)
    if u is None or (u.academie_code or get_settings().academie) != academie_de(ecriture.acteur):
        raise ErreursSaisie([f"Le compte n° {utilisateur_id} n'existe pas dans votre académie."])
    return u


def _verifier_perimetre(session: Session, form: CompteForm, academie: str) -> list[str]:
    """The school and the département must be the académie's: its directory, not another's."""
    erreurs = []
    etab = session.get(Etablissement, form.uai) if form.uai else None
    if form.uai and (etab is None or session.get(Departement, etab.departement_code).academie_code != academie):
        erreurs.append(f"« UAI » : l'établissement {form.uai} n'est pas dans l'annuaire de l'académie.")
    dep = session.get(Departement, form.departement) if form.departement else None
    if form.departement and (dep is None or dep.academie_code != academie):
        erreurs.append(f"« Département » : {form.departement} n'est pas un département de l'académie.")
    return erreurs


def _verifier_identifiant_libre(session: Session, identifiant: str, sauf: int | None = None) -> list[str]:
    autre = session.exec(select(Utilisateur).where(Utilisateur.identifiant == identifiant)).first()
    if autre is not None and autre.id != sauf:
        return [f"« Adresse électronique » : un compte {identifiant} existe déjà."]
    return []


def _nouveau(form: CompteForm, academie: str, **en_plus) -> Utilisateur:
    return Utilisateur(identifiant=form.identifiant, nom_affiche=form.nom_affiche, role=form.role.value, uai=form.uai,
                       departement_code=form.departement, academie_code=academie, mot_de_passe_hash=SANS_MOT_DE_PASSE,
                       peut_deposer=not form.prepare_seulement, cree_at=horloge(), **en_plus)


def _donnees_du_compte(u: Utilisateur) -> dict:
    return {"identifiant": u.identifiant, "nom": u.nom_affiche, "role": u.role, "uai": u.uai,
            "departement": u.departement_code, "prepare_seulement": not u.peut_deposer}


@operation("creer_compte", "Créer un compte", ADMINISTRATEURS)
def creer_compte(ecriture: Ecriture, donnees: dict, *, envoyer: bool = True) -> int:
    """A new account with its role and scope, no password: the person chooses it from the link sent (if `envoyer`)."""
    session = ecriture.session
    form = valider(CompteForm, donnees)
    academie = academie_de(ecriture.acteur)
    if erreurs := _verifier_perimetre(session, form, academie) + _verifier_identifiant_libre(session, form.identifiant):
        raise ErreursSaisie(erreurs)
    u = _nouveau(form, academie)
    session.add(u)
    session.flush()
    ligne = _envoyer_lien(ecriture, u, introduction=INTRODUCTION_ADMIN) if envoyer else None
    ecriture.journaliser(f"utilisateur:{u.id}", **_donnees_du_compte(u), jeton=ligne.id if ligne else None)
    return u.id


@operation("modifier_compte", "Modifier un compte", ADMINISTRATEURS)
def modifier_compte(ecriture: Ecriture, utilisateur_id: int, donnees: dict) -> None:
    session = ecriture.session
    u = _compte(ecriture, utilisateur_id)
    form = valider(CompteForm, donnees)
    erreurs = (_verifier_perimetre(session, form, academie_de(ecriture.acteur))
               + _verifier_identifiant_libre(session, form.identifiant, sauf=u.id))
    if erreurs:
        raise ErreursSaisie(erreurs)
    if u.id == ecriture.acteur.id and form.role != Role(u.role):
        raise ErreursSaisie(["« Rôle » : vous ne pouvez pas changer votre propre rôle (un autre administrateur le peut)."])
    avant = _donnees_du_compte(u)
    u.identifiant, u.nom_affiche, u.role = form.identifiant, form.nom_affiche, form.role.value
    u.uai, u.departement_code, u.peut_deposer = form.uai, form.departement, not form.prepare_seulement
    session.add(u)
    apres = _donnees_du_compte(u)
    ecriture.journaliser(f"utilisateur:{u.id}", avant={k: v for k, v in avant.items() if apres[k] != v},
                         apres={k: v for k, v in apres.items() if avant[k] != v})


def _desactiver(ecriture: Ecriture, u: Utilisateur) -> None:
    instant = horloge()
    u.actif, u.desactive_at = False, instant
    for ancien in ecriture.session.exec(select(JetonCompte).where(JetonCompte.utilisateur_id == u.id, JetonCompte.utilise_at.is_(None))):
        ancien.utilise_at = instant  # a link sent before no longer opens the account
        ecriture.session.add(ancien)
    ecriture.session.add(u)


@operation("desactiver_compte", "Désactiver un compte", ADMINISTRATEURS)
def desactiver_compte(ecriture: Ecriture, utilisateur_id: int) -> None:
    """Sign-in refused from now on; the account and everything it did stay (history, audit log)."""
    u = _compte(ecriture, utilisateur_id)
    if u.id == ecriture.acteur.id:
        raise ErreursSaisie(["Vous ne pouvez pas désactiver votre propre compte."])
    if u.actif:
        _desactiver(ecriture, u)
        ecriture.journaliser(f"utilisateur:{u.id}", identifiant=u.identifiant)


@operation("reactiver_compte", "Réactiver un compte", ADMINISTRATEURS)
def reactiver_compte(ecriture: Ecriture, utilisateur_id: int) -> None:
    u = _compte(ecriture, utilisateur_id)
    if not u.actif:
        u.actif, u.echecs_connexion, u.bloque_jusqu_au = True, 0, None
        ecriture.session.add(u)
        ecriture.journaliser(f"utilisateur:{u.id}", identifiant=u.identifiant)


# --- The import of schools' heads and staff (CSV) ---------------------------------------------------


@dataclass(frozen=True)
class RapportImportComptes:
    lignes: int
    crees: int


@operation("import_comptes", "Importer les comptes des écoles", ADMINISTRATEURS)
def importer_comptes(ecriture: Ecriture, contenu: bytes, *, envoyer: bool = True) -> RapportImportComptes:
    """Heads and staff of schools, one per line (identifiant;nom;role;uai, optional prepare_seulement oui/non). The
    whole file is read first; one bad line anywhere refuses it all, with the line numbers, and nothing is written."""
    session = ecriture.session
    entete, rangees = lire_csv(contenu, "une ligne de compte")
    entete = [(c or "").strip().lower() for c in entete]
    manquantes = [c for c in COLONNES_IMPORT if c not in entete]
    if manquantes:
        raise ErreursSaisie([f"Ligne 1 : colonne(s) manquante(s) : {', '.join(manquantes)}. L'en-tête attendu est "
                             "« identifiant;nom;role;uai » (et, au besoin, « prepare_seulement »). Rien n'a été importé."])
    erreurs, lues, vues = [], [], {}
    for numero, brute in rangees:
        if len(erreurs) >= ERREURS_MAX:
            break
        ligne = {(k or "").strip().lower(): v for k, v in brute.items()}
        if None in brute:  # DictReader keeps the cells beyond the header under None
            erreurs.append(f"Ligne {numero} : trop de cellules pour l'en-tête.")
            continue
        role = (ligne.get("role") or "").strip().lower()
        if role not in {r.value for r in ROLES_IMPORTABLES}:
            erreurs.append(f"Ligne {numero} : « role » : « {role} » n'est pas un rôle d'école (attendu : "
                           f"{' ou '.join(r.value for r in ROLES_IMPORTABLES)}).")
            continue
        delegation = (ligne.get("prepare_seulement") or "").strip().lower()
        if delegation not in ("", "oui", "non"):
            erreurs.append(f"Ligne {numero} : « prepare_seulement » : attendu « oui » ou « non », pas « {delegation} ».")
            continue
        try:
            form = valider(CompteForm, {"identifiant": ligne.get("identifiant") or "", "nom_affiche": ligne.get("nom") or "",
                                        "role": role, "uai": ligne.get("uai") or None, "prepare_seulement": delegation == "oui"})
        except ErreursSaisie as exc:
            erreurs.append(f"Ligne {numero} : {exc.messages[0]}")
            continue
        if problemes := _verifier_perimetre(session, form, academie_de(ecriture.acteur)) + _verifier_identifiant_libre(session, form.identifiant):
            erreurs.append(f"Ligne {numero} : {problemes[0]}")
            continue
        if form.identifiant in vues:
            erreurs.append(f"Ligne {numero} : « Adresse électronique » : {form.identifiant} figure déjà ligne {vues[form.identifiant]}.")
            continue
        vues[form.identifiant] = numero
        lues.append(form)
    if erreurs:
        raise ErreursSaisie([*erreurs[:ERREURS_MAX], "Rien n'a été importé : corrigez ces lignes puis déposez le fichier à nouveau."])
    if not lues:
        raise ErreursSaisie(["Le fichier ne contient aucune ligne de compte. Rien n'a été importé."])
    for form in lues:
        u = _nouveau(form, academie_de(ecriture.acteur))
        session.add(u)
        session.flush()
        if envoyer:
            _envoyer_lien(ecriture, u, introduction=INTRODUCTION_ADMIN)
    rapport = RapportImportComptes(len(rangees), len(lues))
    ecriture.journaliser("utilisateur", lignes=rapport.lignes, crees=rapport.crees, identifiants=[f.identifiant for f in lues])
    return rapport


# --- A head's team ------------------------------------------------------------------------------


def _exiger_chef_d_equipe(acteur: Acteur) -> None:
    if acteur.role not in CHEFS_D_EQUIPE or not acteur.uai or not acteur.peut_deposer:
        raise AccesRefuse("Accès refusé : l'équipe d'une école est constituée par son directeur ou chef d'établissement.")


def _introduction_equipe(session: Session, acteur: Acteur, quoi: str) -> str:
    etab = session.get(Etablissement, acteur.uai)
    return f"{acteur.nom} vous invite {quoi} de « {etab.nom if etab else acteur.uai} » sur le service OEPRE."


@operation("inviter_delegue", "Inviter un délégué", CHEFS_D_EQUIPE)
def inviter_delegue(ecriture: Ecriture, donnees: dict) -> int:
    """A teacher who prepares the school's dossier on the head's behalf and cannot file it."""
    session, acteur = ecriture.session, ecriture.acteur
    _exiger_chef_d_equipe(acteur)
    form = valider(CompteForm, {**donnees, "role": Role.PORTEUR.value, "uai": acteur.uai, "prepare_seulement": True})
    if erreurs := _verifier_identifiant_libre(session, form.identifiant):
        raise ErreursSaisie(erreurs)
    u = _nouveau(form, academie_de(acteur), equipe_uai=acteur.uai)
    session.add(u)
    session.flush()
    ligne = _envoyer_lien(ecriture, u, introduction=_introduction_equipe(session, acteur, "à préparer le dossier de candidature"))
    ecriture.journaliser(f"utilisateur:{u.id}", **_donnees_du_compte(u), jeton=ligne.id)
    return u.id


@operation("inviter_intervenant", "Inviter un intervenant", CHEFS_D_EQUIPE)
def inviter_intervenant(ecriture: Ecriture, intervenant_id: int, identifiant: str = "") -> int:
    """An account for an intervenant engaged on the school's atelier (their address by default)."""
    session, acteur = ecriture.session, ecriture.acteur
    invitable = {i.id: i for i in intervenants_invitables(session, acteur)}.get(intervenant_id)
    if invitable is None:
        raise AccesRefuse("Accès refusé : cet intervenant n'est pas engagé sur un atelier de votre école.")
    if invitable.a_un_compte:
        raise ErreursSaisie([f"{invitable.nom} a déjà un compte : il voit l'atelier dès qu'il s'y connecte."])
    form = valider(CompteForm, {"identifiant": identifiant or invitable.email or "", "nom_affiche": invitable.nom,
                                "role": Role.INTERVENANT.value})
    if erreurs := _verifier_identifiant_libre(session, form.identifiant):
        raise ErreursSaisie(erreurs)
    u = _nouveau(form, academie_de(acteur), equipe_uai=acteur.uai, intervenant_id=intervenant_id)
    session.add(u)
    session.flush()
    ligne = _envoyer_lien(ecriture, u, introduction=_introduction_equipe(session, acteur, "à suivre l'atelier"))
    ecriture.journaliser(f"utilisateur:{u.id}", **_donnees_du_compte(u), intervenant_id=intervenant_id, jeton=ligne.id)
    return u.id


@operation("retirer_membre", "Retirer un membre de l'équipe", CHEFS_D_EQUIPE)
def retirer_membre(ecriture: Ecriture, utilisateur_id: int) -> None:
    """The account is deactivated (its history stays); only the head of the school that invited it may."""
    _exiger_chef_d_equipe(ecriture.acteur)
    u = ecriture.session.get(Utilisateur, utilisateur_id)
    if u is None or u.equipe_uai != ecriture.acteur.uai:
        raise AccesRefuse("Accès refusé : ce compte n'est pas de l'équipe de votre école.")
    if u.actif:
        _desactiver(ecriture, u)
        ecriture.journaliser(f"utilisateur:{u.id}", identifiant=u.identifiant, equipe=u.equipe_uai)
