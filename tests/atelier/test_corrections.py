"""Issue 16, item 5: records people can correct. A séance is corrected (times, presences, « absent excusé ») or
cancelled with a reason until it is paid, and locked once liquidated; the sheet, the month's grid and the états de
service fait are produced again as new versions; a parent's record is corrected with its fiche produced again; every
change is in the history with who, why, before → after; the bilan counts cancellations and excused absences."""

from datetime import date, time
from decimal import Decimal
from fractions import Fraction
from functools import partial

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import delete, select

from db.models import Auditeur, Document, Dossier, Groupe, Presence, Seance, SeanceIntervenant, Transition, Utilisateur
from forms.base import ErreursSaisie
from infra import settings as reglages_oepre
from tests.support import semis_atelier
from tests.support.fabrique import executer_etape
from workflow.atelier import corrections, vues
from workflow.cloture import bilans
from workflow.etapes import ETAPES_PAR_CLE
from workflow.noyau.assiduite import assiduites
from workflow.noyau.auth import acteur_de
from workflow.noyau.moteur import EtapeRefusee
from workflow.noyau.permissions import AccesRefuse

GROUPE = semis_atelier.GROUPE
SOFIA = "Sofia ÁLVAREZ"
TAUX = Fraction("29.54")  # the demo's rate all year
JANVIER = date(2026, 1, 1)
ETAT_LIQUIDATIF = {"structure_payeuse": "Collège Jean-Jaurès", "mois": "2026-01-01", "imputation": "P104 — 0104-12"}


def montant_oracle(minutes: int) -> Decimal:
    """This file's own arithmetic: exact minutes × rate / 60, half up to the cent, once per séance."""
    x = Fraction(minutes) * TAUX / 60
    return Decimal(int(x * 100 + Fraction(1, 2))) / 100


@pytest.fixture
def tarn(demo, acteurs, monkeypatch):
    """The Tarn atelier (Sofia engaged on group A, four parents since 17/11/2025), today 27/02/2026."""
    dossier = semis_atelier.semer_dans(demo)
    monkeypatch.setenv("OEPRE_DATE_DU_JOUR", "2026-02-27")
    reglages_oepre.get_settings.cache_clear()
    return dossier


@pytest.fixture
def payeur(demo):
    return acteur_de(demo.exec(select(Utilisateur).where(Utilisateur.identifiant == "gestionnaire.jaures@ac-toulouse.fr")).one())


def _presences(statuts: dict[str, str]) -> list[dict]:
    return [{"nom": n, "prenom": p, "statut": statuts.get(p, "absent")} for n, p in semis_atelier.PARENTS]


def _enregistrer(demo, acteur, dossier, jour: date, debut="14:00", fin="16:00", statuts=None) -> Seance:
    executer_etape(demo, acteur, "enregistrer_seance", dossier, groupe=GROUPE, date_seance=jour.isoformat(),
                   heure_debut=debut, heure_fin=fin, axes=["langue"], intervenants=[SOFIA],
                   presences=_presences(statuts or {}))
    return demo.exec(select(Seance).where(Seance.date_seance == jour, Seance.heure_debut == time.fromisoformat(debut),
                                          Seance.annulee.is_(False))).one()


def _corriger(demo, acteur, dossier, seance: Seance, motif="Heure de fin mal saisie", **valeurs):
    demo.refresh(seance)
    donnees = corrections.valeurs_seance(demo, seance) | {"seance_id": seance.id, "motif": motif} | valeurs
    return executer_etape(demo, acteur, "corriger_seance", dossier, **donnees)


def _annuler(demo, acteur, dossier, seance: Seance, motif="Intervenante malade, séance non tenue"):
    demo.refresh(seance)
    donnees = corrections.valeurs_seance(demo, seance) | {"seance_id": seance.id, "motif": motif}
    return executer_etape(demo, acteur, "annuler_seance", dossier, **donnees)


