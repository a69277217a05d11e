"""What every page shares: the logged-in actor, messages, a form renderer built from a form model,
download buttons. Pages stay thin: they read ids, call workflow, and show results."""

import logging
import threading
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from enum import Enum
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import BaseModel
from streamlit import runtime
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.pages_manager import PagesManager

from forms.base import ChoixDuDossier, ErreursSaisie, FormModel, Multiligne
from forms.lignes import deballer, genre, vers_grille, vers_json
from forms.vocabulaire import EN_ACTIVITE, RETENUS, StatutRevue
from infra import base
from workflow import consultation, etapes, services
from workflow.atelier import attestations
from workflow.noyau import incidents, moteur, requetes
from workflow.noyau.format import (
    libelle_du_document,
    montant,  # noqa: F401  (re-exported for pages)
)
from workflow.noyau.moteur import ConflitEdition, EtapeRefusee
from workflow.noyau.permissions import AccesRefuse, Acteur
from workflow.noyau.taux import TauxManquant

journal = logging.getLogger("oepre.pages")


def routeur() -> None:
    """Hand a run over to app.py when Streamlit ran this page's file by itself.

    Until a process has run st.navigation once, Streamlit treats an app that has a pages/ directory as one of its
    older multipage apps (a class-wide flag set when the first browser connects): a link opened first after a start
    (/comptes, /dossier?id=…) runs pages/comptes.py directly, without app.py's sign-in gate, and lists every file
    (« app », « commun »…) as the menu. Clearing the flag and rerunning sends the same page (the same address, hence
    the same page hash: workflow.navigation) through app.py, which shows the sign-in page and then that page.
    Not under AppTest (its runtime is a stand-in): it resets the flag before every run and runs the page files themselves."""
    if PagesManager.uses_pages_directory and runtime.exists() and type(runtime.Runtime.instance()) is runtime.Runtime:
        PagesManager.uses_pages_directory = False
        st.rerun()


routeur()  # also when Streamlit runs this very file as a page (« commun »)


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
_ce_tour = threading.local()  # one script thread per run of a session


def afficher_messages() -> None:
    """The messages left by the run before the last rerun; and the containers this run records in (see above)."""
    for niveau, message in st.session_state.pop("messages_flash", []):
        getattr(st, niveau)(message)
    _ce_tour.messages = st.session_state.setdefault("messages_flash", [])
    _ce_tour.tours = st.session_state.setdefault("formulaires~tours", {})


def page() -> Acteur:
    """Start of every page: the actor, plus the messages left by the step run before the last rerun."""
    routeur()
    moi = _ce_tour.acteur = acteur()  # for the steps this run executes, without reading st.session_state again
    afficher_messages()
    return moi


def flash(niveau: str, message: str) -> None:
    """A message shown at the top of the page by the next run (after st.rerun)."""
    _ce_tour.messages.append((niveau, message))


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
    tour = _ce_tour.tours.get(base, 0)
    return f"{base}~{tour}" if tour else base


def formulaire_suivant(base: str) -> None:
    """After a success: the next run draws a new, blank form under new keys (what was typed is kept on failure)."""
    _ce_tour.tours[base] = _ce_tour.tours.get(base, 0) + 1


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
        moi = getattr(_ce_tour, "acteur", None) or st.session_state.get("acteur")
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
            resultat = services.executer(s, _ce_tour.acteur, cle, donnees=donnees, **cible)
        if resultat is None:
            return None
    except ErreursSaisie as exc:
        st.error("Le formulaire contient des erreurs ; rien n'a été perdu, corrigez puis validez à nouveau :\n\n"
                 + "\n".join(f"- {m}" for m in exc.messages))
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
    flash("success", "Étape validée : les documents sont produits et l'historique est à jour.")
    for b in resultat.avertissements:
        flash("warning", b.message)
    if resultat.erreur_pdf:
        flash("warning", resultat.erreur_pdf)
    return resultat


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


def choisir_atelier(moi: Acteur, cle: str) -> requetes.DossierLigne:
    """The retained or running atelier the page is about, in every campaign that still has work (this year's
    ateliers run until June after next year's call has opened); a choice only when the actor has several; stops
    otherwise."""
    with session() as s:
        ids = [c.id for c in requetes.campagnes_en_cours(s)]
        lignes = [d for d in (requetes.dossiers_visibles(s, moi, campagne_ids=ids) if ids else [])
                  if d.etat in (*RETENUS, *EN_ACTIVITE)]
    if not lignes:
        st.info("Aucun atelier retenu ou en cours dans votre périmètre.")
        st.stop()
    return lignes[0] if len(lignes) == 1 else st.selectbox(
        "Atelier", lignes, key=cle, format_func=lambda d: f"{d.numero} — {d.etablissement} ({d.annee_scolaire})")


