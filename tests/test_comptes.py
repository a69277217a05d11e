"""Accounts and onboarding (workflow/comptes.py): each action of the administrator and of a head, on SQLite and
PostgreSQL; who may do what (a matrix over every role and scope); the CSV import refused as a whole; the password
links (single use, expiry on the controlled clock, stored hashed, masked in the outbox)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from db.models import Dossier, Engagement, Intervenant, JetonCompte, JournalAudit, Notification, Utilisateur
from demarrage.demo import ECOLE_MONTPELLIER, ECOLE_PORTEUR, MOT_DE_PASSE_DEMO, semer_montpellier
from forms.base import ErreursSaisie, lettre_cle_uai
from forms.comptes import refus_du_mot_de_passe
from forms.vocabulaire import Role
from workflow import comptes
from workflow.automatismes.courriels import masquer_jetons
from workflow.automatismes.notifications import envoyer_en_attente
from workflow.noyau.auth import COMPTE_DESACTIVE, EchecConnexion, acteur_de, authentifier
from workflow.noyau.permissions import AccesRefuse

BON_MOT_DE_PASSE = "Une phrase de passe 2025 !"
UAI_INCONNU = "0319999" + lettre_cle_uai("0319999")  # well formed, not in the académie's directory
UAI_FAUX = "0319999" + next(c for c in "ABC" if c != lettre_cle_uai("0319999"))  # wrong check letter


def _compte(session, identifiant: str) -> Utilisateur:
    return session.exec(select(Utilisateur).where(Utilisateur.identifiant == identifiant)).one()


def _jeton_envoye(session, identifiant: str) -> str:
    """The token of the last link in the outbox for this address (what the person reads in their mail)."""
    n = session.exec(select(Notification).where(Notification.destinataire == identifiant,
                                                Notification.type_notification == "lien_compte")
                     .order_by(Notification.id.desc())).first()
    return re.search(r"jeton=([A-Za-z0-9_\-]+)", n.corps).group(1)


def _journal(session, action: str) -> list[JournalAudit]:
    return list(session.exec(select(JournalAudit).where(JournalAudit.action == action).order_by(JournalAudit.id)))


def _delegue(session):
    return acteur_de(_compte(session, "enseignante.tilleuls@ac-toulouse.fr"))


@pytest.fixture
def horloge(reglages, tmp_path):
    """The controlled clock (OEPRE_HORLOGE): horloge(instant) moves « now » for the services."""
    fichier = tmp_path / "horloge.txt"

    def regler(instant: datetime) -> None:
        fichier.write_text(instant.isoformat())
        reglages.horloge = fichier

    regler(datetime(2025, 9, 20, 9, 0, tzinfo=UTC))
    return regler


@pytest.fixture
def intervenant_de_l_ecole(demo):
    """An intervenant engaged on the Tilleuls atelier, without an account yet."""
    dossier = demo.exec(select(Dossier).where(Dossier.uai == ECOLE_PORTEUR)).one()
    personne = Intervenant(nom="BERGER", prenom="Lina", email="lina.berger@ac-toulouse.fr", statut="enseignant_upe2a")
    demo.add(personne)
    demo.flush()
    demo.add(Engagement(intervenant_id=personne.id, dossier_id=dossier.id, engage=True))
    demo.commit()
    return personne


# --- Each action ------------------------------------------------------------------------------------


def test_creer_un_compte_envoie_un_lien_puis_la_personne_se_connecte(demo, acteurs, horloge):
    uid = comptes.creer_compte(demo, acteurs["admin"], {"identifiant": "Directeur.Nouveau@ac-toulouse.fr",
                                                        "nom_affiche": "Paul Nouveau", "role": "porteur", "uai": ECOLE_PORTEUR})
    u = demo.get(Utilisateur, uid)
    assert (u.identifiant, u.role, u.uai, u.peut_deposer, u.actif) == ("directeur.nouveau@ac-toulouse.fr", "porteur", ECOLE_PORTEUR, True, True)
    with pytest.raises(EchecConnexion):  # no password until the person chooses one
        authentifier(demo, u.identifiant, "")
    jeton = _jeton_envoye(demo, u.identifiant)
    ligne = demo.exec(select(JetonCompte).where(JetonCompte.utilisateur_id == uid)).one()
    assert ligne.empreinte == comptes.empreinte(jeton) != jeton and ligne.nature == comptes.INVITATION
    assert _aware(ligne.expire_at) == datetime(2025, 9, 23, 9, 0, tzinfo=UTC)  # 72 h
    corps = demo.exec(select(Notification.corps).where(Notification.destinataire == u.identifiant)).one()
    assert "http://localhost:8501/mot_de_passe?jeton=" in corps and MOT_DE_PASSE_DEMO not in corps
    assert comptes.lien(demo, jeton).valide
    assert comptes.choisir_mot_de_passe(demo, jeton, {"mot_de_passe": BON_MOT_DE_PASSE, "confirmation": BON_MOT_DE_PASSE}) == u.identifiant
    assert authentifier(demo, u.identifiant, BON_MOT_DE_PASSE).id == uid
    assert [j.objet for j in _journal(demo, "creer_compte")] == [f"utilisateur:{uid}"]
    (choix,) = _journal(demo, "choisir_mot_de_passe")
    assert (choix.utilisateur_id, choix.objet) == (uid, f"utilisateur:{uid}")
    assert BON_MOT_DE_PASSE not in str([j.details for j in demo.exec(select(JournalAudit))])


def test_desactiver_refuse_la_connexion_en_francais_et_garde_l_historique(demo, acteurs):
    casnav = _compte(demo, "casnav@ac-toulouse.fr")
    authentifier(demo, casnav.identifiant, MOT_DE_PASSE_DEMO)
    comptes.desactiver_compte(demo, acteurs["admin"], casnav.id)
    with pytest.raises(EchecConnexion, match="^" + re.escape(COMPTE_DESACTIVE) + "$"):
        authentifier(demo, casnav.identifiant, MOT_DE_PASSE_DEMO)
    with pytest.raises(EchecConnexion, match="^Identifiant ou mot de passe incorrect.$"):  # nothing told to a stranger
        authentifier(demo, casnav.identifiant, "un autre mot de passe")
    demo.refresh(casnav)
    assert not casnav.actif and casnav.desactive_at is not None and casnav.derniere_connexion is not None
    assert _journal(demo, "connexion")[0].utilisateur_id == casnav.id  # its history stays
    comptes.reactiver_compte(demo, acteurs["admin"], casnav.id)
    assert authentifier(demo, casnav.identifiant, MOT_DE_PASSE_DEMO).id == casnav.id
    assert [len(_journal(demo, a)) for a in ("desactiver_compte", "reactiver_compte")] == [1, 1]


def test_l_administrateur_ne_se_desactive_pas_lui_meme(demo, acteurs):
    with pytest.raises(ErreursSaisie, match="votre propre compte"):
        comptes.desactiver_compte(demo, acteurs["admin"], acteurs["admin"].id)


def test_modifier_nom_adresse_role_et_perimetre(demo, acteurs):
    u = _compte(demo, "dsden81@ac-toulouse.fr")
    comptes.modifier_compte(demo, acteurs["admin"], u.id, {"identifiant": "dsden82@ac-toulouse.fr", "nom_affiche": "DSDEN 82",
                                                           "role": "dsden", "departement": "82"})
    demo.refresh(u)
    assert (u.identifiant, u.nom_affiche, u.departement_code) == ("dsden82@ac-toulouse.fr", "DSDEN 82", "82")
    (trace,) = _journal(demo, "modifier_compte")
    assert set(trace.details["avant"]) == set(trace.details["apres"]) == {"identifiant", "nom", "departement"}
    assert (trace.details["avant"]["departement"], trace.details["apres"]["identifiant"]) == ("81", "dsden82@ac-toulouse.fr")
    with pytest.raises(ErreursSaisie, match="existe déjà"):
        comptes.modifier_compte(demo, acteurs["admin"], u.id, {"identifiant": "pilote@ac-toulouse.fr", "nom_affiche": "X",
                                                               "role": "dsden", "departement": "82"})


def test_le_perimetre_suit_le_role(demo, acteurs):
    """Every role × every shape of scope: accepted exactly when the role needs that scope."""
    attendus = {Role.PORTEUR: {"ecole"}, Role.DSDEN: {"departement"}, Role.GESTIONNAIRE: {"ecole", "departement"}}
    formes = {"academie": {}, "ecole": {"uai": ECOLE_PORTEUR}, "departement": {"departement": "31"},
              "les_deux": {"uai": ECOLE_PORTEUR, "departement": "31"}}
    for role in Role:
        for perimetre, valeurs in formes.items():
            donnees = {"identifiant": f"{role.value}.{perimetre}@ac-toulouse.fr", "nom_affiche": "Essai", "role": role.value, **valeurs}
            if perimetre in attendus.get(role, {"academie"}):
                u = demo.get(Utilisateur, comptes.creer_compte(demo, acteurs["admin"], donnees, envoyer=False))
                assert (u.uai, u.departement_code) == (valeurs.get("uai"), valeurs.get("departement")), (role, perimetre)
            else:
                with pytest.raises(ErreursSaisie):
                    comptes.creer_compte(demo, acteurs["admin"], donnees)
                assert demo.exec(select(Utilisateur).where(Utilisateur.identifiant == donnees["identifiant"])).first() is None


def test_uai_ou_departement_inconnus_refuses(demo, acteurs):
    with pytest.raises(ErreursSaisie, match="n'est pas dans l'annuaire"):
        comptes.creer_compte(demo, acteurs["admin"], {"identifiant": "a@ac-toulouse.fr", "nom_affiche": "A", "role": "porteur",
                                                      "uai": UAI_INCONNU})
    with pytest.raises(ErreursSaisie, match="n'est pas un département"):
        comptes.creer_compte(demo, acteurs["admin"], {"identifiant": "a@ac-toulouse.fr", "nom_affiche": "A", "role": "dsden",
                                                      "departement": "75"})


def test_recherche_et_filtres(demo, acteurs):
    admin = acteurs["admin"]
    assert {c.identifiant for c in comptes.comptes(demo, admin, recherche="TILLEULS")} == {
        "directrice.tilleuls@ac-toulouse.fr", "enseignante.tilleuls@ac-toulouse.fr"}
    assert {c.role for c in comptes.comptes(demo, admin, role=Role.DSDEN)} == {Role.DSDEN}
    assert {c.identifiant for c in comptes.comptes(demo, admin, perimetre="81")} == {
        "dsden81@ac-toulouse.fr", "principal.jaures@ac-toulouse.fr", "gestionnaire.jaures@ac-toulouse.fr"}
    academie = comptes.comptes(demo, admin, perimetre="academie")
    assert academie and all(c.perimetre in ("académie", "ses ateliers") for c in academie)
    comptes.desactiver_compte(demo, admin, _compte(demo, "comite@ac-toulouse.fr").id)
    assert [c.identifiant for c in comptes.comptes(demo, admin, actif=False)] == ["comite@ac-toulouse.fr"]
    authentifier(demo, "pilote@ac-toulouse.fr", MOT_DE_PASSE_DEMO)
    (pilote,) = comptes.comptes(demo, admin, recherche="pilote@")
    assert pilote.derniere_connexion is not None


def test_chaque_academie_administre_ses_comptes(demo, acteurs):
    """Montpellier's accounts are neither listed nor edited from Toulouse, and a Toulouse account cannot be given a
    Montpellier school or département; a Montpellier administrator creates accounts of Montpellier."""
    semer_montpellier(demo)
    admin = acteurs["admin"]
    montpellier = _compte(demo, "directeur.aubes@ac-montpellier.fr")
    assert not comptes.comptes(demo, admin, recherche="ac-montpellier")
    with pytest.raises(ErreursSaisie, match="n'existe pas dans votre académie"):
        comptes.desactiver_compte(demo, admin, montpellier.id)
    with pytest.raises(ErreursSaisie, match="n'est pas dans l'annuaire"):
        comptes.creer_compte(demo, admin, {"identifiant": "b@ac-toulouse.fr", "nom_affiche": "B", "role": "porteur",
                                           "uai": ECOLE_MONTPELLIER})
    with pytest.raises(ErreursSaisie, match="n'est pas un département"):
        comptes.creer_compte(demo, admin, {"identifiant": "b@ac-toulouse.fr", "nom_affiche": "B", "role": "dsden",
                                           "departement": "34"})
    nouveau = comptes.creer_compte(demo, admin, {"identifiant": "b@ac-toulouse.fr", "nom_affiche": "B", "role": "dsden",
                                                 "departement": "81"})
    assert demo.get(Utilisateur, nouveau).academie_code == "toulouse"
    demo.add(Utilisateur(identifiant="admin@ac-montpellier.fr", nom_affiche="Administrateur (Montpellier)",
                         role=Role.ADMIN.value, academie_code="montpellier", mot_de_passe_hash="!"))
    demo.commit()
    admin_m = acteur_de(_compte(demo, "admin@ac-montpellier.fr"))
    assert {c.identifiant for c in comptes.comptes(demo, admin_m)} >= {"directeur.aubes@ac-montpellier.fr"}
    assert not [c for c in comptes.comptes(demo, admin_m) if c.identifiant.endswith("ac-toulouse.fr")]
    cree = comptes.creer_compte(demo, admin_m, {"identifiant": "c@ac-montpellier.fr", "nom_affiche": "C", "role": "porteur",
                                                "uai": ECOLE_MONTPELLIER})
    assert demo.get(Utilisateur, cree).academie_code == "montpellier"
    assert acteur_de(demo.get(Utilisateur, cree)).academie == "montpellier"

def test_le_directeur_invite_un_delegue_qui_prepare_sans_deposer(demo, acteurs):
    uid = comptes.inviter_delegue(demo, acteurs["porteur"], {"identifiant": "adjoint.tilleuls@ac-toulouse.fr", "nom_affiche": "Léo Adjoint"})
    u = demo.get(Utilisateur, uid)
    assert (u.role, u.uai, u.peut_deposer, u.equipe_uai) == ("porteur", ECOLE_PORTEUR, False, ECOLE_PORTEUR)
    assert not acteur_de(u).peut_deposer
    corps = demo.exec(select(Notification.corps).where(Notification.destinataire == u.identifiant)).one()
    assert "Claire Martin" in corps and "préparer le dossier" in corps
    assert [m.identifiant for m in comptes.equipe(demo, acteurs["porteur"])] == [u.identifiant]
    comptes.retirer_membre(demo, acteurs["porteur"], uid)
    demo.refresh(u)
    assert not u.actif and [m.actif for m in comptes.equipe(demo, acteurs["porteur"])] == [False]
    with pytest.raises(ErreursSaisie, match="déjà servi"):  # the link sent before the withdrawal no longer opens it
        comptes.choisir_mot_de_passe(demo, _jeton_envoye(demo, u.identifiant), {"mot_de_passe": BON_MOT_DE_PASSE,
                                                                                "confirmation": BON_MOT_DE_PASSE})
    assert [len(_journal(demo, a)) for a in ("inviter_delegue", "retirer_membre")] == [1, 1]


def test_le_directeur_invite_un_intervenant_de_son_atelier(demo, acteurs, intervenant_de_l_ecole):
    (invitable,) = comptes.intervenants_invitables(demo, acteurs["porteur"])
    assert (invitable.id, invitable.a_un_compte) == (intervenant_de_l_ecole.id, False)
    uid = comptes.inviter_intervenant(demo, acteurs["porteur"], invitable.id)
    u = demo.get(Utilisateur, uid)
    assert (u.role, u.intervenant_id, u.identifiant, u.equipe_uai) == ("intervenant", invitable.id, "lina.berger@ac-toulouse.fr", ECOLE_PORTEUR)
    with pytest.raises(ErreursSaisie, match="déjà un compte"):
        comptes.inviter_intervenant(demo, acteurs["porteur"], invitable.id)
    with pytest.raises(AccesRefuse):  # not engaged on the Jaurès atelier
        comptes.inviter_intervenant(demo, acteurs["porteur81"], invitable.id)
    with pytest.raises(AccesRefuse):  # another school's head cannot withdraw her
        comptes.retirer_membre(demo, acteurs["porteur81"], uid)
    assert demo.get(Utilisateur, uid).actif


# --- Who may do what: every action from every role and scope ------------------------------------------


def _actions(session, acteurs, cible_equipe: int, intervenant_id: int | None):
    n = iter(range(10_000))
    cible = _compte(session, "comite@ac-toulouse.fr").id

    def adresse() -> str:
        return f"essai{next(n)}@ac-toulouse.fr"

    return {
        "creer_compte": ({Role.ADMIN},
                         lambda a: comptes.creer_compte(session, a, {"identifiant": adresse(), "nom_affiche": "E", "role": "casnav"})),
        "modifier_compte": ({Role.ADMIN}, lambda a: comptes.modifier_compte(session, a, cible, {
            "identifiant": "comite@ac-toulouse.fr", "nom_affiche": f"Comité {next(n)}", "role": "comite"})),
        "desactiver_compte": ({Role.ADMIN}, lambda a: comptes.desactiver_compte(session, a, cible)),
        "reactiver_compte": ({Role.ADMIN}, lambda a: comptes.reactiver_compte(session, a, cible)),
        "envoyer_lien_compte": ({Role.ADMIN}, lambda a: comptes.envoyer_lien(session, a, _compte(session, "pilote@ac-toulouse.fr").id)),
        "import_comptes": ({Role.ADMIN}, lambda a: comptes.importer_comptes(
            session, a, f"identifiant;nom;role;uai\n{adresse()};X;porteur;{ECOLE_PORTEUR}\n".encode())),
        "inviter_delegue": ("chef", lambda a: comptes.inviter_delegue(session, a, {"identifiant": adresse(), "nom_affiche": "D"})),
        "inviter_intervenant": ("tilleuls", lambda a: comptes.inviter_intervenant(session, a, intervenant_id, adresse())),
        "retirer_membre": ("tilleuls", lambda a: comptes.retirer_membre(session, a, cible_equipe)),
    }


def _autorise(regle, acteur) -> bool:
    if regle == "chef":  # any head who files, for their own school
        return acteur.role == Role.PORTEUR and acteur.uai is not None and acteur.peut_deposer
    if regle == "tilleuls":  # the head of the school (who files), nobody else: not the delegate, not another school
        return acteur.role == Role.PORTEUR and acteur.uai == ECOLE_PORTEUR and acteur.peut_deposer
    return acteur.role in regle


ACTIONS = ["creer_compte", "modifier_compte", "desactiver_compte", "reactiver_compte", "envoyer_lien_compte", "import_comptes",
           "inviter_delegue", "inviter_intervenant", "retirer_membre"]


@pytest.mark.parametrize("cle", ACTIONS)
def test_matrice_des_droits(demo, acteurs, intervenant_de_l_ecole, cle):
    """Each action tried by every demo account (every role, a school's head and its delegate, another school's head,
    two départements): allowed exactly for its holders; a refusal writes nothing."""
    tous = {**acteurs, "delegue": _delegue(demo)}
    membre = comptes.inviter_delegue(demo, acteurs["porteur"], {"identifiant": "membre@ac-toulouse.fr", "nom_affiche": "M"})
    regle, faire = _actions(demo, acteurs, membre, intervenant_de_l_ecole.id)[cle]
    if cle == "reactiver_compte":  # reactivating an active account changes nothing, hence leaves no trace
        comptes.desactiver_compte(demo, acteurs["admin"], _compte(demo, "comite@ac-toulouse.fr").id)
    for nom, acteur in sorted(tous.items(), key=lambda kv: _autorise(regle, kv[1])):  # the refusals first
        avant = (demo.exec(select(func.count()).select_from(Utilisateur)).one(),
                 demo.exec(select(func.count()).select_from(Notification)).one(), len(_journal(demo, cle)))
        if _autorise(regle, acteur):
            faire(acteur)
            assert len(_journal(demo, cle)) == avant[2] + 1, nom
        else:
            with pytest.raises(AccesRefuse):
                faire(acteur)
            demo.rollback()
            assert (demo.exec(select(func.count()).select_from(Utilisateur)).one(),
                    demo.exec(select(func.count()).select_from(Notification)).one(), len(_journal(demo, cle))) == avant, nom
    assert OPERATIONS_COMPTES >= set(ACTIONS)


OPERATIONS_COMPTES = {k for k, op in __import__("workflow.noyau.operations", fromlist=["OPERATIONS"]).OPERATIONS.items()
                      if op.fonction is not None and op.fonction.__module__ == "workflow.comptes"}


def test_chaque_operation_des_comptes_est_dans_la_matrice():
    assert OPERATIONS_COMPTES - {"choisir_mot_de_passe"} == set(ACTIONS)


# --- The CSV import ---------------------------------------------------------------------------------

ENTETE = "identifiant;nom;role;uai;prepare_seulement"


def _bonne_ligne(i: int) -> str:
    """A good line: odd ones are heads (one in three of them a delegate who only prepares), even ones bursars."""
    return f"personne{i}@ac-toulouse.fr;Personne {i};{'porteur' if i % 2 else 'gestionnaire'};{ECOLE_PORTEUR};{'oui' if i % 6 == 1 else ''}"


MAUVAISES = {
    "role inconnu": "x{i}@ac-toulouse.fr;X;pilote;" + ECOLE_PORTEUR + ";",
    "adresse invalide": "pas-une-adresse;X;porteur;" + ECOLE_PORTEUR + ";",
    "UAI faux": "x{i}@ac-toulouse.fr;X;porteur;" + UAI_FAUX + ";",
    "UAI inconnu": "x{i}@ac-toulouse.fr;X;porteur;" + UAI_INCONNU + ";",
    "nom vide": "x{i}@ac-toulouse.fr;;porteur;" + ECOLE_PORTEUR + ";",
    "compte existant": "pilote@ac-toulouse.fr;X;porteur;" + ECOLE_PORTEUR + ";",
    "délégation illisible": "x{i}@ac-toulouse.fr;X;porteur;" + ECOLE_PORTEUR + ";peut-être",
    "délégation d'un gestionnaire": "x{i}@ac-toulouse.fr;X;gestionnaire;" + ECOLE_PORTEUR + ";oui",
    "cellule en trop": "x{i}@ac-toulouse.fr;X;porteur;" + ECOLE_PORTEUR + ";;en trop",
    "caractère de contrôle": "x{i}@ac-toulouse.fr;X\x07;porteur;" + ECOLE_PORTEUR + ";",
    "gestionnaire sans UAI": "x{i}@ac-toulouse.fr;X;gestionnaire;;",
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(bonnes=st.integers(min_value=0, max_value=12), mauvaises=st.lists(
    st.tuples(st.integers(min_value=0, max_value=12), st.sampled_from(sorted(MAUVAISES))), min_size=1, max_size=4))
def test_import_refuse_en_entier_avec_les_numeros_de_ligne(demo, acteurs, bonnes, mauvaises):
    lignes = [_bonne_ligne(i) for i in range(bonnes)]
    for position, sorte in mauvaises:
        lignes.insert(min(position, len(lignes)), MAUVAISES[sorte].format(i=position))
    numeros = [i + 2 for i, ligne in enumerate(lignes) if ligne not in {_bonne_ligne(j) for j in range(bonnes)}]
    avant = demo.exec(select(func.count()).select_from(Utilisateur)).one(), demo.exec(select(func.count()).select_from(Notification)).one()
    with pytest.raises(ErreursSaisie) as refus:
        comptes.importer_comptes(demo, acteurs["admin"], "\n".join([ENTETE, *lignes]).encode())
    demo.rollback()
    cites = [int(m) for m in re.findall(r"^Ligne (\d+) :", "\n".join(refus.value.messages), re.M)]
    assert cites == numeros and refus.value.messages[-1].startswith("Rien n'a été importé")
    assert (demo.exec(select(func.count()).select_from(Utilisateur)).one(),
            demo.exec(select(func.count()).select_from(Notification)).one()) == avant


def test_deux_fois_la_meme_adresse_dans_le_fichier(demo, acteurs):
    contenu = f"{ENTETE}\n{_bonne_ligne(1)}\n{_bonne_ligne(2)}\n{_bonne_ligne(1)}\n".encode()
    with pytest.raises(ErreursSaisie, match="^Ligne 4 : .*figure déjà ligne 2"):
        comptes.importer_comptes(demo, acteurs["admin"], contenu)


@pytest.mark.parametrize("contenu, message", [
    (b"identifiant;nom;uai\nx@ac-toulouse.fr;X;0310001A\n", "Ligne 1 : colonne(s) manquante(s) : role"),
    (f"{ENTETE}\nd\xe9l\xe9gu\xe9@ac-toulouse.fr;X;porteur;{ECOLE_PORTEUR};\n".encode("latin-1"), "Ligne 2 : le fichier n'est pas encodé en UTF-8"),
    (f"{ENTETE}\n".encode(), "aucune ligne de compte"),
])
def test_import_fichier_illisible(demo, acteurs, contenu, message):
    with pytest.raises(ErreursSaisie, match=re.escape(message)):
        comptes.importer_comptes(demo, acteurs["admin"], contenu)


def test_import_cree_les_comptes_et_leurs_liens(demo, acteurs):
    lignes = [_bonne_ligne(i) for i in range(1, 6)]
    rapport = comptes.importer_comptes(demo, acteurs["admin"], ("\ufeff" + "\n".join([ENTETE.replace(";", ","),
                                                                                     *(li.replace(";", ",") for li in lignes)])).encode())
    assert (rapport.lignes, rapport.crees) == (5, 5)
    crees = {u.identifiant: u for u in demo.exec(select(Utilisateur).where(Utilisateur.identifiant.like("personne%")))}
    assert {i: (u.role, u.peut_deposer) for i, u in crees.items()} == {
        f"personne{i}@ac-toulouse.fr": ("porteur" if i % 2 else "gestionnaire", i % 6 != 1) for i in range(1, 6)}
    assert set(demo.exec(select(Notification.destinataire).where(Notification.type_notification == "lien_compte"))) == set(crees)
    (trace,) = _journal(demo, "import_comptes")
    assert trace.details["crees"] == 5 and sorted(trace.details["identifiants"]) == sorted(crees)


# --- Links: single use, expiry, hashed, masked --------------------------------------------------------


def _aware(instant: datetime) -> datetime:
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(deja_choisi=st.booleans(), minutes=st.integers(min_value=-5, max_value=5) | st.integers(min_value=-5000, max_value=5000))
def test_un_lien_expire_a_son_heure(demo, acteurs, horloge, deja_choisi, minutes):
    """Invitation 72 h (no password yet), reset 2 h (a password already chosen): usable strictly before, refused after."""
    depart = datetime(2025, 9, 20, 9, 0, tzinfo=UTC)
    horloge(depart)
    u = _compte(demo, "pilote@ac-toulouse.fr" if deja_choisi else "daeps@ac-toulouse.fr")
    if not deja_choisi:
        u.mot_de_passe_hash = comptes.SANS_MOT_DE_PASSE
        demo.add(u)
        demo.commit()
    comptes.envoyer_lien(demo, acteurs["admin"], u.id)
    jeton = _jeton_envoye(demo, u.identifiant)
    duree = timedelta(hours=2 if deja_choisi else 72)
    horloge(depart + duree + timedelta(minutes=minutes))
    etat = comptes.lien(demo, jeton)
    assert etat.valide == (minutes < 0)
    if minutes >= 0:
        assert etat.message == comptes.LIEN_EXPIRE
        with pytest.raises(ErreursSaisie, match="expiré"):
            comptes.choisir_mot_de_passe(demo, jeton, {"mot_de_passe": BON_MOT_DE_PASSE, "confirmation": BON_MOT_DE_PASSE})


def test_un_lien_ne_sert_qu_une_fois_et_le_dernier_seul_compte(demo, acteurs, horloge):
    u = _compte(demo, "pilote@ac-toulouse.fr")
    comptes.envoyer_lien(demo, acteurs["admin"], u.id)
    premier = _jeton_envoye(demo, u.identifiant)
    horloge(datetime(2025, 9, 20, 9, 5, tzinfo=UTC))
    comptes.envoyer_lien(demo, acteurs["admin"], u.id)
    second = _jeton_envoye(demo, u.identifiant)
    assert premier != second and comptes.lien(demo, premier).message == comptes.LIEN_UTILISE
    saisie = {"mot_de_passe": BON_MOT_DE_PASSE, "confirmation": BON_MOT_DE_PASSE}
    comptes.choisir_mot_de_passe(demo, second, saisie)
    with pytest.raises(ErreursSaisie, match="déjà servi"):
        comptes.choisir_mot_de_passe(demo, second, saisie | {"mot_de_passe": "Encore une autre 2025 !", "confirmation": "Encore une autre 2025 !"})
    assert authentifier(demo, u.identifiant, BON_MOT_DE_PASSE).id == u.id
    with pytest.raises(EchecConnexion):
        authentifier(demo, u.identifiant, MOT_DE_PASSE_DEMO)
    assert comptes.lien(demo, "n-importe-quoi").message == comptes.LIEN_INCONNU
    assert comptes.lien(demo, "").message == comptes.LIEN_INCONNU


def test_un_mot_de_passe_faible_est_refuse_et_le_lien_reste_valable(demo, acteurs):
    u = _compte(demo, "pilote@ac-toulouse.fr")
    comptes.envoyer_lien(demo, acteurs["admin"], u.id)
    jeton = _jeton_envoye(demo, u.identifiant)
    for faible, raison in [("court1A!", "au moins 12"), ("tout en minuscules", "trois sortes"),
                           ("Pilote@2025-pilote", "ni votre identifiant"), ("Aa1!Aa1!Aa1!Aa1!", "répétitif")]:
        with pytest.raises(ErreursSaisie, match=raison):
            comptes.choisir_mot_de_passe(demo, jeton, {"mot_de_passe": faible, "confirmation": faible})
    with pytest.raises(ErreursSaisie, match="diffèrent"):
        comptes.choisir_mot_de_passe(demo, jeton, {"mot_de_passe": BON_MOT_DE_PASSE, "confirmation": BON_MOT_DE_PASSE + "x"})
    assert comptes.lien(demo, jeton).valide


@settings(max_examples=20, deadline=None)
@given(texte=st.text(min_size=12, max_size=40))
def test_un_mot_de_passe_accepte_passe_le_hachage(texte):
    """Whatever the rule accepts, the hasher accepts (its own minimum length is the same)."""
    from workflow.noyau.auth import hacher

    if not refus_du_mot_de_passe(texte):
        assert hacher(texte).startswith("$argon2id$")


def test_le_jeton_ne_reste_que_dans_le_courriel_envoye(demo, acteurs, smtp):
    u = _compte(demo, "pilote@ac-toulouse.fr")
    comptes.envoyer_lien(demo, acteurs["admin"], u.id)
    jeton = _jeton_envoye(demo, u.identifiant)
    assert jeton not in masquer_jetons(demo.exec(select(Notification.corps)).one())
    assert envoyer_en_attente(demo, datetime.now(UTC)).envoyes == 1
    (recu,) = smtp.recus
    assert f"jeton={jeton}" in recu.get_content()
    demo.expire_all()
    assert jeton not in demo.exec(select(Notification.corps)).one()  # the stored copy of the sent mail is masked
    assert comptes.lien(demo, jeton).valide  # and the link still works
