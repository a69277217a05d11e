"""`python -m tests.support.semis_annee`: on a freshly seeded demo database (OEPRE_* environment), a finished year of
60 ateliers (bench/annee.py), an account for the head of the first of them, and two e-mails of the outbox (one
sent, one refused by the server); used by the browser tests of the year's closing."""

from sqlmodel import select

from bench.annee import semer_annee
from db.models import Campagne, Dossier, Utilisateur
from demarrage.demo import MOT_DE_PASSE_DEMO
from infra.base import session
from workflow.noyau.auth import hacher

DIRECTRICE = "directrice.foix@ac-toulouse.fr"


def semer() -> None:
    with session() as s:
        campagne = s.exec(select(Campagne).where(Campagne.academie_code == "toulouse")).one()  # the Toulouse demo
        premier = s.get(Dossier, semer_annee(s, campagne.id)[0])
        s.add(Utilisateur(identifiant=DIRECTRICE, nom_affiche="Mme Directrice (Foix)", role="porteur", uai=premier.uai,
                          mot_de_passe_hash=hacher(MOT_DE_PASSE_DEMO)))
        s.commit()
        semer_courriels(s, campagne, premier)


def semer_courriels(s, campagne, dossier) -> None:
    from datetime import UTC, date, datetime

    from db.models import Notification
    from workflow.automatismes.notifications import programmer

    instant = datetime(2026, 7, 1, 7, tzinfo=UTC)
    for adresse in (DIRECTRICE, "secretariat@ecole-inconnue.fr"):
        programmer(s, type_notification="rappel_echeance", destinataire=adresse, sujet_cle=f"dossier:{dossier.id}",
                   echeance=date(2026, 7, 3), maintenant=instant, dossier_id=dossier.id, campagne_id=campagne.id,
                   etape="Transmettre le bilan pédagogique", quand="dans 7 jours", objet="l'École Foix n° 0",
                   consigne="Page « Bilans de fin d'année ».")
    s.commit()
    for n in s.exec(select(Notification)):
        if n.destinataire == DIRECTRICE:
            n.statut, n.envoye_at = "envoye", instant
        else:
            n.statut, n.tentatives = "echec", 1
            n.derniere_erreur = "Adresse refusée par le serveur (550 5.1.1 Destinataire inconnu)"
        s.add(n)
    s.commit()


if __name__ == "__main__":
    semer()
