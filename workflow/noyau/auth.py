"""Local accounts: argon2id password hashes, lockout after repeated failures, session expiry; the mapping of a sign-in
through the State's identity provider (OpenID Connect) to an existing account."""

import os
import threading
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, func, select

from db.models import JournalAudit, Utilisateur, maintenant
from forms.base import normaliser_texte
from forms.vocabulaire import Role
from workflow.noyau.permissions import Acteur

# argon2id as OWASP's Password Storage Cheat Sheet first recommends: 19 MiB, 2 passes, 1 lane. Measured here: 24 ms of
# one core a check, against 190 ms of CPU and 64 MiB for the library's default (RFC 9106's low-memory profile), which
# made ten sign-ins at once take 6.6 s and 653 MB. Hashes made with other parameters still verify, and are remade with
# these at their account's next sign-in.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class _Limiteur:
    """At most `places` password checks at once in this process (one per core: more would only add their memory); the
    others wait their turn. `plus_haut` keeps the most seen at once."""

    def __init__(self, places: int) -> None:
        self._places = threading.BoundedSemaphore(places)
        self._verrou = threading.Lock()
        self.en_cours = self.plus_haut = 0

    def __enter__(self) -> None:
        self._places.acquire()
        with self._verrou:
            self.en_cours += 1
            self.plus_haut = max(self.plus_haut, self.en_cours)

    def __exit__(self, *exc) -> None:
        with self._verrou:
            self.en_cours -= 1
        self._places.release()


VERIFICATIONS = _Limiteur(os.cpu_count() or 1)


def _verifier(empreinte: str, mot_de_passe: str) -> bool:
    with VERIFICATIONS:
        return _HASHER.verify(empreinte, mot_de_passe)  # True, or VerificationError


def _hacher(mot_de_passe: str) -> str:
    with VERIFICATIONS:
        return _HASHER.hash(mot_de_passe)


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
    return _hacher(mot_de_passe)


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
            desactive = u is not None and _verifier(u.mot_de_passe_hash, mot_de_passe)
        except (VerificationError, InvalidHashError):
            desactive = False
        if u is None:
            try:
                _verifier(_HASH_FACTICE, mot_de_passe)
            except VerificationError:
                pass
        session.add(JournalAudit(utilisateur_id=u.id if u else None, action="connexion_refusee", objet=identifiant[:80],
                                 details={"motif": "compte_desactive"} if u else {}))
        session.commit()
        raise EchecConnexion(COMPTE_DESACTIVE if desactive else message)
    if u.bloque_jusqu_au and u.bloque_jusqu_au > maintenant():
        raise EchecConnexion("Compte bloqué après plusieurs essais infructueux : réessayez dans quelques minutes.")
    try:
        _verifier(u.mot_de_passe_hash, mot_de_passe)
    except (VerificationError, InvalidHashError):
        u.echecs_connexion += 1
        if u.echecs_connexion >= ECHECS_MAX:
            u.bloque_jusqu_au, u.echecs_connexion = maintenant() + BLOCAGE, 0
        session.add(u)
        session.add(JournalAudit(utilisateur_id=u.id, action="connexion_refusee", objet=u.identifiant))
        session.commit()
        raise EchecConnexion(message) from None
    if _HASHER.check_needs_rehash(u.mot_de_passe_hash):
        u.mot_de_passe_hash = _hacher(mot_de_passe)
    u.echecs_connexion, u.bloque_jusqu_au, u.derniere_connexion = 0, None, maintenant()
    session.add(u)
    session.add(JournalAudit(utilisateur_id=u.id, action="connexion", objet=u.identifiant))
    session.commit()
    return acteur_de(u)


def session_expiree(derniere_activite: datetime, maintenant_: datetime, minutes: int) -> bool:
    return maintenant_ - derniere_activite > timedelta(minutes=minutes)


# --- Sign-in through the State's identity provider (OpenID Connect, ProConnect) ------------------------------------
# The provider says who the person is; the account, its role and its scope stay OEPRE's: a sign-in is mapped to an
# existing account by e-mail and never creates one.


def compte_refuse_par_oidc(u: Utilisateur) -> str | None:
    """Why this existing account may not sign in through the provider (None: it may). The hook where account
    deactivation (and any later rule: an expired delegation…) refuses an OIDC sign-in, as it refuses a password."""
    if not u.actif:
        return "Votre compte OEPRE est désactivé : adressez-vous à l'administrateur de l'académie."
    return None


def connecter_par_oidc(session: Session, courriel: object, *, fournisseur: str = "oidc") -> Acteur:
    """The actor of the existing account whose identifier is this e-mail (case and surrounding spaces ignored), the
    sign-in audit-logged like a password's; or EchecConnexion with a French message, the refusal logged too."""
    try:
        adresse = normaliser_texte(courriel).strip().lower() if isinstance(courriel, str) else ""
    except ValueError:  # a control character: no account's identifier holds one
        adresse = ""
    if not adresse:
        session.add(JournalAudit(action="connexion_refusee", objet="", details={"par": fournisseur, "motif": "sans courriel"}))
        session.commit()
        raise EchecConnexion("Le fournisseur d'identité n'a pas transmis votre adresse électronique : la connexion "
                             "est impossible par ce moyen. Utilisez votre identifiant et votre mot de passe OEPRE.")
    comptes = session.exec(select(Utilisateur).where(func.lower(Utilisateur.identifiant) == adresse)).all()
    motif = (f"Aucun compte OEPRE n'est ouvert à l'adresse {adresse} : la connexion est refusée. Demandez à "
             "l'administrateur de l'académie de vous ouvrir un compte à cette adresse.") if len(comptes) != 1 else None
    if len(comptes) > 1:  # two identifiers that differ only by case: never guess which one is meant
        motif = (f"Plusieurs comptes OEPRE portent l'adresse {adresse} : la connexion est refusée. Signalez-le à "
                 "l'administrateur de l'académie.")
    u = comptes[0] if len(comptes) == 1 else None
    motif = motif or compte_refuse_par_oidc(u)
    if motif:
        session.add(JournalAudit(utilisateur_id=u.id if u else None, action="connexion_refusee", objet=adresse[:80],
                                 details={"par": fournisseur, "motif": motif}))
        session.commit()
        raise EchecConnexion(motif)
    u.derniere_connexion = maintenant()
    session.add(u)
    session.add(JournalAudit(utilisateur_id=u.id, action="connexion", objet=u.identifiant, details={"par": fournisseur}))
    session.commit()
    return acteur_de(u)


def jeton_oidc_expire(emis_le: object, maintenant_: datetime, minutes: int) -> bool:
    """A new browser session (another tab, another app instance, a reload) opened with the provider's identity cookie
    is accepted while the sign-in at the provider (the identity token's `iat`, seconds since the epoch) is no older
    than the inactivity delay; without that date it is not accepted. Within a session, `session_expiree` applies."""
    if isinstance(emis_le, bool) or not isinstance(emis_le, int | float):
        return True
    emis = datetime.fromtimestamp(emis_le, tz=UTC)
    return session_expiree(emis if maintenant_.tzinfo else emis.replace(tzinfo=None), maintenant_, minutes)
