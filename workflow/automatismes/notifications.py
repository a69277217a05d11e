"""The outbox: every e-mail the service sends goes through the `notification` table.

- Put once: a notification's key (kind, subject, due date, recipient) is unique, and the insert ignores a key
  already there, so a reminder computed twice — by two processes, after a restart, after the clock went
  back — is one row.
- Sent once: a process claims a row (one UPDATE whose condition only one process can meet) before sending it.
  A claim left by a process that died while sending is taken again after `RECLAMATION` (the message keeps
  the same Message-ID, so a mail system that did receive it can recognise the copy).
- Retried with backoff (1, 2, 4, 8 minutes…) when the server is unreachable, times out, drops the connection
  or answers 4xx; a permanent refusal (5xx) or the last attempt leaves the row in « échec » with the server's
  answer, shown in the outbox page, never lost.
- With no SMTP server configured, nothing is sent: the outbox itself is the channel (embedded default).
- A message to a team is one row with several recipients (`copies`); a message that carries a stored document
  (the decision's notification) holds a reference to it, and its PDF is attached when it is sent — the PDF a step
  produces after its commit is waited for a while (`ATTENTE_PDF`), then the DOCX goes instead.
- A row « différé » is never sent by itself: the daily digest (workflow.automatismes.transitions) quotes it.
"""

import smtplib
import socket
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as insert_postgresql
from sqlalchemy.dialects.sqlite import insert as insert_sqlite
from sqlmodel import Session, select

from db.models import Document, Dossier, Etablissement, Notification
from documents import stockage
from forms.vocabulaire import Role, StatutNotification
from infra.settings import get_settings
from workflow.automatismes.courriels import masquer_jetons, rediger
from workflow.noyau.operations import Ecriture, operation
from workflow.noyau.permissions import Acteur, exiger_role
from workflow.noyau.requetes import filtre_perimetre

TENTATIVES_MAX = 5
RECLAMATION = timedelta(minutes=10)
ATTENTE_PDF = timedelta(minutes=15)  # how long a message waits for the PDF of the document it carries
TYPES_MIME = {"pdf": ("application", "pdf"),
              "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")}
LECTEURS_BOITE = (Role.PILOTE, Role.DAEPS, Role.ADMIN, Role.PORTEUR, Role.DSDEN)
RELANCEURS = (Role.PILOTE, Role.ADMIN)  # who puts a failed message back in the queue


def programmer(session: Session, *, type_notification: str, destinataire: str, sujet_cle: str, echeance: date | None,
               maintenant: datetime, dossier_id: int | None = None, campagne_id: int | None = None,
               copies: list[str] | tuple[str, ...] = (), cle_destinataire: str | None = None,
               document_id: int | None = None, differe: bool = False, **contexte) -> bool:
    """Put a notification in the outbox unless its key is already there; True when this call created it.

    `copies`: the other recipients of one message to a team, whose key then names the team (`cle_destinataire`,
    « equipe-dossier-12 ») instead of one address; `document_id`: the stored document it carries; `differe`: kept
    for the recipient's daily digest instead of being sent."""
    qui = (cle_destinataire or destinataire).lower()
    cle = f"{type_notification}:{sujet_cle}:{echeance.isoformat() if echeance else '-'}:{qui}"[:200]
    sujet, corps = rediger(type_notification, echeance=echeance, **contexte)
    statut = StatutNotification.DIFFERE if differe else StatutNotification.EN_ATTENTE
    valeurs = {"cle": cle, "type_notification": type_notification, "dossier_id": dossier_id, "campagne_id": campagne_id,
               "destinataire": destinataire, "sujet": sujet[:200], "corps": corps, "echeance": echeance,
               "statut": statut.value, "tentatives": 0, "prochain_essai_at": maintenant, "derniere_erreur": "",
               "cree_at": maintenant, "copies": list(copies), "document_id": document_id}
    inserer = insert_postgresql if session.get_bind().dialect.name == "postgresql" else insert_sqlite
    # RETURNING tells whether the row was inserted (rowcount is not reported by every driver for this statement).
    resultat = session.execute(inserer(Notification).values(**valeurs).on_conflict_do_nothing(index_elements=["cle"])
                               .returning(Notification.id))
    return resultat.first() is not None


@dataclass(frozen=True)
class RapportEnvoi:
    envoyes: int = 0
    reportes: int = 0
    echecs: int = 0


def piece_jointe(session: Session, n: Notification) -> Document | None:
    """The file a message carries: the PDF of its document (the latest one converted from it), else the document."""
    if n.document_id is None:
        return None
    document = session.get(Document, n.document_id)
    if document is None or document.format == "pdf":
        return document
    converti = session.exec(select(Document).where(Document.source_id == document.id, Document.format == "pdf")
                            .order_by(Document.version.desc())).first()
    return converti or document


def _message(n: Notification, joint: Document | None = None) -> EmailMessage:
    reglages = get_settings()
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = reglages.smtp_from, ", ".join([n.destinataire, *n.copies]), n.sujet
    m["Date"] = format_datetime(n.cree_at)
    m["Message-ID"] = f"<oepre.notification.{n.id}@{reglages.smtp_from.rpartition('@')[2] or 'oepre.local'}>"
    m["X-OEPRE-Cle"] = n.cle
    m.set_content(n.corps)
    if joint is not None:
        principal, secondaire = TYPES_MIME.get(joint.format, ("application", "octet-stream"))
        m.add_attachment(stockage.depot().lire(joint.chemin, joint.sha256), maintype=principal,
                         subtype=secondaire, filename=joint.nom_fichier)
    return m


