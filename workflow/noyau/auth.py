"""Local accounts: argon2id password hashes, lockout after repeated failures, session expiry."""

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from db.models import JournalAudit, Utilisateur, maintenant
from forms.base import normaliser_texte
from forms.vocabulaire import Role
from workflow.noyau.permissions import Acteur

_HASHER = PasswordHasher()  # argon2id with the library's (OWASP-level) defaults
_HASH_FACTICE = _HASHER.hash("mot de passe factice pour un temps de réponse constant")
ECHECS_MAX = 5
BLOCAGE = timedelta(minutes=15)
LONGUEUR_MIN = 12
COMPTE_DESACTIVE = "Ce compte est désactivé : la connexion est refusée. Adressez-vous à l'administrateur de l'académie."


class EchecConnexion(Exception):
    pass


def hacher(mot_de_passe: str) -> str:
    if len(mot_de_passe) < LONGUEUR_MIN:
        raise ValueError(f"Le mot de passe doit comporter au moins {LONGUEUR_MIN} caractères.")
    return _HASHER.hash(mot_de_passe)


def acteur_de(u: Utilisateur) -> Acteur:
    return Acteur(id=u.id, role=Role(u.role), nom=u.nom_affiche, uai=u.uai, departement=u.departement_code,
                  intervenant_id=u.intervenant_id, peut_deposer=u.peut_deposer,
                  academie=u.academie_code)


def authentifier(session: Session, identifiant: str, mot_de_passe: str) -> Acteur:
    """The actor for these credentials, or EchecConnexion with one message that reveals nothing."""
    message = "Identifiant ou mot de passe incorrect."
    try:
        identifiant = normaliser_texte(identifiant)
    except ValueError:  # no account's identifier holds a control character (and PostgreSQL would refuse the query)
        identifiant = ""
    u = session.exec(select(Utilisateur).where(Utilisateur.identifiant == identifiant.strip().lower())).first()
    if u is None or not u.actif:
        try:
            # A deactivated account is told so, but only to whoever knows its password (nothing revealed otherwise).
            desactive = u is not None and _HASHER.verify(u.mot_de_passe_hash, mot_de_passe)
        except (VerificationError, InvalidHashError):
            desactive = False
        if u is None:
            try:
                _HASHER.verify(_HASH_FACTICE, mot_de_passe)
            except VerificationError:
                pass
        session.add(JournalAudit(utilisateur_id=u.id if u else None, action="connexion_refusee", objet=identifiant[:80],
                                 details={"motif": "compte_desactive"} if u else {}))
        session.commit()
        raise EchecConnexion(COMPTE_DESACTIVE if desactive else message)
    if u.bloque_jusqu_au and u.bloque_jusqu_au > maintenant():
        raise EchecConnexion("Compte bloqué après plusieurs essais infructueux : réessayez dans quelques minutes.")
    try:
        _HASHER.verify(u.mot_de_passe_hash, mot_de_passe)
    except (VerificationError, InvalidHashError):
        u.echecs_connexion += 1
        if u.echecs_connexion >= ECHECS_MAX:
            u.bloque_jusqu_au, u.echecs_connexion = maintenant() + BLOCAGE, 0
        session.add(u)
        session.add(JournalAudit(utilisateur_id=u.id, action="connexion_refusee", objet=u.identifiant))
        session.commit()
        raise EchecConnexion(message) from None
    if _HASHER.check_needs_rehash(u.mot_de_passe_hash):
        u.mot_de_passe_hash = _HASHER.hash(mot_de_passe)
    u.echecs_connexion, u.bloque_jusqu_au, u.derniere_connexion = 0, None, maintenant()
    session.add(u)
    session.add(JournalAudit(utilisateur_id=u.id, action="connexion", objet=u.identifiant))
    session.commit()
    return acteur_de(u)


def session_expiree(derniere_activite: datetime, maintenant_: datetime, minutes: int) -> bool:
    return maintenant_ - derniere_activite > timedelta(minutes=minutes)
