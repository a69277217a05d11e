"""The accessibility audit's summary: what axe-core found on every page of every role (tests/navigateur/
test_accessibilite.py measures it and checks that the summary kept here is the one measured), and the figures the
« Accessibilité » statement prints from it."""

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

FICHIER_AUDIT = Path(__file__).with_name("audit_accessibilite.json")
NORMES = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")  # the axe-core tags of WCAG 2.0 and 2.1, levels A and AA
IMPACTS = ("critical", "serious", "moderate", "minor")
IMPACTS_FR = {"critical": "critique", "serious": "grave", "moderate": "modéré", "minor": "mineur"}
BLOQUANTS = ("critical", "serious")


@dataclass(frozen=True)
class Visite:
    """One page audited, as one role sees it: the ids of the rules it passed and those it failed (with their impact)."""

    role: str
    page: str
    respectees: frozenset[str]
    violees: dict[str, str]  # rule id → impact
    aides: dict[str, str] = field(default_factory=dict)  # rule id → axe's one-line help


@dataclass(frozen=True)
class Manquement:
    regle: str
    impact: str
    aide: str
    pages: tuple[str, ...]  # « rôle — page », sorted

    @property
    def impact_fr(self) -> str:
        return IMPACTS_FR.get(self.impact, self.impact)


@dataclass(frozen=True)
class Audit:
    date: str
    outil: str
    pages: int
    regles_applicables: tuple[str, ...]
    manquements: tuple[Manquement, ...]

    @property
    def regles_respectees(self) -> tuple[str, ...]:
        violees = {m.regle for m in self.manquements}
        return tuple(r for r in self.regles_applicables if r not in violees)

    @property
    def taux(self) -> Decimal:
        """The share of the applicable rules met on every page audited, in percent to one decimal."""
        if not self.regles_applicables:
            return Decimal(100)
        taux = Decimal(100 * len(self.regles_respectees)) / len(self.regles_applicables)
        return taux.quantize(Decimal("0.1"), ROUND_HALF_UP)

    def bloquants(self) -> list[Manquement]:
        return [m for m in self.manquements if m.impact in BLOQUANTS]

    def comptes(self) -> dict[tuple[str, str], int]:
        """(rule, impact) → number of page visits where it failed: the table printed by the test and the note."""
        return {(m.regle, m.impact): len(m.pages) for m in self.manquements}

    def en_json(self) -> dict:
        return {"date": self.date, "outil": self.outil, "pages": self.pages,
                "regles_applicables": list(self.regles_applicables),
                "manquements": [{"regle": m.regle, "impact": m.impact, "aide": m.aide, "pages": list(m.pages)}
                                for m in self.manquements]}


def synthese(visites: list[Visite], date: str, outil: str) -> Audit:
    """Every rule that applied on at least one page; every rule failed on one, with the pages it failed on (a rule
    failed with several impacts keeps the gravest)."""
    applicables = sorted(set().union(*(v.respectees | v.violees.keys() for v in visites)) if visites else set())
    par_regle: dict[str, tuple[str, str, list[str]]] = {}
    for v in visites:
        for regle, impact in v.violees.items():
            pire, aide, pages = par_regle.get(regle, (impact, v.aides.get(regle, ""), []))
            if IMPACTS.index(impact) < IMPACTS.index(pire):
                pire = impact
            pages.append(f"{v.role} — {v.page}")
            par_regle[regle] = (pire, aide, pages)
    manquements = tuple(Manquement(regle, impact, aide, tuple(sorted(pages)))
                        for regle, (impact, aide, pages) in sorted(par_regle.items(),
                                                                   key=lambda e: (IMPACTS.index(e[1][0]), e[0])))
    return Audit(date, outil, len(visites), tuple(applicables), manquements)


def depuis_json(donnees: dict) -> Audit:
    return Audit(donnees["date"], donnees["outil"], donnees["pages"], tuple(donnees["regles_applicables"]),
                 tuple(Manquement(m["regle"], m["impact"], m["aide"], tuple(m["pages"])) for m in donnees["manquements"]))


def dernier_audit() -> Audit | None:
    """The audit kept with the code (None before the first one)."""
    if not FICHIER_AUDIT.exists():
        return None
    return depuis_json(json.loads(FICHIER_AUDIT.read_text(encoding="utf-8")))


def tableau(audit: Audit) -> str:
    """The rule × impact table, as plain text."""
    lignes = [f"{'règle':<32} {'impact':<10} pages", "-" * 50]
    lignes += [f"{regle:<32} {IMPACTS_FR[impact]:<10} {n}" for (regle, impact), n in audit.comptes().items()]
    lignes.append(f"{audit.pages} page(s) auditée(s) ; {len(audit.regles_respectees)} règle(s) respectée(s) sur "
                  f"{len(audit.regles_applicables)} applicable(s) ({audit.taux} %)")
    return "\n".join(lignes)