# --- Form renderer -----------------------------------------------------------------------------


def _est_systeme(info) -> bool:
    return bool(info.json_schema_extra and info.json_schema_extra.get("systeme"))


def _colonnes(modele: type[BaseModel]) -> dict[str, Any]:
    """The grid's column of each row field, of the kind forms.lignes.vers_grille types its cells for."""
    config = {}
    for nom, info in modele.model_fields.items():
        sorte, type_ = genre(info.annotation)
        titre = info.title or nom
        if sorte == "choix":
            defaut = info.default.value if isinstance(info.default, Enum) else None
            config[nom] = st.column_config.SelectboxColumn(titre, options=[e.value for e in type_], default=defaut,
                                                           format_func=lambda v, e=type_: e(v).libelle)
        elif sorte == "booleen":
            config[nom] = st.column_config.CheckboxColumn(titre, default=info.default is True)
        elif sorte == "date":
            config[nom] = st.column_config.DateColumn(titre, format="DD/MM/YYYY")
        elif sorte == "heure":
            config[nom] = st.column_config.TimeColumn(titre, format="HH:mm", step=900)
        elif sorte == "entier":
            bornes = {cle: getattr(m, attr) for m in info.metadata for cle, attr in (("min_value", "ge"), ("max_value", "le"))
                      if getattr(m, attr, None) is not None}
            config[nom] = st.column_config.NumberColumn(titre, step=1, format="%d", **bornes)
        else:  # text, a Decimal typed the French way (« 12,5 »), a nested list typed as text (time slots)
            config[nom] = st.column_config.TextColumn(titre)
    return config


def grille_de_lignes(element: type[BaseModel], cle_w: str, titre: str, stockees: Any) -> list:
    """A data_editor for a form's list field: the stored rows typed for the grid by forms.lignes (a value the grid
    cannot hold is emptied, and said in French), the edited rows returned as JSON rows for the draft."""
    typees, avis = vers_grille(element, stockees, titre)
    st.markdown(f"**{titre}**")
    for message in avis:
        st.warning(message, icon=":material/edit_note:")
    colonnes = list(element.model_fields)  # named even when there is no row yet
    tableau = pd.DataFrame(typees, columns=colonnes, dtype=object)  # object: ints stay ints beside empty cells
    try:
        edite = st.data_editor(tableau, key=cle_w, num_rows="dynamic", width="stretch", hide_index=True,
                               column_config=_colonnes(element), column_order=colonnes)
    except StreamlitAPIException:  # never a traceback for a person: show the rows, keep them as stored
        st.error(f"Le tableau « {titre} » ne peut pas être modifié ici pour l'instant : ses lignes enregistrées sont "
                 "conservées telles quelles. Signalez-le à l'assistance de la DAEPS.", icon=":material/error:")
        st.dataframe(tableau.astype(str), hide_index=True)
        return stockees if isinstance(stockees, list) else []
    return vers_json(element, edite.to_dict("records"))


def _valeur_defaut(valeurs: dict, nom: str, info) -> Any:
    if nom in valeurs:
        return valeurs[nom]
    if info.default_factory is not None:
        return info.default_factory()
    return None if info.is_required() else info.default


VIDE_DU_DOSSIER = {"groupes": "ce dossier n'a encore aucun groupe (section « Groupes » du dossier de candidature).",
                   "intervenants": "aucun intervenant n'est encore engagé sur cet atelier."}