def _transmettre(message: EmailMessage) -> None:
    reglages = get_settings()
    with smtplib.SMTP(reglages.smtp_host, reglages.smtp_port, timeout=reglages.smtp_timeout_s) as smtp:
        if reglages.smtp_starttls:
            smtp.starttls()
        if reglages.smtp_user:
            smtp.login(reglages.smtp_user, reglages.smtp_password.get_secret_value() if reglages.smtp_password else "")
        smtp.send_message(message)


def _erreur(exc: Exception) -> tuple[str, bool]:
    """(French explanation, permanent?) of a failed send."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, texte = next(iter(exc.recipients.values()))
        return f"Adresse refusée par le serveur ({code} {texte.decode(errors='replace')})", code >= 500
    if isinstance(exc, smtplib.SMTPResponseException):
        texte = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"Refus du serveur ({exc.smtp_code} {texte})", exc.smtp_code >= 500
    # smtplib reports a read timeout as a disconnection « timed out ».
    if isinstance(exc, socket.timeout | TimeoutError) or "timed out" in str(exc):
        return "Le serveur n'a pas répondu à temps", False
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "Le serveur a coupé la connexion pendant l'envoi", False
        return "Le serveur n'a pas répondu à temps", False
    if isinstance(exc, OSError):
        return f"Serveur de messagerie injoignable ({exc.strerror or exc})", False
    return f"Erreur d'envoi : {exc}", False


def envoyer_en_attente(session: Session, maintenant: datetime, limite: int = 200) -> RapportEnvoi:
    """Send what is due, one claimed row at a time (several processes may run this at once)."""
    if not get_settings().smtp_configure:
        return RapportEnvoi()
    abandonnees = maintenant - RECLAMATION
    a_prendre = (((Notification.statut == StatutNotification.EN_ATTENTE.value) & (Notification.prochain_essai_at <= maintenant))
                 | ((Notification.statut == StatutNotification.ENVOI.value) & (Notification.verrou_at < abandonnees)))
    ids = list(session.exec(select(Notification.id).where(a_prendre).order_by(Notification.id).limit(limite)))
    envoyes = reportes = echecs = 0
    for notification_id in ids:
        prise = session.execute(update(Notification).where(Notification.id == notification_id, a_prendre)
                                .values(statut=StatutNotification.ENVOI.value, verrou_at=maintenant))
        session.commit()
        if prise.rowcount != 1:
            continue  # another process took it
        n = session.get(Notification, notification_id)
        session.refresh(n)
        joint = piece_jointe(session, n)
        if joint is not None and joint.format != "pdf" and n.cree_at > maintenant - ATTENTE_PDF:
            # The step's PDF is made just after its commit: wait for it (no attempt counted), then send the DOCX.
            n.statut, n.verrou_at = StatutNotification.EN_ATTENTE.value, None
            n.prochain_essai_at = maintenant + timedelta(minutes=1)
            session.add(n)
            session.commit()
            reportes += 1
            continue
        try:
            _transmettre(_message(n, joint))
        except Exception as exc:  # every failure is recorded on the row, none is lost
            explication, definitive = _erreur(exc)
            n.tentatives += 1
            n.derniere_erreur = explication
            if definitive or n.tentatives >= TENTATIVES_MAX:
                n.statut = StatutNotification.ECHEC.value
                echecs += 1
            else:
                n.statut = StatutNotification.EN_ATTENTE.value
                n.prochain_essai_at = maintenant + timedelta(minutes=2 ** (n.tentatives - 1))
                reportes += 1
        else:
            n.statut, n.envoye_at, n.derniere_erreur = StatutNotification.ENVOYE.value, maintenant, ""
            n.corps = masquer_jetons(n.corps)  # a password link's token stays in the mail sent, not in the database
            envoyes += 1
        n.verrou_at = None
        session.add(n)
        session.commit()
    return RapportEnvoi(envoyes, reportes, echecs)


# --- The outbox page -----------------------------------------------------------------------------


def boite_d_envoi(session: Session, acteur: Acteur, *, statut: str | None = None, dossier_id: int | None = None,
                  limite: int = 500) -> list[Notification]:
    """Notifications the actor may see: all for the académie's staff, its dossiers' for a school or a DSDEN."""
    exiger_role(acteur, LECTEURS_BOITE, "Consulter la boîte d'envoi")
    requete = select(Notification).order_by(Notification.id.desc()).limit(limite)
    if dossier_id is not None:
        requete = requete.where(Notification.dossier_id == dossier_id)
    if acteur.role in (Role.PORTEUR, Role.DSDEN):  # their dossiers' messages only, by the dossiers' scope rule
        requete = (requete.join(Dossier, Dossier.id == Notification.dossier_id)
                   .join(Etablissement, Etablissement.uai == Dossier.uai).where(filtre_perimetre(acteur)))
    if statut:
        requete = requete.where(Notification.statut == statut)
    return list(session.exec(requete))


@operation("relance_notification", "Relancer un envoi", RELANCEURS)
def relancer(ecriture: Ecriture, notification_id: int, maintenant: datetime) -> None:
    """Put a failed notification back in the queue (after its address was corrected, say)."""
    n = ecriture.session.get(Notification, notification_id)
    if n is None or n.statut != StatutNotification.ECHEC:
        return
    n.statut, n.tentatives, n.prochain_essai_at = StatutNotification.EN_ATTENTE.value, 0, maintenant
    ecriture.session.add(n)
    ecriture.journaliser(f"notification:{n.id}")
