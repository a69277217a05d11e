"""Every write of the domain goes through the engine: a step's action (it receives the engine's `Execution`), or a
named operation (`@operation`, its body receives an `Ecriture`), each in the engine's one transaction with its trace.
Read from the code itself (its syntax tree), so a new write anywhere else is caught."""

import ast
import re
import textwrap
from pathlib import Path

import pytest

from workflow.noyau import operations

RACINE = Path(__file__).resolve().parent.parent
MOTEUR = {"workflow/noyau/moteur.py", "workflow/noyau/transaction.py", "workflow/noyau/operations.py"}

# Writes that keep their own transactions, on purpose, each with its reason.
HORS_MOTEUR = {
    "workflow/noyau/auth.py:authentifier": "la connexion : aucun acteur avant qu'elle réussisse, et un essai refusé "
                                           "doit rester écrit (il compte pour le blocage du compte)",
    "workflow/noyau/auth.py:connecter_par_oidc": "la connexion par le fournisseur d'identité : aucun acteur avant "
                                                 "qu'elle réussisse, et un refus doit rester écrit au journal",
    "workflow/automatismes/notifications.py:envoyer_en_attente": "le planificateur, sans acteur : chaque courriel est "
        "réservé puis noté envoyé dans sa propre transaction, pour qu'un arrêt n'en renvoie ni n'en perde aucun",
    "workflow/automatismes/notifications.py:programmer": "appelée par les rappels du planificateur, dans leur transaction",
    "workflow/automatismes/rappels.py:programmer_rappels": "le planificateur : une transaction par campagne",
    "workflow/automatismes/transitions.py:programmer_resumes": "le planificateur : le résumé du jour de chacun, et "
        "ses messages notés regroupés, dans une transaction par personne",
    "workflow/automatismes/conservation.py:appliquer": "le planificateur : une transaction par dossier purgé",
    "workflow/automatismes/balayage.py:balayer": "le planificateur : la trace d'un balayage de fichiers",
}

ECRIVAINS = {"add", "add_all", "delete", "merge", "commit"}  # methods of a session
INSTRUCTIONS = {"update", "insert", "delete", "insert_sqlite", "insert_postgresql"}  # sqlalchemy statements
FONCTIONS = {"enregistrer_fichier", "journaliser"}


def _est_une_session(noeud: ast.expr) -> bool:
    return (isinstance(noeud, ast.Name) and noeud.id in {"session", "s"}) or (
        isinstance(noeud, ast.Attribute) and noeud.attr == "session")


def _ecrit(noeud: ast.AST) -> str | None:
    if isinstance(noeud, ast.Name) and noeud.id in INSTRUCTIONS:  # called, or chosen by dialect and called later
        return noeud.id
    if not isinstance(noeud, ast.Call):
        return None
    f = noeud.func
    if isinstance(f, ast.Attribute) and f.attr in ECRIVAINS and _est_une_session(f.value):
        return f"session.{f.attr}"
    nom = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
    if nom in FONCTIONS and not (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "ecriture"):
        return nom
    return None


def _dans_le_moteur(fonction: ast.FunctionDef) -> bool:
    """A step's action or helper (an `Execution` parameter), an operation's body or helper (an `Ecriture`)."""
    if any(isinstance(d, ast.Call) and getattr(d.func, "id", None) == "operation" for d in fonction.decorator_list):
        return True
    parametres = fonction.args.posonlyargs + fonction.args.args + fonction.args.kwonlyargs
    return any(isinstance(p.annotation, ast.Name) and p.annotation.id in {"Execution", "Ecriture"} for p in parametres)


def ecritures_hors_moteur(source: str, chemin: str) -> list[str]:
    """« chemin:fonction: session.add » for each write outside a step or an operation (exemptions aside)."""
    fautes = []

    def visiter(noeud: ast.AST, pile: list[ast.FunctionDef]) -> None:
        for enfant in ast.iter_child_nodes(noeud):
            if isinstance(enfant, ast.FunctionDef | ast.AsyncFunctionDef):
                visiter(enfant, [*pile, enfant])
                continue
            if (quoi := _ecrit(enfant)):
                nom = pile[0].name if pile else "<module>"
                if not any(_dans_le_moteur(f) for f in pile) and f"{chemin}:{nom}" not in HORS_MOTEUR:
                    fautes.append(f"{chemin}:{nom}: {quoi}")
            visiter(enfant, pile)

    visiter(ast.parse(source), [])
    return fautes


