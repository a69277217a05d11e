"""The transition e-mails (workflow/automatismes/transitions.py): the table checked against the step table, then a
dossier of the demo taken through every transition that concerns someone, by the real engine, on SQLite and
PostgreSQL — exactly the expected messages, once each (a replayed step tells nobody twice), each person's choice
honoured (never, at once, or in the next morning's digest), the decision's notification attached, no parent named."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select

from db.models import Auditeur, Campagne, Document, Dossier, Enfant, Etablissement, JournalAudit, Notification, PreferenceCourriel, Utilisateur
from demarrage.demo import ECOLE_PORTEUR
from forms.base import ErreursSaisie
from forms.vocabulaire import Etat, FrequenceCourriel, Role
from infra.settings import aujourdhui, maintenant
from tests.conftest import exiger_outil, libreoffice_present
from tests.support.fabrique import FORMULAIRES, GROUPE, Contexte, dossier_en_etat, executer_etape
from tests.support.semis_atelier import PARENTS
from workflow import services
from workflow.automatismes import courriels, notifications, transitions
from workflow.etapes import ETAPES_PAR_CLE
from workflow.noyau import moteur
from workflow.noyau.auth import acteur_de
from workflow.noyau.permissions import AccesRefuse

# The transitions that concern someone (issue 16, item 3), and whom.
ATTENDUES = {"deposer": {Role.DSDEN}, "emettre_avis": {Role.PILOTE}, "renvoyer_pour_correction": {Role.PORTEUR},
             "decider": {Role.PORTEUR}, "notifier_credits": {Role.GESTIONNAIRE}, "engager_intervenant": {Role.INTERVENANT},
             "transmettre_bilan_pedagogique": {Role.DAEPS}, "transmettre_bilan_financier": {Role.DAEPS}}


def test_chaque_ligne_nomme_une_vraie_etape_et_chaque_transition_a_la_sienne():
    for ligne in transitions.COURRIELS:
        etape = ETAPES_PAR_CLE[ligne.etape]  # a real step…
        assert etape.sujet == "dossier" and not etape.donnees_personnelles  # …of a dossier, that names no parent
        assert ligne.type_notification in courriels.MODELES
        assert ligne.joint is None or ligne.joint in etape.gabarits  # what it carries is a document of its step
        assert isinstance(ligne.defaut, FrequenceCourriel)
    assert len(transitions.PAR_ETAPE) == len(transitions.COURRIELS)  # one row per step
    assert set(ATTENDUES) <= set(transitions.PAR_ETAPE)
    for cle, roles in ATTENDUES.items():
        assert roles <= set(transitions.PAR_ETAPE[cle].roles)
    assert transitions.programmer_courriels in moteur.SUITES  # plugged into the engine once
    assert moteur.SUITES.count(transitions.programmer_courriels) == 1


def test_une_ligne_ne_peut_nommer_que_des_modeles_existants():
    """Every template renders with what its row gives (a missing variable is an error: StrictUndefined)."""
    with pytest.raises(Exception, match="undefined"):
        courriels.rediger("decision_notifiee", echeance=None, numero="2025-031-0001")


# --- The story ---------------------------------------------------------------------------------------------------

DIRECTRICE, DELEGUEE = "directrice.tilleuls@ac-toulouse.fr", "enseignante.tilleuls@ac-toulouse.fr"
INTERVENANTE, DSDEN31 = "intervenante@ac-toulouse.fr", "dsden31@ac-toulouse.fr"
PILOTE, DAEPS, PAIE31 = "pilote@ac-toulouse.fr", "daeps@ac-toulouse.fr", "paie.dsden31@ac-toulouse.fr"
CREDITS = {"montant_p104": "3000", "montant_en": "1286.10", "structure_payeuse": "DSDEN de la Haute-Garonne (0311234A)"}

# (kind, recipients of one message) the story calls for, in order — computed from the story, not from the code.
MESSAGES = [
    ("depot_recu", (DSDEN31,)),  # filed
    ("dossier_renvoye", (DIRECTRICE, DELEGUEE)),  # sent back: the team (head and delegate), one message
    ("depot_recu", (DSDEN31,)),  # filed again: a new event
    ("avis_donne", (PILOTE,)),
    ("decision_notifiee", (DIRECTRICE, DELEGUEE)),
    ("credits_notifies", (PAIE31,)),  # a first-degree school: the DSDEN's pay service
    ("engagement", (INTERVENANTE,)),  # the account of the person engaged
    ("bilan_recu", (DAEPS,)),
    ("bilan_recu", (DAEPS,)),
]


def _compte(s, identifiant):
    return acteur_de(s.exec(select(Utilisateur).where(Utilisateur.identifiant == identifiant)).one())


def _tilleuls(s) -> Dossier:
    return s.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()


def _histoire(s) -> Dossier:
    """The Tilleuls dossier filed, sent back, filed again, given its opinion, retained, its credits notified (twice:
    a replay), its intervenant engaged (then engaged again: a correction), four parents registered, closed."""
    dossier = _tilleuls(s)
    dossier_en_etat(s, Etat.DEPOSE, dossier=dossier)
    executer_etape(s, _compte(s, DSDEN31), "renvoyer_pour_correction", dossier, motif="Programme de l'axe 3 trop court.")
    dossier_en_etat(s, Etat.RETENU, dossier=dossier)
    for _ in range(2):
        executer_etape(s, _compte(s, DAEPS), "notifier_credits", dossier, **CREDITS)
    dossier_en_etat(s, Etat.EN_COURS, dossier=dossier)  # engages the intervenant before the first séance
    porteur = _compte(s, DIRECTRICE)
    for nom, prenom in PARENTS:
        executer_etape(s, porteur, "inscrire_parent", dossier, nom=nom, prenom=prenom, groupe=GROUPE,
                       date_inscription=aujourdhui().isoformat(),
                       enfants=[{"prenom": "Yasmine", "classe": "CE1", "uai_ecole": ECOLE_PORTEUR}])
    # The same person on the same group again (the factory's form, other hours): corrects the engagement.
    s.refresh(dossier)
    c = Contexte(s, dossier, s.get(Etablissement, dossier.uai), s.get(Campagne, dossier.campagne_id), Etat.EN_COURS,
                 aujourdhui())
    executer_etape(s, porteur, "engager_intervenant", dossier, **FORMULAIRES["engager_intervenant"](c) | {"heures_prevues": "70"})
    dossier_en_etat(s, Etat.CLOS, dossier=dossier)
    return dossier


def _lignes(s, dossier: Dossier) -> list[Notification]:
    s.expire_all()
    return list(s.exec(select(Notification).where(Notification.dossier_id == dossier.id,
                                                  Notification.type_notification.in_(list(transitions.GENRES)))
                       .order_by(Notification.id)))


def _noms_des_parents(s) -> set[str]:
    noms = {v for a in s.exec(select(Auditeur)) for v in (a.nom, a.prenom)}
    noms |= {e.prenom for e in s.exec(select(Enfant))}
    noms |= {v for nom, prenom in PARENTS for v in (nom, prenom)}
    return {n for n in noms if n}


def test_chaque_transition_ecrit_a_qui_elle_concerne_une_fois(demo):
    dossier = _histoire(demo)
    lignes = _lignes(demo, dossier)
    # By default, the DSDEN, the pilote and the DAEPS read these in their digest; the others at once.
    attendues = [(t, qui[0], list(qui[1:]), "differe" if transitions.GENRES[t].defaut == FrequenceCourriel.RESUME
                  else "en_attente") for t, qui in MESSAGES]
    assert [(n.type_notification, n.destinataire, n.copies, n.statut) for n in lignes] == attendues
    assert max(Counter(n.cle for n in demo.exec(select(Notification))).values()) == 1
    decision = next(n for n in lignes if n.type_notification == "decision_notifiee")
    joint = demo.get(Document, decision.document_id)
    assert (joint.type_document, joint.format, joint.dossier_id) == ("notification_decision", "docx", dossier.id)
    renvoi = next(n for n in lignes if n.type_notification == "dossier_renvoye")
    assert "Programme de l'axe 3 trop court." in renvoi.corps
    assert all(n.document_id is None for n in lignes if n is not decision)

    # The digest, the next morning: one e-mail per person quoting their kept messages, created once.
    demain = maintenant() + timedelta(days=1)
    assert transitions.programmer_resumes(demo, demain.date(), demain) >= 3
    assert transitions.programmer_resumes(demo, demain.date(), demain) == 0
    resumes = {n.destinataire: n for n in demo.exec(select(Notification).where(
        Notification.type_notification == "resume_quotidien"))}
    assert {DSDEN31, PILOTE, DAEPS} <= set(resumes)
    assert resumes[DSDEN31].corps.count("OEPRE — Dossier déposé : École élémentaire des Tilleuls") == 2
    assert resumes[DAEPS].corps.count("reçu : École élémentaire des Tilleuls") == 2
    assert {n.statut for n in _lignes(demo, dossier) if n.destinataire in (DSDEN31, PILOTE, DAEPS)} == {"regroupe"}

    # Nothing personal about the parents, in any kind of message.
    tout = list(demo.exec(select(Notification)))
    assert {n.type_notification for n in tout} >= set(transitions.GENRES) | {"resume_quotidien"}
    noms = _noms_des_parents(demo)
    assert len(noms) >= 8
    fautes = [(n.type_notification, nom) for n in tout for nom in noms if nom.lower() in (n.sujet + n.corps).lower()]
    assert fautes == []


@pytest.mark.parametrize("frequence", list(FrequenceCourriel))
def test_le_choix_de_chacun_est_tenu(demo, frequence):
    """Every account that receives a kind chose `frequence` for it: never → no row; at once → sent alone; digest →
    kept, then quoted by the next morning's digest."""
    for identifiant in {qui for _, dest in MESSAGES for qui in dest}:
        acteur = _compte(demo, identifiant)
        choix = {g.type_notification: frequence for g in transitions.genres_du_role(acteur.role)}
        assert transitions.choisir(demo, acteur, choix) == sorted(
            t for t in choix if transitions.GENRES[t].defaut != frequence)
    dossier = _histoire(demo)
    lignes = _lignes(demo, dossier)
    if frequence == FrequenceCourriel.AUCUN:
        assert lignes == []
        return
    attendu = "en_attente" if frequence == FrequenceCourriel.IMMEDIAT else "differe"
    assert {n.statut for n in lignes} == {attendu}
    if frequence == FrequenceCourriel.IMMEDIAT:  # a team gets one message
        assert [(n.type_notification, (n.destinataire, *n.copies)) for n in lignes] == MESSAGES
    else:  # each member of a team keeps their own line for their digest
        assert sorted((n.type_notification, n.destinataire) for n in lignes) == sorted(
            (t, qui) for t, dest in MESSAGES for qui in dest)
        demain = maintenant() + timedelta(days=1)
        transitions.programmer_resumes(demo, demain.date(), demain)
        resumes = {n.destinataire: n for n in demo.exec(select(Notification).where(
            Notification.type_notification == "resume_quotidien"))}
        for n in _lignes(demo, dossier):  # each kept message quoted in its person's one digest
            assert n.statut == "regroupe" and f"■ {n.sujet}\n" in resumes[n.destinataire].corps


