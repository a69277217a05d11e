"""Every benchmark of bench/ runs here at a tiny size, as a script, the way its docstring says to run it: a bench
that no longer runs fails the suite. Its last line is the ratio line; what the bench claims is checked on it — the
persistent converter cheaper than cold soffice, the batch of attestations not cheaper in CPU than the LibreOffice
conversion it contains, the number of SQL queries not growing with the number of dossiers."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import exiger_outil

RACINE = Path(__file__).resolve().parents[2]
BANCS = sorted(p.name for p in (RACINE / "bench").glob("*.py") if p.name not in ("__init__.py", "annee.py", "mesure.py"))
PETITES_TAILLES = {"attestations.py": ["4", "1", "2"], "pdf_conversion.py": ["2"], "selection.py": ["20"]}


def _derniere_ligne(script: str) -> dict[str, str]:
    sortie = subprocess.run([sys.executable, str(RACINE / "bench" / script), *PETITES_TAILLES[script]], cwd=RACINE,
                            capture_output=True, text=True, timeout=600)
    assert sortie.returncode == 0, sortie.stderr[-3000:]
    ligne = sortie.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"(\w+=\S+)( \w+=\S+)*", ligne), ligne
    return dict(champ.split("=", 1) for champ in ligne.split())


def _nombre(valeur: str) -> float:
    return float(valeur.rstrip("x%"))


def test_chaque_banc_a_sa_petite_taille():
    assert set(BANCS) == set(PETITES_TAILLES)


@pytest.mark.parametrize("script", BANCS)
def test_le_banc_tourne_et_tient_ce_qu_il_affirme(script):
    import shutil

    exiger_outil(shutil.which("soffice") is not None, "LibreOffice absent (paquet Debian libreoffice-writer)")
    mesures = _derniere_ligne(script)
    if script == "attestations.py":
        assert int(mesures["attestations"]) == 4
        assert _nombre(mesures["vs_libreoffice_cpu"]) >= 1.0, mesures  # the batch contains that conversion
        assert _nombre(mesures["vs_naive"]) > 0
    elif script == "pdf_conversion.py":
        assert _nombre(mesures["ratio"]) > 1 and _nombre(mesures["ratio_cpu"]) > 1, mesures
    else:
        assert mesures["queries_constant"] == "True", mesures
        assert int(mesures["queries_status"]) > 0 and float(mesures["status_cpu_ms"]) > 0, mesures