def _versions(demo, dossier, type_document: str) -> list[tuple[str, int]]:
    return sorted(demo.exec(select(Document.concerne, Document.version).where(
        Document.dossier_id == dossier.id, Document.type_document == type_document, Document.format == "docx")).all())


def _brut_de_janvier(demo, acteur, dossier) -> Decimal:
    mois = vues.mois_de_paie(demo, acteur, dossier.id, JANVIER)
    return sum((s.brut for s in mois.services), Decimal("0"))


def test_une_seance_corrigee_change_la_paie_avant_liquidation_puis_se_verrouille(demo, acteurs, tarn, payeur):
    porteur = acteurs["porteur81"]
    seance = _enregistrer(demo, porteur, tarn, date(2026, 1, 13), statuts={"Amina": "present", "Léa": "present"})
    executer_etape(demo, porteur, "imprimer_emargement_mensuel", tarn, groupe=GROUPE, mois="2026-01-01")
    executer_etape(demo, porteur, "certifier_service_fait", tarn, intervenant=SOFIA, mois="2026-01-01",
                   certifie_par="Marc Durand")
    assert _brut_de_janvier(demo, porteur, tarn) == montant_oracle(120) == Decimal("59.08")

    _corriger(demo, porteur, tarn, seance, heure_fin="15:20",
              presences=_presences({"Amina": "present", "Léa": "absent_excuse"}))
    assert _brut_de_janvier(demo, porteur, tarn) == montant_oracle(80) == Decimal("39.39")
    # The sheet, the month's grid and the état de service fait: each a second version of itself.
    assert _versions(demo, tarn, "feuille_emargement") == [(f"{GROUPE} — 13/01/2026", 1), (f"{GROUPE} — 13/01/2026", 2)]
    assert _versions(demo, tarn, "emargement_mensuel") == [(f"{GROUPE} — janvier 2026", 1), (f"{GROUPE} — janvier 2026", 2)]
    assert _versions(demo, tarn, "etat_service_fait") == [(f"{SOFIA} — janvier 2026", 1), (f"{SOFIA} — janvier 2026", 2)]
    lea = demo.exec(select(Auditeur).where(Auditeur.prenom == "Léa")).one()
    suivi = assiduites(demo, [tarn.id])[lea.id]
    assert (suivi.minutes_presentes, suivi.minutes_proposees, suivi.absences_excusees) == (0, 80, 1)

    executer_etape(demo, payeur, "liquider", tarn, **ETAT_LIQUIDATIF)
    for essai in (lambda: _corriger(demo, porteur, tarn, seance, heure_fin="16:00"),
                  lambda: _annuler(demo, porteur, tarn, seance)):
        with pytest.raises(EtapeRefusee, match=r"La séance du 13/01/2026 est liquidée \(état liquidatif du 27/02/2026\) : "
                                               "ses heures sont payées, elle ne peut plus être corrigée ni annulée"):
            essai()
    demo.refresh(seance)
    assert (seance.minutes, seance.annulee) == (80, False)
    paye = demo.exec(select(SeanceIntervenant.montant_paye).where(SeanceIntervenant.seance_id == seance.id)).one()
    assert paye == Decimal("39.39") == _brut_de_janvier(demo, porteur, tarn)
    assert corrections.seance_a_corriger(demo, porteur, tarn.id, seance.id).verrou.startswith("Séance liquidée le 27/02/2026")

    (changement,) = corrections.historique_seance(demo, porteur, tarn.id, seance.id)
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    assert (changement.etape, changement.par, changement.motif) == ("corriger_seance", porteur.nom, "Heure de fin mal saisie")
    avant, apres = changement.details["avant"], changement.details["apres"]
    assert (avant["heure_fin"], avant["minutes"], apres["heure_fin"], apres["minutes"]) == ("16:00", 120, "15:20", 80)
    assert (avant["presences"][str(lea.id)], apres["presences"][str(lea.id)]) == ("present", "absent_excuse")
    assert avant["presences"][str(amina.id)] == apres["presences"][str(amina.id)] == "present"
    assert "Léa" not in str(changement.details) and "O'Brien" not in str(changement.details)  # ids, never names


