"""The outbox against a real local SMTP server: created once per key, sent once, retried with backoff when the
server fails, a final failure kept with its French reason."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from db.models import Notification
from workflow.automatismes import notifications

T0 = datetime(2025, 9, 26, 7, 0, tzinfo=UTC)


def _programmer(session, destinataire="directrice@ecole.fr", echeance=date(2025, 10, 3)):
    return notifications.programmer(
        session, type_notification="rappel_echeance", destinataire=destinataire, sujet_cle="dossier:1", echeance=echeance,
        maintenant=T0, etape="Déposer le dossier de candidature", quand="dans 7 jours", objet="l'École des Tilleuls", consigne="Déposez-le.")


def test_une_cle_une_notification_un_envoi(session, smtp):
    assert _programmer(session) is True
    assert _programmer(session) is False  # the same reminder computed again
    session.commit()
    assert notifications.envoyer_en_attente(session, T0).envoyes == 1
    assert notifications.envoyer_en_attente(session, T0 + timedelta(hours=1)).envoyes == 0
    (recu,) = smtp.recus
    assert recu["Subject"] == "OEPRE — Déposer le dossier de candidature : échéance dans 7 jours (3 octobre 2025)"
    assert "l'École des Tilleuls" in recu.get_content() and recu["Message-ID"].startswith("<oepre.notification.")
    assert not recu.is_multipart()  # plain text only: no e-mail carries a document (tests/noyau/test_acces_documents)
    n = session.exec(select(Notification)).one()
    assert (n.statut, n.tentatives, n.envoye_at) == ("envoye", 0, T0)


@pytest.mark.parametrize(("mode", "raison"), [
    ("temporaire", "Refus du serveur (451"), ("lent", "n'a pas répondu à temps"),
    ("couper", "coupé la connexion"),
])
def test_panne_passagere_reessayee_avec_delai(session, smtp, mode, raison):
    _programmer(session)
    session.commit()
    smtp.mode = mode
    assert notifications.envoyer_en_attente(session, T0).reportes == 1
    n = session.exec(select(Notification)).one()
    assert n.statut == "en_attente" and raison in n.derniere_erreur and n.tentatives == 1
    assert n.prochain_essai_at == T0 + timedelta(minutes=1)
    assert notifications.envoyer_en_attente(session, T0 + timedelta(seconds=30)) == notifications.RapportEnvoi()  # not yet
    smtp.mode = "accepter"
    assert notifications.envoyer_en_attente(session, T0 + timedelta(minutes=1)).envoyes == 1
    assert len(smtp.recus) == 1


def test_echec_definitif_visible(session, smtp):
    _programmer(session)
    session.commit()
    smtp.mode = "refuser"
    assert notifications.envoyer_en_attente(session, T0).echecs == 1
    n = session.exec(select(Notification)).one()
    assert n.statut == "echec" and "Refus du serveur (550 5.1.1 Destinataire inconnu)" in n.derniere_erreur
    smtp.mode = "temporaire"  # five attempts at most, with growing delays
    _programmer(session, destinataire="autre@ecole.fr")
    session.commit()
    instant = T0
    for attente in (0, 1, 2, 4, 8):
        instant += timedelta(minutes=attente)
        notifications.envoyer_en_attente(session, instant)
    autre = session.exec(select(Notification).where(Notification.destinataire == "autre@ecole.fr")).one()
    assert (autre.statut, autre.tentatives) == ("echec", 5) and smtp.recus == []


def test_sans_serveur_la_boite_d_envoi_garde_tout(session, reglages):
    _programmer(session)
    session.commit()
    assert notifications.envoyer_en_attente(session, T0) == notifications.RapportEnvoi()
    assert session.exec(select(Notification)).one().statut == "en_attente"


def test_reclamation_abandonnee_reprise(session, smtp):
    """A process that died after claiming a row: the claim is taken again once stale, and the e-mail goes once."""
    _programmer(session)
    session.commit()
    n = session.exec(select(Notification)).one()
    n.statut, n.verrou_at = "envoi", T0
    session.add(n)
    session.commit()
    assert notifications.envoyer_en_attente(session, T0 + timedelta(minutes=5)).envoyes == 0
    assert notifications.envoyer_en_attente(session, T0 + timedelta(minutes=11)).envoyes == 1
    assert len(smtp.recus) == 1


def test_la_boite_d_envoi_montre_l_echec_et_le_perimetre(demo, acteurs, smtp):
    """The outbox page lists what was sent or failed, with the server's answer; a school sees its own only."""

    from db.models import Dossier
    from tests.support.appli import ouvrir_application

    tilleuls = demo.exec(select(Dossier).where(Dossier.uai == acteurs["porteur"].uai)).one()
    jaures = demo.exec(select(Dossier).where(Dossier.uai == acteurs["porteur81"].uai)).one()
    for dossier, adresse in ((tilleuls, "direction.tilleuls@ac-toulouse.fr"), (jaures, "refuse@ac-toulouse.fr")):
        notifications.programmer(demo, type_notification="depot_clos", destinataire=adresse, sujet_cle=f"dossier:{dossier.id}",
                                 echeance=date(2025, 10, 3), maintenant=T0, dossier_id=dossier.id, objet="l'école")
        demo.commit()
        smtp.mode = "accepter" if dossier is tilleuls else "refuser"
        notifications.envoyer_en_attente(demo, T0)

    def ouvrir(nom):
        return ouvrir_application(acteurs[nom], "pages/courriels.py")

    at = ouvrir("pilote")
    assert not at.exception and set(at.dataframe[0].value["Statut"]) == {"Envoyé", "Échec"}
    at.selectbox(key="courriels_lire").select_index(
        [i for i, n in enumerate(at.selectbox(key="courriels_lire").options) if "refuse@" in n][0]).run()
    assert "Refus du serveur (550 5.1.1 Destinataire inconnu)" in at.error[0].value
    [b for b in at.button if b.label == "Remettre en file d'envoi"][0].click().run()
    assert session_statuts(demo) == {"envoye", "en_attente"}

    porteur = ouvrir("porteur")
    assert list(porteur.dataframe[0].value["Destinataire"]) == ["direction.tilleuls@ac-toulouse.fr"]


def session_statuts(session) -> set[str]:
    session.expire_all()
    return {n.statut for n in session.exec(select(Notification))}