def test_choisir_est_journalise_et_refuse_un_genre_d_un_autre_role(demo):
    directrice = _compte(demo, DIRECTRICE)
    assert transitions.choisir(demo, directrice, {"decision_notifiee": FrequenceCourriel.RESUME}) == ["decision_notifiee"]
    assert transitions.choisir(demo, directrice, {"decision_notifiee": FrequenceCourriel.RESUME}) == []  # unchanged
    assert transitions.preferences(demo, directrice)["decision_notifiee"] == FrequenceCourriel.RESUME
    trace = demo.exec(select(JournalAudit).where(JournalAudit.action == "choisir_courriels")).all()
    assert [t.details for t in trace] == [{"choix": {"decision_notifiee": "resume"}}, {"choix": {}}]
    avant = demo.exec(select(PreferenceCourriel)).all()
    with pytest.raises(ErreursSaisie, match="« Courriels » : depot_recu n'est pas un courriel de votre rôle"):
        transitions.choisir(demo, directrice, {"depot_recu": FrequenceCourriel.AUCUN})
    with pytest.raises(ErreursSaisie, match="Courriels"):
        transitions.choisir(demo, directrice, {"decision_notifiee": "chaque heure"})
    assert demo.exec(select(PreferenceCourriel)).all() == avant


@pytest.mark.parametrize("role", list(Role))
def test_chaque_role_ne_choisit_que_ses_courriels(demo, role):
    """A matrix over the roles: the page offers each role the kinds whose recipients it can be, and no other."""
    genres = {g.type_notification for g in transitions.genres_du_role(role)}
    assert genres == {t for t, g in transitions.GENRES.items() if role in g.roles}
    compte = demo.exec(select(Utilisateur).where(Utilisateur.role == role.value)).first()
    if compte is not None:
        assert set(transitions.preferences(demo, acteur_de(compte))) == genres