def test_une_seance_annulee_n_est_ni_payee_ni_proposee_et_le_bilan_la_compte(demo, acteurs, tarn):
    porteur = acteurs["porteur81"]
    garde = _enregistrer(demo, porteur, tarn, date(2026, 1, 6), statuts={"Amina": "present", "Léa": "absent_excuse"})
    annulee = _enregistrer(demo, porteur, tarn, date(2026, 1, 13), statuts={"Amina": "present"})
    _annuler(demo, porteur, tarn, annulee)
    demo.refresh(annulee)
    assert (annulee.annulee, annulee.motif_annulation) == (True, "Intervenante malade, séance non tenue")
    assert _brut_de_janvier(demo, porteur, tarn) == montant_oracle(garde.minutes)
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    suivi = assiduites(demo, [tarn.id])[amina.id]
    assert (suivi.minutes_presentes, suivi.minutes_proposees) == (120, 120)
    chiffres = bilans.chiffres_bilans(demo, [tarn.id])[tarn.id]
    assert (chiffres.nb_seances, chiffres.nb_seances_annulees, chiffres.absences_excusees) == (1, 1, 1)
    assert chiffres.heures_realisees == Decimal("2.00")
    with pytest.raises(EtapeRefusee, match="La séance du 13/01/2026 est annulée"):
        _corriger(demo, porteur, tarn, annulee, heure_fin="15:00")
    (changement,) = corrections.historique_seance(demo, porteur, tarn.id, annulee.id)
    assert (changement.etape, changement.details["avant"]["annulee"], changement.details["apres"]["annulee"]) == (
        "annuler_seance", False, True)
    # The same séance recorded again, now that the mistaken one is cancelled, is accepted.
    _enregistrer(demo, porteur, tarn, date(2026, 1, 13))


@pytest.mark.parametrize("cle", ["corriger_seance", "annuler_seance"])
@pytest.mark.parametrize("motif", ["", "  ", "ok"])
def test_le_motif_est_exige(demo, acteurs, tarn, cle, motif):
    porteur = acteurs["porteur81"]
    seance = _enregistrer(demo, porteur, tarn, date(2026, 1, 13))
    faire = _corriger if cle == "corriger_seance" else _annuler
    with pytest.raises(ErreursSaisie, match="« Motif de l(a correction|'annulation) » : est obligatoire"):
        faire(demo, porteur, tarn, seance, motif=motif)
    assert demo.exec(select(Transition).where(Transition.etape == cle)).all() == []


def test_une_correction_sans_changement_est_refusee(demo, acteurs, tarn):
    seance = _enregistrer(demo, acteurs["porteur81"], tarn, date(2026, 1, 13))
    with pytest.raises(ErreursSaisie, match="Rien n'a changé"):
        _corriger(demo, acteurs["porteur81"], tarn, seance)


def test_une_correction_passe_les_controles_d_une_seance(demo, acteurs, tarn):
    """Its own old times never overlap it; another séance of the group at the new times does."""
    porteur = acteurs["porteur81"]
    seance = _enregistrer(demo, porteur, tarn, date(2026, 1, 13), "14:00", "16:00")
    _enregistrer(demo, porteur, tarn, date(2026, 1, 13), "16:30", "17:30")
    _corriger(demo, porteur, tarn, seance, heure_debut="14:30", heure_fin="16:15")
    with pytest.raises(EtapeRefusee, match="Cette séance est déjà enregistrée"):
        _corriger(demo, porteur, tarn, seance, heure_fin="17:00")


@pytest.mark.parametrize("cle", ["corriger_seance", "annuler_seance", "corriger_parent"])
@pytest.mark.parametrize("qui", ["porteur81", "intervenant", "porteur", "gestionnaire", "paie31", "dsden81", "daeps",
                                 "comite", "casnav", "pilote", "interieur", "admin"])