def _modules_du_domaine():
    for fichier in sorted((RACINE / "workflow").rglob("*.py")):
        chemin = fichier.relative_to(RACINE).as_posix()
        if chemin not in MOTEUR:
            yield chemin, fichier.read_text()


def test_le_domaine_n_ecrit_que_par_le_moteur():
    fautes = [f for chemin, source in _modules_du_domaine() for f in ecritures_hors_moteur(source, chemin)]
    assert fautes == []


@pytest.mark.parametrize("ecriture", [
    "session.add(x)", "session.commit()", "x.session.delete(y)", "s.merge(y)",
    "journaliser(session, acteur, 'quoi')", "enregistrer_fichier(session, sujet='s')",
    "session.exec(update(Dossier).values(id=1))",
])
def test_une_ecriture_hors_du_moteur_serait_vue(ecriture):
    source = textwrap.dedent(f"""
        def ecrire(session, acteur, x, y):
            {ecriture}

        @operation("ecrire_bien", "Écrire", (Role.ADMIN,))
        def ecrire_bien(ecriture: Ecriture, x, y):
            session = ecriture.session
            {ecriture}

        def action_d_une_etape(x: Execution):
            {ecriture}
        """)
    assert ecritures_hors_moteur(source, "workflow/essai.py") == [f"workflow/essai.py:ecrire: {ecriture.split('(')[0]}"
                                                                  .replace("x.session", "session").replace("s.merge", "session.merge")
                                                                  .replace("session.exec", "update")]


def test_les_exemptions_existent_encore():
    """An exemption whose function is gone or no longer writes is deleted, not kept as a blank cheque."""
    ecrivent = set()
    for chemin, source in _modules_du_domaine():
        for noeud in ast.walk(ast.parse(source)):
            if isinstance(noeud, ast.FunctionDef) and any(_ecrit(c) for c in ast.walk(noeud)):
                ecrivent.add(f"{chemin}:{noeud.name}")
    assert set(HORS_MOTEUR) <= ecrivent


def _operations_declarees() -> list[tuple[str, ast.FunctionDef]]:
    return [(chemin, n) for chemin, source in _modules_du_domaine() for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.FunctionDef)
            and any(isinstance(d, ast.Call) and getattr(d.func, "id", None) == "operation" for d in n.decorator_list)]


def test_chaque_operation_laisse_sa_trace():
    """Each operation's body writes its row of the audit log (e.journaliser) in its transaction."""
    declarees = _operations_declarees()
    assert len(declarees) >= 20
    sans_trace = [f"{chemin}:{n.name}" for chemin, n in declarees
                  if not any(isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == "journaliser"
                             for c in ast.walk(n))]
    assert sans_trace == []


def test_une_operation_n_est_pas_une_etape():
    """One key, one meaning: an operation's key is no step's, and every declared operation is registered."""
    from workflow.etapes import ETAPES_PAR_CLE
    _toutes_les_operations()
    assert set(operations.OPERATIONS).isdisjoint(ETAPES_PAR_CLE)
    assert {n.decorator_list[0].args[0].value for _, n in _operations_declarees()} == set(operations.OPERATIONS)


def _toutes_les_operations() -> dict[str, operations.Operation]:
    import importlib
    import pkgutil

    import workflow
    for module in pkgutil.walk_packages(workflow.__path__, "workflow."):
        importlib.import_module(module.name)
    return operations.OPERATIONS


@pytest.mark.parametrize("cle", sorted(_toutes_les_operations()))
def test_une_operation_refuse_les_autres_roles_sans_rien_ecrire(demo, acteurs, cle):
    """Each operation × each role outside its `acteurs`: refused before anything is read or written."""
    from sqlalchemy import func
    from sqlmodel import select

    from db.models import Document, JournalAudit, Transition
    from workflow.noyau.permissions import AccesRefuse

    op = operations.OPERATIONS[cle]
    par_role = {a.role: a for a in acteurs.values()}

    def lignes():
        return [demo.exec(select(func.count()).select_from(t)).one() for t in (JournalAudit, Transition, Document)]

    avant = lignes()
    for role, acteur in par_role.items():
        if role not in op.acteurs:
            with pytest.raises(AccesRefuse, match=re.escape(op.libelle)):
                op.fonction(demo, acteur)
    assert lignes() == avant