def champs_formulaire(modele: type[FormModel], cle: str, valeurs: dict | None = None,
                      exclure: tuple[str, ...] = (), inclure: tuple[str, ...] | None = None,
                      choix: dict[str, list[str]] | None = None) -> dict:
    """Widgets for the user fields of `modele` (all, or those of `inclure`); returns raw values for forms.base.valider.
    A field marked ChoixDuDossier is a list to choose in when `choix` (requetes.choix_du_dossier) gives its options."""
    valeurs, choix = valeurs or {}, choix or {}
    donnees: dict[str, Any] = {}
    for nom, info in modele.model_fields.items():
        if _est_systeme(info) or nom in exclure or (inclure is not None and nom not in inclure):
            continue
        inner, optionnel = deballer(info.annotation)
        titre = info.title or nom
        cle_w = f"{cle}_{nom}"
        defaut = _valeur_defaut(valeurs, nom, info)
        origine = typing.get_origin(inner)
        liste = next((m.liste for m in info.metadata if isinstance(m, ChoixDuDossier)), None)
        if liste is not None and liste in choix:
            options = choix[liste]
            if not options:
                st.warning(f"« {titre} » : {VIDE_DU_DOSSIER[liste]}")
            donnees[nom] = st.selectbox(titre, options, index=options.index(defaut) if defaut in options else None,
                                        key=cle_w, placeholder="Choisir…")
        elif origine is list:
            (element,) = typing.get_args(inner)
            element, _ = deballer(element)
            if isinstance(element, type) and issubclass(element, BaseModel):
                donnees[nom] = grille_de_lignes(element, cle_w, titre, defaut)
            elif isinstance(element, type) and issubclass(element, Enum):
                donnees[nom] = st.multiselect(titre, [e.value for e in element], default=defaut or [],
                                              format_func=lambda v, e=element: e(v).libelle, key=cle_w,
                                              placeholder="Choisir…")
            else:
                texte = st.text_area(f"{titre} (un par ligne)", value="\n".join(map(str, defaut or [])), key=cle_w)
                donnees[nom] = [ligne.strip() for ligne in texte.splitlines() if ligne.strip()]
        elif isinstance(inner, type) and issubclass(inner, Enum):
            options = [e.value for e in inner]
            index = options.index(str(defaut.value if isinstance(defaut, Enum) else defaut)) if defaut else None
            donnees[nom] = st.selectbox(titre, options, index=index, format_func=lambda v, e=inner: e(v).libelle,
                                        key=cle_w, placeholder="Choisir…")
        elif inner is bool:
            donnees[nom] = st.checkbox(titre, value=bool(defaut), key=cle_w)
        elif inner is date:
            valeur = date.fromisoformat(defaut) if isinstance(defaut, str) else defaut
            donnees[nom] = st.date_input(titre, value=valeur, format="DD/MM/YYYY", key=cle_w)
        elif inner is time:
            valeur = time.fromisoformat(defaut) if isinstance(defaut, str) else defaut
            donnees[nom] = st.time_input(titre, value=valeur, key=cle_w, step=900)
        elif inner is int:
            donnees[nom] = st.number_input(titre, value=defaut, step=1, key=cle_w,
                                           placeholder="facultatif" if optionnel else None)
        elif inner is Decimal:
            texte = st.text_input(titre, value="" if defaut is None else str(defaut).replace(".", ","), key=cle_w,
                                  placeholder="0,00")
            donnees[nom] = texte or None
        else:
            widget = st.text_area if any(isinstance(m, Multiligne) for m in info.metadata) else st.text_input
            donnees[nom] = widget(titre, value=defaut or "", key=cle_w)
    return {k: v for k, v in donnees.items() if v is not None and v != ""}


# --- Documents ---------------------------------------------------------------------------------


def boutons_documents(documents, cle: str, revues: dict | None = None) -> None:
    """One download button per stored file (bytes read only on click), with the DAEPS review if any."""
    if not documents:
        st.caption("Aucun document produit pour l'instant.")
        return
    lecteur = acteur()
    for doc in documents:
        cols = st.columns([4, 2, 2])
        cols[0].markdown(f"**{libelle_du_document(doc)}** — version {doc.version} ({doc.format.upper()})")
        cols[1].caption(f"{doc.genere_at:%d/%m/%Y %H:%M} · {doc.taille // 1024 + 1} Ko")
        relu = (revues or {}).get(doc.id)
        if relu is not None and relu.statut == StatutRevue.A_CORRIGER:
            cols[0].warning(f"Renvoyé par la DAEPS : {relu.commentaire}", icon=":material/undo:")
        elif relu is not None:
            cols[0].caption("Approuvé par la DAEPS" + (f" : {relu.commentaire}" if relu.commentaire else ""))

        # Read on click, outside the script run: the actor is bound now, session_state is not reachable then.
        def contenu(document_id=doc.id, qui=lecteur) -> bytes:
            with session() as s:
                return consultation.lire_document(s, qui, document_id).contenu

        cols[2].download_button("Télécharger", data=contenu, file_name=doc.nom_fichier, key=f"{cle}_{doc.id}",
                                mime=consultation.MIME[doc.format], icon=":material/download:", on_click="ignore")


def produire_pdf_manquants(documents, cle: str) -> None:
    """Offer to convert DOCX files that have no PDF yet (e.g. produced while LibreOffice was absent)."""
    sources = {d.source_id for d in documents if d.format == "pdf"}
    manquants = [d for d in documents if d.format == "docx" and d.id not in sources]
    if manquants and st.button(f"Produire les PDF manquants ({len(manquants)})", key=f"{cle}_pdf"):
        with st.spinner("Conversion par LibreOffice…"):
            for d in manquants:
                produit = None
                try:
                    with action("Produire les PDF manquants", enregistree=lambda s, i=d.id: requetes.a_son_pdf(s, i)), \
                            session() as s:
                        produit = services.produire_pdf(s, d.id, acteur())
                except attestations.ERREURS_PRODUCTION as exc:  # LibreOffice absent or failing: said in French, DOCX kept
                    st.error(str(exc))
                if produit is None:
                    return
        st.rerun()