def test_qui_peut_corriger(demo, acteurs, tarn, cle, qui):
    """Exactly who records séances and parents (the head and the intervenant engaged here, the step's roles), on their
    own atelier: the head of another school and every other role are refused, and nothing changes."""
    seance = _enregistrer(demo, acteurs["porteur81"], tarn, date(2026, 1, 13))
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    if cle == "corriger_parent":
        donnees = corrections.parent_a_corriger(demo, acteurs["porteur81"], tarn.id, amina.id) | {
            "auditeur_id": amina.id, "motif": "Faute de frappe", "prenom": "Aminah"}
    else:
        donnees = corrections.valeurs_seance(demo, seance) | {"seance_id": seance.id, "motif": "Erreur de saisie",
                                                             "heure_fin": "15:00"}
    acteur = acteurs[qui]
    autorise = qui in ("porteur81", "intervenant")
    assert autorise == (acteur.role in ETAPES_PAR_CLE[cle].acteurs and qui != "porteur")  # the Tilleuls' head
    if autorise:
        executer_etape(demo, acteur, cle, tarn, **donnees)
    else:
        with pytest.raises(AccesRefuse):
            executer_etape(demo, acteur, cle, tarn, **donnees)
    demo.refresh(seance)
    demo.refresh(amina)
    attendu = {"corriger_seance": (60, False, "Amina"), "annuler_seance": (120, True, "Amina"),
               "corriger_parent": (120, False, "Aminah")}[cle] if autorise else (120, False, "Amina")
    assert (seance.minutes, seance.annulee, amina.prenom) == attendu
    assert len(demo.exec(select(Transition).where(Transition.etape == cle)).all()) == int(autorise)


def test_la_fiche_d_un_parent_corrigee_est_produite_a_nouveau(demo, acteurs, tarn):
    porteur = acteurs["porteur81"]
    lea = demo.exec(select(Auditeur).where(Auditeur.prenom == "Léa")).one()
    donnees = corrections.parent_a_corriger(demo, porteur, tarn.id, lea.id)
    resultat = executer_etape(demo, porteur, "corriger_parent", tarn, **donnees | {
        "auditeur_id": lea.id, "motif": "Langue de la fiche et groupe mal choisis", "langue_fiche": "ar",
        "groupe": "Groupe B — intermédiaires", "langues": "arabe, français"})
    demo.refresh(lea)
    groupe_b = demo.exec(select(Groupe).where(Groupe.dossier_id == tarn.id, Groupe.libelle == "Groupe B — intermédiaires")).one()
    assert (lea.langue_fiche, lea.groupe_id, lea.langues) == ("ar", groupe_b.id, ["Arabe", "Français"])
    (fiche,) = [demo.get(Document, i) for i in resultat.documents]
    assert (fiche.type_document, fiche.concerne, fiche.version) == ("fiche_inscription", "Léa O'Brien-Müller", 2)
    (t,) = demo.exec(select(Transition).where(Transition.etape == "corriger_parent")).all()
    assert (t.acteur_id, t.motif, t.donnees["auditeur_id"]) == (porteur.id, "Langue de la fiche et groupe mal choisis", lea.id)
    assert t.donnees["changements"]["langue_fiche"] == {"avant": "fr", "apres": "ar"}
    assert set(t.donnees["changements"]) == {"langue_fiche", "groupe_id", "langues"}
    # A name corrected is recorded as changed, never copied into the history.
    executer_etape(demo, porteur, "corriger_parent", tarn, **corrections.parent_a_corriger(demo, porteur, tarn.id, lea.id)
                   | {"auditeur_id": lea.id, "motif": "Faute de frappe dans le nom", "nom": "O'Brien-Muller"})
    dernier = demo.exec(select(Transition).where(Transition.etape == "corriger_parent").order_by(Transition.id.desc())).first()
    assert dernier.donnees["changements"] == {"nom": "modifié"} and "Muller" not in str(dernier.donnees)


