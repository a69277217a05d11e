"""The spine: the one table of the yearly cycle's steps (spec §6, steps 0–12), assembled from the phases' rows.

Each phase declares its rows beside its behaviour (workflow/selection/etapes.py, workflow/atelier/etapes.py,
workflow/cloture/etapes.py); a row's shape is workflow.noyau.etape.Etape. Pages, navigation, permissions, the
contract test of templates, reminders and the diagram derive from this table.
"""

from forms.vocabulaire import Etat, Role
from workflow.atelier import etapes as atelier
from workflow.cloture import etapes as cloture
from workflow.noyau.etape import Etape
from workflow.noyau.format import libelle_role
from workflow.noyau.operations import OPERATIONS
from workflow.noyau.permissions import Acteur
from workflow.selection import candidature  # noqa: F401 - its operation `creer_dossier` starts every dossier's history
from workflow.selection import etapes as selection

ETAPES: tuple[Etape, ...] = (*selection.ETAPES, *atelier.ETAPES, *cloture.ETAPES)

ETAPES_PAR_CLE: dict[str, Etape] = {e.cle: e for e in ETAPES}



def etapes_possibles(role: Role, etat: Etat) -> list[Etape]:
    """Dossier steps this role may run from this state (guards are checked when it runs)."""
    return [e for e in ETAPES if e.sujet == "dossier" and e.ouverte(role, etat)]


def acteurs_de(*cles: str) -> tuple[Role, ...]:
    """The roles that run any of these steps, in the rows' order."""
    return tuple(dict.fromkeys(r for cle in cles for r in ETAPES_PAR_CLE[cle].acteurs))


def peut(acteur: Acteur, cle: str, etat: Etat | str | None = None) -> bool:
    """May this actor run step `cle`: a role of its row (and the head themself for a step kept to them), and, when
    the dossier's state is given, from that state? What a page asks before it offers a step; its guards and the scope
    are checked when it runs. For a named operation (workflow.noyau.operations), a role of its actors."""
    if cle in OPERATIONS:
        return acteur.role in OPERATIONS[cle].acteurs
    etape = ETAPES_PAR_CLE[cle]
    if acteur.role not in etape.acteurs or (etape.titulaire_seul and not acteur.peut_deposer):
        return False
    return etat is None or Etat(etat) in etape.depuis


def documents_nominatifs() -> frozenset[str]:
    """The document types that name parents: those of the steps on their personal data, the signed attendance
    sheets and the batches of attestations."""
    return frozenset({g for e in ETAPES if e.donnees_personnelles for g in e.gabarits} | {"emargement_signe", "attestations_lot"})


def libelle_etape(cle: str) -> str:
    """« Déposer le dossier de candidature » for « deposer »: how the history names a transition."""
    etape = ETAPES_PAR_CLE.get(cle)
    return etape.libelle if etape else (OPERATIONS[cle].libelle if cle in OPERATIONS else cle.replace("_", " "))


def diagramme_dot() -> str:
    """The dossier state machine in Graphviz DOT, derived from the table, in French (rendered on the circuit page)."""
    lignes = ['digraph G {', '  rankdir=TB; node [shape=box, style="rounded,filled", fillcolor="#E3E3FD", fontname="Helvetica"];',
              '  edge [fontname="Helvetica", fontsize=10];']
    for etat in Etat:
        lignes.append(f'  {etat.value} [label="{etat.libelle}"];')
    for e in ETAPES:
        for de in e.depuis:
            for vers in e.vers:
                roles = ", ".join(libelle_role(r) for r in e.acteurs)
                lignes.append(f'  {de.value} -> {vers.value} [label="{e.numero}. {e.libelle}\\n({roles})"];')
    lignes.append("}")
    return "\n".join(lignes)
