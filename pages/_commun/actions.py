"""Writes a person asks for: the incident net around every one (`action`), a step run and its outcome said in French
(`executer_etape`), a write that is not a step (`ecrire`), a batch of attestations with its progress bar."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import streamlit as st

from forms.base import ErreursSaisie
from pages._commun import apparence
from pages._commun.tour import acteur, ce_tour, flash, session
from workflow import etapes, services
from workflow.atelier import attestations
from workflow.noyau import incidents, moteur
from workflow.noyau.moteur import ConflitEdition, EtapeRefusee
from workflow.noyau.permissions import AccesRefuse
from workflow.noyau.taux import TauxManquant

journal = logging.getLogger("oepre.pages")


def afficher_blocages(blocages) -> None:
    for b in blocages:
        (st.error if b.bloquant else st.warning)(b.message, icon=":material/block:" if b.bloquant else ":material/warning:")



def refus_de_saisie(chapeau: str, exc: ErreursSaisie) -> None:
    """A refused input: its messages under `chapeau`, and the fields they name marked invalid for screen readers."""
    st.error(chapeau + "\n\n" + "\n".join(f"- {m}" for m in exc.messages))
    apparence.signaler_champs_en_erreur(exc.champs)


# The service's own refusals, each already a French sentence for the person (shown by the caller).
REFUS = (ErreursSaisie, EtapeRefusee, ConflitEdition, AccesRefuse, TauxManquant)


@dataclass
class Issue:
    echec: bool = False


@contextmanager
def action(libelle: str, *, etape: str | None = None, journal_action: str | None = None,
           enregistree: Callable[[Any], bool] | None = None) -> Iterator[Issue]:
    """Around every write a person asks for: a technical failure (not one of the service's own French refusals) is
    logged with its traceback for the admin, and the person reads whether the action was recorded, re-read from the
    database: the actor's step `etape` or logged action `journal_action` since the start, or `enregistree(session)`."""
    issue = Issue()
    try:
        with session() as s:
            depuis = incidents.repere(s)
    except Exception:  # noqa: BLE001 - the action itself will fail and say so
        depuis = None
    try:
        yield issue
    except REFUS:
        raise
    except Exception as exc:  # noqa: BLE001 - this is the net: no traceback ever reaches a person
        issue.echec = True
        # recorded when the run started (page()): no st.session_state access after the commit
        moi = getattr(ce_tour, "acteur", None) or st.session_state.get("acteur")
        journal.exception("Incident pendant « %s » (compte n° %s)", libelle, moi.id if moi else None)
        try:
            with session() as s:
                if enregistree is not None:
                    fait = enregistree(s)
                elif depuis is None or moi is None:
                    fait = None
                else:
                    fait = incidents.enregistree_depuis(s, depuis, moi, etape=etape, journal=journal_action)
        except Exception:  # noqa: BLE001 - the database is still away
            fait = None
        st.error(incidents.message(libelle, fait, exc), icon=":material/report:")


def executer_etape(cle: str, donnees: dict, **cible) -> moteur.Resultat | None:
    """Run a step and show its outcome in French; on any refusal the form keeps what was typed."""
    resultat = None
    try:
        with action(etapes.ETAPES_PAR_CLE[cle].libelle, etape=cle), session() as s:
            resultat = services.executer(s, ce_tour.acteur, cle, donnees=donnees, **cible)
        if resultat is None:
            return None
    except ErreursSaisie as exc:
        refus_de_saisie("Le formulaire contient des erreurs ; rien n'a été perdu, corrigez puis validez à nouveau :", exc)
        return None
    except EtapeRefusee as exc:
        st.error("L'étape ne peut pas être validée :")
        afficher_blocages(exc.blocages)
        return None
    except ConflitEdition as exc:
        st.error(str(exc), icon=":material/sync_problem:")
        return None
    except AccesRefuse as exc:
        st.error(str(exc), icon=":material/lock:")
        return None
    except TauxManquant as exc:  # a séance dated before the first row of the rate table
        st.error(str(exc), icon=":material/euro:")
        return None
    flash("success", "Étape validée : les documents sont produits et l'historique est à jour." if etapes.ETAPES_PAR_CLE[cle].gabarits
          else "Étape validée : l'historique est à jour.")
    for b in resultat.avertissements:
        flash("warning", b.message)
    if resultat.erreur_pdf:
        flash("warning", resultat.erreur_pdf)
    return resultat


def ecrire(libelle: str, operation: Callable[[Any], Any], *, journal_action: str,
           succes: str | Callable[[Any], str] | None = None, relancer: bool = True) -> Any:
    """A write that is not a step (a pool action, a signed sheet, coordinates…), under the incident net (`action`,
    re-read in the audit log by `journal_action`): `operation(session)` runs, a refusal of the service is said in French
    and keeps what was typed. On success, `succes` (or its sentence of the result) is shown, after a rerun unless
    `relancer` is False. Returns the operation's result, None when nothing was recorded."""
    resultat = None
    try:
        with action(libelle, journal_action=journal_action) as issue, session() as s:
            resultat = operation(s)
    except ErreursSaisie as exc:
        refus_de_saisie("Rien n'a été enregistré :", exc)
        return None
    except ConflitEdition as exc:
        st.error(str(exc), icon=":material/sync_problem:")
        return None
    except AccesRefuse as exc:
        st.error(str(exc), icon=":material/lock:")
        return None
    if issue.echec:
        return None
    message = succes(resultat) if callable(succes) else succes
    if not relancer:
        if message:
            st.success(message)
        return resultat
    if message:
        flash("success", message)
    st.rerun()


def produire_attestations(cle: str, **cible) -> None:
    """Run a batch of attestations with a progress bar; the files produced are offered below it."""
    barre = st.progress(0.0, text="Préparation du lot…")
    resultat = None
    try:
        with action("Produire les attestations en lot", journal_action="attestations_lot"), session() as s:
            resultat = attestations.produire_lot(s, acteur(), progression=lambda f, m: barre.progress(f, text=m), **cible)
        if resultat is None:
            barre.empty()
            return
    except ErreursSaisie as exc:
        barre.empty()
        st.error("\n".join(exc.messages))
        return
    except AccesRefuse as exc:
        barre.empty()
        st.error(str(exc))
        return
    st.session_state[cle] = resultat.documents
    flash("success", f"{resultat.attestations} attestation(s) produite(s) : {resultat.pages} page(s) à imprimer "
                     "et une archive d'un fichier par parent.")
    st.rerun()