def test_un_parent_present_ne_change_pas_de_groupe_sans_corriger_la_seance(demo, acteurs, tarn):
    porteur = acteurs["porteur81"]
    _enregistrer(demo, porteur, tarn, date(2026, 1, 13), statuts={"Amina": "present"})
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    donnees = corrections.parent_a_corriger(demo, porteur, tarn.id, amina.id) | {
        "auditeur_id": amina.id, "motif": "Changement de groupe", "groupe": "Groupe B — intermédiaires"}
    with pytest.raises(ErreursSaisie, match="a une présence enregistrée à la séance du 13/01/2026 d’un autre groupe"):
        executer_etape(demo, porteur, "corriger_parent", tarn, **donnees)



def test_une_date_d_inscription_corrigee_ne_passe_pas_apres_une_evaluation(demo, acteurs, tarn):
    porteur = acteurs["porteur81"]
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    executer_etape(demo, porteur, "evaluer_parent", tarn, auditeur_id=amina.id, moment="initiale",
                   date_evaluation=date(2025, 11, 20), niveau_oral="A1.1", niveau_ecrit="alpha")
    donnees = corrections.parent_a_corriger(demo, porteur, tarn.id, amina.id) | {
        "auditeur_id": amina.id, "motif": "Date d'inscription mal saisie", "date_inscription": date(2025, 12, 1)}
    with pytest.raises(ErreursSaisie, match="a été évalué\\(e\\) le 20/11/2025, avant cette date"):
        executer_etape(demo, porteur, "corriger_parent", tarn, **donnees)
    executer_etape(demo, porteur, "corriger_parent", tarn, **donnees | {"date_inscription": date(2025, 11, 20)})
    demo.refresh(amina)
    assert amina.date_inscription == date(2025, 11, 20)

# --- Property: any sequence of recordings, corrections, cancellations and a liquidation ----------------------------

_JOURS = (date(2026, 1, 6), date(2026, 1, 13), date(2026, 1, 20))
_HORAIRES = (("14:00", "16:00"), ("14:00", "15:20"), ("14:00", "15:50"), ("13:45", "16:10"))
_STATUTS = st.sampled_from(["present", "absent", "absent_excuse"])
_OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("enregistrer"), st.integers(0, 2), st.integers(0, 3), st.tuples(_STATUTS, _STATUTS)),
    st.tuples(st.just("corriger"), st.integers(0, 2), st.integers(0, 3), st.tuples(_STATUTS, _STATUTS)),
    st.tuples(st.just("annuler"), st.integers(0, 2)),
    st.tuples(st.just("liquider"),)), min_size=1, max_size=7)


