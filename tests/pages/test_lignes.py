"""Every list-of-rows field the form renderer shows as a grid (each user field `list[Model]` of each form of the
step table) round-trips through the real st.data_editor with its types, whatever wrote the stored rows: the grid
itself, a filing's JSON dump, typed Python, or something unexpected (emptied, said in French, never a traceback)."""

from datetime import date, time
from decimal import Decimal

import pytest
from streamlit.testing.v1 import AppTest

from forms.lignes import genre, modele_de_lignes, vers_grille, vers_json
from workflow.etapes import ETAPES


def _champs_en_grille():
    vus = {}
    for etape in ETAPES:
        for nom, info in etape.form.model_fields.items():
            modele = modele_de_lignes(info.annotation)
            if modele is not None and not (info.json_schema_extra or {}).get("systeme"):
                vus[(etape.form.__name__, nom)] = (etape.form, nom, modele)
    return list(vus.values())


CHAMPS = _champs_en_grille()


def test_les_grilles_attendues_sont_couvertes():
    assert {(f.__name__, n) for f, n, _ in CHAMPS} >= {("CandidatureForm", "groupes"), ("CandidatureForm", "intervenants"),
                                                      ("ProcesVerbalForm", "membres_presents"), ("InscriptionForm", "enfants"),
                                                      ("SeanceForm", "presences")}


def _valeur(info, forme: str, n: int):
    """A value of the field's type, as `forme` writes it: "python" typed, "json" a filing's dump, "grille" what the old
    grid stored (text for numbers), "hostile" a value of another type."""
    sorte, type_ = genre(info.annotation)
    bornes = {attr: getattr(m, attr) for m in info.metadata for attr in ("ge", "le") if getattr(m, attr, None) is not None}
    entier = min(max(10 + n, bornes.get("ge", 0)), bornes.get("le", 1000))
    typees = {
        "texte": f"Ligne {n} & <b>« é »</b>", "entier": entier, "decimal": Decimal(f"{n}2.50"), "date": date(2025, 11, 17 + n),
        "heure": time(14, 15), "booleen": n % 2 == 0, "choix": list(type_)[n % len(type_)] if sorte == "choix" else None,
        "lignes": [{"jour": "mardi", "debut": time(14), "fin": time(16, 30)}],
    }
    v = typees[sorte]
    if forme == "python":
        return v
    if forme == "hostile":
        return {"texte": {"x": 1}, "entier": "quatorze", "decimal": ["12"], "date": "le 17 novembre", "heure": "midi",
                "booleen": "peut-être", "choix": "inconnu", "lignes": 42}[sorte]
    json = {"date": lambda: v.isoformat(), "heure": lambda: "14:15:00", "decimal": lambda: format(v, "f"),
            "choix": lambda: v.value, "lignes": lambda: [{"jour": "mardi", "debut": "14:00:00", "fin": "16:30:00"}]
            }.get(sorte, lambda: v)()
    if forme == "grille" and sorte in ("entier", "decimal"):
        return str(json).replace(".", ",")
    if forme == "grille" and sorte == "lignes":
        return "mardi 14:00-16:30"
    return json


def _lignes(modele, forme: str) -> list[dict]:
    return [{nom: _valeur(info, forme, n) for nom, info in modele.model_fields.items()} for n in range(2)]


def _grille(form, nom: str, lignes) -> AppTest:
    def script(form, nom, lignes):
        import streamlit as st

        from pages._commun.formulaires import champs_formulaire

        st.session_state["sortie"] = champs_formulaire(form, "essai", {nom: lignes}, inclure=(nom,))

    at = AppTest.from_function(script, kwargs={"form": form, "nom": nom, "lignes": lignes}, default_timeout=30)
    return at.run()


@pytest.mark.parametrize(("form", "nom", "modele"), CHAMPS, ids=[f"{f.__name__}.{n}" for f, n, _ in CHAMPS])
@pytest.mark.parametrize("forme", ["python", "json", "grille"])
def test_une_grille_relit_ses_lignes_avec_leurs_types(form, nom, modele, forme):
    stockees = _lignes(modele, forme)
    at = _grille(form, nom, stockees)
    assert not at.exception, at.exception[0].message
    assert not at.warning and not at.error
    rendues = at.session_state["sortie"][nom]
    attendues = vers_json(modele, _lignes(modele, "json"))
    assert len(rendues) == 2
    assert rendues == attendues  # one JSON form, whoever wrote the rows
    # the draft saved from the grid opens the grid again, unchanged
    reouverte = _grille(form, nom, rendues)
    assert not reouverte.exception and reouverte.session_state["sortie"][nom] == rendues


@pytest.mark.parametrize(("form", "nom", "modele"), CHAMPS, ids=[f"{f.__name__}.{n}" for f, n, _ in CHAMPS])
def test_une_valeur_inattendue_est_videe_et_dite_en_francais(form, nom, modele):
    stockees = _lignes(modele, "hostile")
    at = _grille(form, nom, stockees)
    assert not at.exception, at.exception[0].message
    avis = [w.value for w in at.warning]
    titre = form.model_fields[nom].title
    champs = [i.title for i in modele.model_fields.values()]
    assert len(avis) == 2 * len(champs)  # one sentence per emptied cell, none of them a traceback
    assert all(a.startswith(f"« {titre} n° ") and "saisissez-la à nouveau" in a for a in avis)
    assert {c for c in champs if any(f"› {c} »" in a for a in avis)} == set(champs)
    # the row itself is kept, as the grid had it: the person types the emptied cells again
    assert len(at.session_state["sortie"][nom]) <= 2


@pytest.mark.parametrize("stockees", ["n'importe quoi", 12, {"libelle": "A"}, [None, "texte", 3]])
def test_des_lignes_qui_ne_sont_pas_des_lignes(stockees):
    from forms.candidature import CandidatureForm, GroupeForm

    at = _grille(CandidatureForm, "groupes", stockees)
    assert not at.exception, at.exception[0].message
    assert all("n'ont pas pu être reprises" in w.value or "n'a pas pu être reprise" in w.value for w in at.warning)
    assert at.warning
    typees, _ = vers_grille(GroupeForm, stockees, "Groupes")
    assert typees == []
