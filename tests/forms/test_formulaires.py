"""Form models: UAI check letter, campaign calendar order, amounts, hostile text, French messages."""

from decimal import Decimal

import pytest
from pydantic_core import PydanticUndefined

from forms.base import ErreursSaisie, normaliser_uai, valider
from forms.campagne import CampagneForm
from forms.selection import AvisForm, DecisionForm

CAMPAGNE = {
    "annee_scolaire": "2025-2026", "date_ouverture": "2025-09-08", "date_limite_depot": "2025-10-03",
    "date_limite_avis_dasen": "2025-10-17", "date_copil": "2025-11-05", "date_notification": "2025-11-12",
    "date_debut_ateliers_min": "2025-11-17", "date_fin_ateliers": "2026-06-26",
    "date_limite_bilan_pedagogique": "2026-07-03", "date_limite_bilan_financier": "2026-07-10",
    "budget_p104": "120 000,50", "budget_en": "60000",
}


@pytest.mark.parametrize("uai", ["0572493A", "0780180X", "0750655E", " 0750655e "])
def test_uai_reels_valides(uai):
    assert normaliser_uai(uai) == uai.strip().upper()


@pytest.mark.parametrize(("uai", "message"), [
    ("0572493B", "lettre clé du code UAI 0572493B est fausse (attendue : A)"),
    ("057249A", "7 chiffres suivis d'une lettre"),
    ("05724931", "7 chiffres suivis d'une lettre"),
    ("", "7 chiffres suivis d'une lettre"),
])
def test_uai_invalides(uai, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        normaliser_uai(uai)


def test_campagne_valide_et_montants_a_la_francaise():
    c = valider(CampagneForm, CAMPAGNE)
    assert c.budget_p104 == Decimal("120000.50")
    assert c.budget_total == Decimal("180000.50")


def test_campagne_ordre_des_dates_impossible():
    donnees = CAMPAGNE | {"date_copil": "2025-10-10"}  # before the DASEN deadline
    with pytest.raises(ErreursSaisie) as exc:
        valider(CampagneForm, donnees)
    assert "« Comité de pilotage » doit être postérieure à « Date limite des avis DASEN »" in exc.value.messages[0]


@pytest.mark.parametrize(("valeur", "attendu"), [
    ("-5", "« Enveloppe programme 104 (Intérieur) » : doit être supérieur ou égal à 0."),
    ("abc", "« Enveloppe programme 104 (Intérieur) » : doit être un nombre (ex. 12,50)."),
    ("12,345", "« Enveloppe programme 104 (Intérieur) » : a trop de décimales (2 au plus)."),
])
def test_montant_negatif_ou_non_numerique(valeur, attendu):
    with pytest.raises(ErreursSaisie) as exc:
        valider(CampagneForm, CAMPAGNE | {"budget_p104": valeur})
    assert exc.value.messages == [attendu]


def test_annee_scolaire_mal_formee():
    with pytest.raises(ErreursSaisie, match="deux années consécutives"):
        valider(CampagneForm, CAMPAGNE | {"annee_scolaire": "2025-2027"})


def test_texte_hostile_conserve():
    texte = "R&D <b>gras</b> \"citation\" l'école\nligne 2 😀 العربية Кириллица"
    avis = valider(AvisForm, {"avis": "defavorable", "motivation": texte, "signataire": "X"})
    assert avis.motivation == texte
    # A control character is refused with the field's name (BEL would become a paragraph break in the document).
    with pytest.raises(ErreursSaisie, match=r"« Motivation » : contient un caractère de contrôle interdit \(U\+0007\)"):
        valider(AvisForm, {"avis": "defavorable", "motivation": texte + "\x07", "signataire": "X"})


def test_avis_non_favorable_exige_une_motivation():
    with pytest.raises(ErreursSaisie, match="Motivation"):
        valider(AvisForm, {"avis": "favorable_reserve", "signataire": "X"})
    assert valider(AvisForm, {"avis": "favorable", "signataire": "X"}).motivation == ""


@pytest.mark.parametrize(("donnees", "message"), [
    ({"decision": "retenu_sous_conditions", "heures_financees": "60", "montant_p104": "100"}, "Conditions"),
    ({"decision": "non_retenu"}, "Motif du refus"),
    ({"decision": "retenu"}, "heures et un montant financés"),
    ({"decision": "liste_attente", "heures_financees": "10"}, "Seul un dossier retenu"),
])
def test_decision_coherente(donnees, message):
    with pytest.raises(ErreursSaisie, match=message):
        valider(DecisionForm, donnees)


def test_champ_inconnu_refuse():
    with pytest.raises(ErreursSaisie, match="n'est pas un champ de ce formulaire"):
        valider(AvisForm, {"avis": "favorable", "signataire": "X", "pirate": 1})


def test_chaque_vocabulaire_porte_ses_libelles():
    """Every enumeration of the domain is a Vocabulaire, and each member carries a French label of its own: non-empty,
    without stray spaces, distinct within its vocabulary (two members read alike could not be told apart in a select
    box or a document)."""
    from enum import Enum

    from forms import vocabulaire
    from tests.support.codes_internes import vocabulaires

    declares = [o for o in vars(vocabulaire).values()
                if isinstance(o, type) and issubclass(o, Enum) and o.__module__ == vocabulaire.__name__ and o is not vocabulaire.Vocabulaire]
    assert declares and all(issubclass(e, vocabulaire.Vocabulaire) for e in declares), declares
    assert set(declares) < set(vocabulaires())  # LangueFiche, beside its data files, too
    for enum in vocabulaires():
        libelles = [membre.libelle for membre in enum]
        assert libelles and all(isinstance(t, str) and t and t == t.strip() for t in libelles), enum
        assert len(set(libelles)) == len(libelles), (enum, sorted(t for t in libelles if libelles.count(t) > 1))
        for membre in enum:  # the stored value is the member's, its label only what is read
            assert enum(membre.value) is membre and vocabulaire.libelle(membre) == membre.libelle
    assert vocabulaire.libelle("lundi") == "lundi" and vocabulaire.libelle(None) == "None"  # any other value as its text


def test_les_statuts_enregistres_restent_ceux_de_la_base():
    """The statuses of the outbox, the DAEPS review, the cumul authorisation and the pool requests are vocabularies
    whose values are the strings the database already holds (no migration): each fits its column, and the models'
    defaults are among them."""
    from db.models import DemandeProfil, Engagement, Notification, RevueDocument
    from forms.vocabulaire import StatutCumul, StatutDemandeProfil, StatutNotification, StatutRevue

    # (« differe », « regroupe »: a transition e-mail kept for, then quoted in, the daily digest)
    assert [s.value for s in StatutNotification] == ["en_attente", "envoi", "envoye", "echec", "differe", "regroupe"]
    assert [s.value for s in StatutRevue] == ["a_revoir", "approuve", "a_corriger"]  # « a_revoir »: no review stored yet
    assert [s.value for s in StatutCumul] == ["non_requis", "demande", "accorde", "refuse"]
    assert [s.value for s in StatutDemandeProfil] == ["ouverte", "proposee", "acceptee"]
    for modele, champ, vocabulaire in ((Notification, "statut", StatutNotification), (RevueDocument, "statut", StatutRevue),
                                       (Engagement, "statut_cumul", StatutCumul), (DemandeProfil, "statut", StatutDemandeProfil)):
        longueur = modele.__table__.c[champ].type.length
        assert all(len(s.value) <= longueur for s in vocabulaire), (modele, champ)
        defaut = modele.model_fields[champ].default
        assert defaut is PydanticUndefined or vocabulaire(defaut), (modele, champ)
