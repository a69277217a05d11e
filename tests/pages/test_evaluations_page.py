"""The diagnostic evaluations on the parents page (AppTest): the parent chosen by name, the initial then the final
evaluation saved, a refusal that keeps what was typed, and the progress shown in the list."""

from datetime import date

from sqlmodel import select

from db.models import Auditeur, Evaluation
from forms.vocabulaire import MomentEvaluation
from tests.pages.test_pages import _atelier_81
from tests.support.appli import bouton, ouvrir_application


def test_evaluations_par_la_page(demo, acteurs, monkeypatch):
    _atelier_81(demo, acteurs, monkeypatch)  # « today » is 13 January 2026
    amina = demo.exec(select(Auditeur).where(Auditeur.prenom == "Amina")).one()
    at = ouvrir_application(acteurs["porteur81"], "pages/parents.py")
    assert not at.exception, at.exception
    assert at.selectbox(key="parents_evaluation_choix").value.prenom == "Amina"
    assert [o for o in at.selectbox(key=f"parents_evaluation_{amina.id}_initiale_niveau_oral").options] == [
        "Alphabétisation", "A1.1", "A1", "A2", "B1", "B2"]  # a person's levels: « Hétérogène » is not offered

    base = f"parents_evaluation_{amina.id}_initiale"
    at.selectbox(key=f"{base}_niveau_oral").set_value("A1.1")
    at.selectbox(key=f"{base}_niveau_ecrit").set_value("alpha")
    at.date_input(key=f"{base}_date_evaluation").set_value(date(2025, 11, 18))
    at.text_area(key=f"{base}_commentaire").input("Comprend les consignes orales simples.")
    bouton(at, "Enregistrer l'évaluation initiale").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    demo.expire_all()
    (initiale,) = demo.exec(select(Evaluation)).all()
    assert (initiale.niveau_oral, initiale.niveau_ecrit, initiale.date_evaluation) == ("A1.1", "alpha", date(2025, 11, 18))

    # Saved again, it would be corrected; the final one, dated before the initial one, is refused and nothing is lost.
    assert "l'enregistrer à nouveau la corrige" in " ".join(c.value for c in at.caption)
    at.radio(key=f"parents_evaluation_moment_{amina.id}").set_value(MomentEvaluation.FINALE).run()
    base = f"parents_evaluation_{amina.id}_finale"
    at.selectbox(key=f"{base}_niveau_oral").set_value("A2")
    at.selectbox(key=f"{base}_niveau_ecrit").set_value("A1.1")
    at.date_input(key=f"{base}_date_evaluation").set_value(date(2025, 11, 10))
    bouton(at, "Enregistrer l'évaluation finale").click().run()
    assert any("ne peut précéder l'évaluation initiale" in e.value for e in at.error)
    assert at.selectbox(key=f"{base}_niveau_oral").value == "A2"
    at.date_input(key=f"{base}_date_evaluation").set_value(date(2026, 1, 12))
    bouton(at, "Enregistrer l'évaluation finale").click().run()
    assert not at.error, [e.value for e in at.error]
    tableau = at.dataframe[-1].value
    ligne = tableau[tableau["Prénom"] == "Amina"].iloc[0]
    assert (ligne["Progrès à l'oral"], ligne["Progrès à l'écrit"]) == ("+2 niveaux", "+1 niveau")