def _minutes(debut: str, fin: str) -> int:
    (h1, m1), (h2, m2) = (map(int, debut.split(":")), map(int, fin.split(":")))
    return h2 * 60 + m2 - h1 * 60 - m1


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=_OPERATIONS)
def test_propriete_paie_et_heures_apres_corrections(demo, acteurs, tarn, payeur, operations):
    """Against this test's own model of the séances: the month's pay and each parent's hours (attended, offered,
    excused), the bilan's cancellations, the amounts frozen at liquidation, never a rate above 100 %."""
    porteur = acteurs["porteur81"]
    amina, lea = (demo.exec(select(Auditeur).where(Auditeur.prenom == p)).one() for p in ("Amina", "Léa"))
    modele: dict[int, dict] = {}  # séance id → minutes, statuts (Amina, Léa), annulee, payee (amount frozen or None)
    try:
        for op in operations:
            vivante = {m["jour"]: i for i, m in modele.items() if not m["annulee"]}
            if op[0] == "liquider":
                a_payer = [i for i, m in modele.items() if not m["annulee"] and m["payee"] is None]
                if not a_payer:
                    continue
                executer_etape(demo, porteur, "certifier_service_fait", tarn, intervenant=SOFIA, mois="2026-01-01",
                               certifie_par="Marc Durand")
                executer_etape(demo, payeur, "liquider", tarn, **ETAT_LIQUIDATIF)
                for i in a_payer:
                    modele[i]["payee"] = montant_oracle(modele[i]["minutes"])
                continue
            jour = _JOURS[op[1]]
            if op[0] == "enregistrer":
                debut, fin = _HORAIRES[op[2]]
                if jour in vivante:
                    with pytest.raises(EtapeRefusee, match="Cette séance est déjà enregistrée"):
                        _enregistrer(demo, porteur, tarn, jour, debut, fin, {"Amina": op[3][0], "Léa": op[3][1]})
                    continue
                seance = _enregistrer(demo, porteur, tarn, jour, debut, fin, {"Amina": op[3][0], "Léa": op[3][1]})
                modele[seance.id] = {"jour": jour, "minutes": _minutes(debut, fin), "statuts": op[3], "annulee": False,
                                     "payee": None}
                continue
            if jour not in vivante:
                continue
            i = vivante[jour]
            seance = demo.get(Seance, i)
            if op[0] == "corriger":
                debut, fin = _HORAIRES[op[2]]
                faire = partial(_corriger, demo, porteur, tarn, seance, heure_debut=debut, heure_fin=fin,
                                presences=_presences({"Amina": op[3][0], "Léa": op[3][1]}))
                change = (_minutes(debut, fin), op[3]) != (modele[i]["minutes"], modele[i]["statuts"]) or \
                    f"{seance.heure_debut:%H:%M}" != debut
            else:
                faire, change = partial(_annuler, demo, porteur, tarn, seance), True
            if modele[i]["payee"] is not None:
                with pytest.raises(EtapeRefusee, match="est liquidée"):
                    faire()
            elif not change:
                with pytest.raises(ErreursSaisie, match="Rien n'a changé"):
                    faire()
            else:
                faire()
                if op[0] == "corriger":
                    modele[i].update(minutes=_minutes(debut, fin), statuts=op[3])
                else:
                    modele[i]["annulee"] = True

        vivantes = [m for m in modele.values() if not m["annulee"]]
        attendu = sum((montant_oracle(m["minutes"]) for m in vivantes), Decimal("0"))
        assert _brut_de_janvier(demo, porteur, tarn) == attendu
        payes = dict(demo.exec(select(SeanceIntervenant.seance_id, SeanceIntervenant.montant_paye)
                               .where(SeanceIntervenant.liquide_le.is_not(None))).all())
        assert payes == {i: m["payee"] for i, m in modele.items() if m["payee"] is not None}
        suivis = assiduites(demo, [tarn.id])
        for k, parent in enumerate((amina, lea)):
            suivi = suivis[parent.id]
            assert suivi.minutes_proposees == sum(m["minutes"] for m in vivantes)
            assert suivi.minutes_presentes == sum(m["minutes"] for m in vivantes if m["statuts"][k] == "present")
            assert suivi.absences_excusees == sum(1 for m in vivantes if m["statuts"][k] == "absent_excuse")
            assert 0 <= suivi.pourcentage() <= 100
        chiffres = bilans.chiffres_bilans(demo, [tarn.id])[tarn.id]
        assert (chiffres.nb_seances, chiffres.nb_seances_annulees) == (len(vivantes), len(modele) - len(vivantes))
        assert chiffres.taux_assiduite_pct <= 100
    finally:
        ids = list(demo.exec(select(Seance.id).join(Groupe, Groupe.id == Seance.groupe_id).where(Groupe.dossier_id == tarn.id)))
        demo.rollback()
        demo.exec(delete(Presence).where(Presence.seance_id.in_(ids)))
        demo.exec(delete(SeanceIntervenant).where(SeanceIntervenant.seance_id.in_(ids)))
        demo.exec(delete(Seance).where(Seance.id.in_(ids)))
        demo.commit()
        demo.refresh(demo.get(Dossier, tarn.id))
