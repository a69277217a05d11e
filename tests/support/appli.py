"""The app through Streamlit's AppTest (no browser): opened as an actor on a page, its texts read, a button found by
its label. Used by the page tests and by the phases' tests that check what a page shows."""

from datetime import UTC, datetime

from streamlit.testing.v1 import AppTest

from tests.conftest import RACINE

APP = str(RACINE / "app.py")


def ouvrir_application(acteur=None, page: str | None = None, delai: float = 30) -> AppTest:
    """The app run once, logged in as `acteur` if given, then on `page` if given."""
    at = AppTest.from_file(APP, default_timeout=delai)
    if acteur is not None:
        at.session_state["acteur"] = acteur
        at.session_state["derniere_activite"] = datetime.now(UTC)
    at.run()
    return at.switch_page(page).run() if page else at


def textes_de(at: AppTest) -> str:
    morceaux = [*(e.value for e in at.title), *(e.value for e in at.markdown), *(e.value for e in at.caption),
                *(e.value for e in at.error), *(e.value for e in at.info), *(e.value for e in at.success),
                *(e.value for e in at.warning), *(e.value for e in at.header),
                *(e.value for e in at.subheader)]
    return "\n".join(str(m) for m in morceaux)


def bouton(at: AppTest, libelle: str):
    (trouve,) = [b for b in at.button if b.label == libelle]
    return trouve


def cliquer_depuis_la_page_d_avant(at: AppTest, bouton_d_avant) -> None:
    """The click a browser still sends from the page as drawn before the last run (a double click's second click): the
    widgets as now drawn, plus a click on a button of the earlier tree (AppTest has no public call for it)."""
    etats = at._tree.get_widget_states()
    clic = etats.widgets.add()
    clic.id, clic.trigger_value = bouton_d_avant.id, True
    at._run(widget_state=etats)
