"""One rule for every CSV and XLSX cell the service writes: text typed by people is never run as a formula.

OWASP « CSV injection »: a spreadsheet (Excel, LibreOffice Calc) reads a cell whose text starts with = + - @, a tab
or a carriage return as a formula (=HYPERLINK(…), =cmd|'…'!A1, @SUM(…)), and it runs when the file is opened.

- CSV (`cellule_csv`, `EcrivainCsv`): such a text gets a leading single quote ('=SOMME(A1)), which spreadsheets show
  as text. Spaces before the first character do not hide it (Calc may trim them on import). Left as typed: a value
  that is only a number or a telephone number (« +33 6 12 34 56 78 », « -12,5 »): digits, spaces, . , ( ) / + - and
  nothing else cannot call a function nor name a cell, so it cannot do anything when evaluated, and stays readable.
- XLSX (`ajouter_ligne`): every text cell is typed as text (data_type 's', never a formula 'f' nor an error 'e') and
  keeps its value as typed; one that starts with a formula character also carries Excel's « quotePrefix » style,
  the XLSX form of the leading quote, so that it stays text even once the cell is edited.
- Both: characters that XML or a CSV reader cannot take (controls stored before the text rule of forms.base) are
  dropped by forms.base.texte_imprimable, so one old record cannot make the whole export fail.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from forms.base import texte_imprimable

# OWASP's list, plus LF: texte_imprimable turns a CR into LF, and a line break leading a cell is never wanted.
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r", "\n")
_NOMBRE_OU_TELEPHONE = re.compile(r"[+\-]?[\d\s().,/+\-]*\d[\d\s().,/+\-]*")


def commence_comme_une_formule(texte: str) -> bool:
    return texte.lstrip(" \u00a0\u202f")[:1] in DEBUTS_DE_FORMULE


def _inoffensif(texte: str) -> bool:
    return bool(_NOMBRE_OU_TELEPHONE.fullmatch(texte.strip()))


def cellule_csv(valeur: Any) -> Any:
    """A value as written to a CSV: text made printable and, if it would start a formula, quoted with « ' »."""
    if not isinstance(valeur, str):
        return valeur
    texte = texte_imprimable(valeur)
    if commence_comme_une_formule(texte) and not _inoffensif(texte):
        return "'" + texte
    return texte


class EcrivainCsv:
    """csv.writer whose every cell goes through cellule_csv (the only way the service writes CSV)."""

    def __init__(self, sortie, **options):
        self._ecrivain = csv.writer(sortie, **options)

    def writerow(self, valeurs: Iterable[Any]) -> None:
        self._ecrivain.writerow([cellule_csv(v) for v in valeurs])

    def writerows(self, lignes: Iterable[Iterable[Any]]) -> None:
        for ligne in lignes:
            self.writerow(ligne)


def ajouter_ligne(feuille: Worksheet, valeurs: Iterable[Any]) -> None:
    """Append a row to an openpyxl sheet (the only way the service writes XLSX cells): numbers, dates stay typed;
    text is printable, typed as text, and quote-prefixed when it starts like a formula."""
    valeurs = [texte_imprimable(v) if isinstance(v, str) else v for v in valeurs]
    feuille.append(valeurs)
    for cellule, valeur in zip(feuille[feuille.max_row], valeurs):
        if isinstance(valeur, str):
            cellule.data_type = "s"
            if commence_comme_une_formule(valeur):
                cellule.quotePrefix = True