def test_courriel_de_decision_porte_le_pdf_de_la_notification(demo, smtp):
    """Sent for real: the decision's e-mail waits for the PDF made after the step's commit, then carries it, to the
    whole team in one message; sending again (or a second sender) sends nothing twice."""
    exiger_outil(libreoffice_present(), "LibreOffice absent")
    dossier = _tilleuls(demo)
    dossier_en_etat(demo, Etat.AVIS_DONNE, dossier=dossier)
    demo.refresh(dossier)
    decision = services.executer(demo, _compte(demo, PILOTE), "decider", dossier_id=dossier.id, version=dossier.version,
                                 pdf_apres=False, donnees={"decision": "retenu", "heures_financees": "140",
                                                           "montant_p104": "3000", "montant_en": "1286.10"})
    t0 = maintenant()
    assert notifications.envoyer_en_attente(demo, t0).reportes >= 1  # no PDF yet: waits, no attempt counted
    assert [m for m in smtp.recus if "Décision" in m["Subject"] and DIRECTRICE in m["To"]] == []
    pdf_id = services.produire_pdf(demo, decision.documents[0], _compte(demo, PILOTE)).id
    notifications.envoyer_en_attente(demo, t0 + timedelta(minutes=1))
    notifications.envoyer_en_attente(demo, t0 + timedelta(minutes=2))
    (recu,) = [m for m in smtp.recus if "Décision du comité" in m["Subject"]]
    assert recu["To"] == f"{DIRECTRICE}, {DELEGUEE}"
    (piece,) = list(recu.iter_attachments())
    pdf = demo.get(Document, pdf_id)
    assert piece.get_content_type() == "application/pdf" and piece.get_filename() == pdf.nom_fichier
    contenu = piece.get_content()
    assert contenu.startswith(b"%PDF") and len(contenu) == pdf.taille
    assert "La notification de la décision est jointe" in recu.get_body(("plain",)).get_content()


def test_sans_pdf_apres_l_attente_le_docx_part(demo, smtp):
    dossier = _tilleuls(demo)
    dossier_en_etat(demo, Etat.RETENU, dossier=dossier)
    t0 = maintenant()
    notifications.envoyer_en_attente(demo, t0)
    assert [m for m in smtp.recus if "Décision" in m["Subject"] and DIRECTRICE in m["To"]] == []
    notifications.envoyer_en_attente(demo, t0 + notifications.ATTENTE_PDF + timedelta(minutes=1))
    (recu,) = [m for m in smtp.recus if "Décision" in m["Subject"] and DIRECTRICE in m["To"]]
    (piece,) = list(recu.iter_attachments())
    assert piece.get_filename().endswith(".docx") and piece.get_content()[:2] == b"PK"


def test_un_role_qui_ne_lit_pas_la_boite_peut_tout_de_meme_choisir(demo):
    """« Mes courriels » is every account's: the operation is open to all roles, each on its own kinds."""
    for compte in demo.exec(select(Utilisateur)).all():
        acteur = acteur_de(compte)
        try:
            transitions.choisir(demo, acteur, {})
        except AccesRefuse as refus:  # pragma: no cover - would be the failure
            pytest.fail(str(refus))
