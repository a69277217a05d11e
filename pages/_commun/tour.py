"""What a run of a page knows: the logged-in actor, the messages left for the next run, its forms' keys, and the
session it reads with (a refusal of the service stops the page in French)."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st
from streamlit import runtime
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from infra import base
from workflow.noyau.permissions import AccesRefuse, Acteur


def routeur() -> None:
    """Hand a run over to app.py when Streamlit ran this page's file by itself.

    Until a process has run st.navigation once, Streamlit treats an app that has a pages/ directory as one of its
    older multipage apps (a class-wide flag set when the first browser connects): a link opened first after a start
    (/comptes, /dossier?id=…) runs pages/comptes.py directly, without app.py's sign-in gate, and lists every file
    (« app », « accueil »…) as the menu. Clearing the flag and rerunning sends the same page (the same address, hence
    the same page hash: workflow.navigation) through app.py, which shows the sign-in page and then that page.
    Not under AppTest (its runtime is a stand-in): it resets the flag before every run and runs the page files themselves."""
    if PagesManager.uses_pages_directory and runtime.exists() and type(runtime.Runtime.instance()) is runtime.Runtime:
        PagesManager.uses_pages_directory = False
        st.rerun()


def acteur() -> Acteur:
    """The logged-in actor (app.py guarantees one on every page but the login page)."""
    a = st.session_state.get("acteur")
    if a is None:
        st.error("Session expirée : reconnectez-vous.")
        st.stop()
    return a


# What a run records after it has saved something (its messages, the next keys of its forms) is written in place, in
# a list and a dict of st.session_state fetched when the run starts: once a step is committed, any access to
# st.session_state is where Streamlit stops the run for a pending rerun — the second click of a double click — so that
# a message, or a form's new key, would be lost, and the second click would find the same form to send again.
ce_tour = threading.local()  # one script thread per run of a session


# A message stays on the page for the runs of the next few seconds, not for one run only: the second click of a double
# click starts a run that does nothing, and that run would wipe the « Brouillon enregistré. » the first click's run had
# just shown (the person saw it flash, and could not tell whether the save happened). It stays on its own page: opened
# within those seconds, another page does not show it (nor lose the state of its widgets when it goes).
DUREE_DES_MESSAGES = 4.0  # seconds


def _page_en_cours() -> str | None:
    """The page this run draws (its script's hash in Streamlit's run context): where the messages it leaves belong."""
    contexte = get_script_run_ctx()
    return contexte.page_script_hash if contexte else None


def afficher_messages() -> None:
    """The messages left by the runs of the last few seconds; and the containers this run records in (see above)."""
    maintenant, ici = time.monotonic(), _page_en_cours()
    restants: list = []
    for niveau, message, vu_a, sa_page in st.session_state.get("messages_flash", []):
        vu_a = maintenant if vu_a is None else vu_a
        if (maintenant - vu_a < DUREE_DES_MESSAGES and sa_page in (None, ici)
                and not any(r[:2] == (niveau, message) for r in restants)):
            getattr(st, niveau)(message)
            restants.append((niveau, message, vu_a, ici))
    st.session_state["messages_flash"] = restants
    ce_tour.messages = restants
    ce_tour.tours = st.session_state.setdefault("formulaires~tours", {})


def page() -> Acteur:
    """Start of every page: the actor, plus the messages left by the step run before the last rerun."""
    routeur()
    moi = ce_tour.acteur = acteur()  # for the steps this run executes, without reading st.session_state again
    afficher_messages()
    return moi


def flash(niveau: str, message: str) -> None:
    """A message shown at the top of the page by the next run (after st.rerun), and by those of the seconds after."""
    ce_tour.messages.append((niveau, message, None, _page_en_cours()))


def message_avant_la_page(niveau: str, message: str) -> None:
    """A message for the page this run is about to draw, left by app.py before the page starts (and its `ce_tour`)."""
    st.session_state.setdefault("messages_flash", []).append((niveau, message, None, None))


def session():
    return base.session()


@contextmanager
def lecture(*refus: type[Exception]) -> Iterator[Any]:
    """A session for what a page reads before it can draw anything: a refusal of the service (AccesRefuse, and the
    other `refus` the caller names) is shown as its French sentence and stops the page, since nothing below can be drawn."""
    try:
        with session() as s:
            yield s
    except (AccesRefuse, *refus) as exc:
        st.error(str(exc))
        st.stop()


def afficher_blocages(blocages) -> None:
    for b in blocages:
        (st.error if b.bloquant else st.warning)(b.message, icon=":material/block:" if b.bloquant else ":material/warning:")


def cle_de_formulaire(base: str) -> str:
    """The widget keys of a form that starts blank after each success (see formulaire_suivant): a second click of a
    double click, or the same values submitted again by a reload, finds no form to send again."""
    tour = ce_tour.tours.get(base, 0)
    return f"{base}~{tour}" if tour else base


def formulaire_suivant(base: str) -> None:
    """After a success: the next run draws a new, blank form under new keys (what was typed is kept on failure)."""
    ce_tour.tours[base] = ce_tour.tours.get(base, 0) + 1

