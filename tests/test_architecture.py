"""Dependencies point one way: pages → workflow → db / documents / forms / infra."""

import ast
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent


def _imports(dossier: str) -> list[tuple[str, str]]:
    trouves = []
    for fichier in sorted((RACINE / dossier).rglob("*.py")):
        for noeud in ast.walk(ast.parse(fichier.read_text())):
            if isinstance(noeud, ast.Import):
                trouves += [(fichier.name, a.name.split(".")[0]) for a in noeud.names]
            elif isinstance(noeud, ast.ImportFrom) and noeud.module and noeud.level == 0:
                trouves.append((fichier.name, noeud.module.split(".")[0]))
    return trouves


@pytest.mark.parametrize(("dossier", "interdits"), [
    ("pages", {"sqlmodel", "sqlalchemy", "docxtpl", "docx", "db", "documents"}),
    ("workflow", {"streamlit", "pages"}),
    ("documents", {"streamlit", "workflow", "db", "pages", "sqlmodel"}),
    ("forms", {"streamlit", "workflow", "db", "documents", "sqlmodel", "sqlalchemy"}),
    ("db", {"streamlit", "workflow", "documents", "pages", "infra"}),
    ("infra", {"streamlit", "workflow", "documents", "pages", "forms"}),
])
def test_sens_des_dependances(dossier, interdits):
    fautes = [(f, m) for f, m in _imports(dossier) if m in interdits]
    assert fautes == []


def test_app_py_ne_fait_que_router():
    arbre = ast.parse((RACINE / "app.py").read_text())
    modules = {a.name.split(".")[0] for n in ast.walk(arbre) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module.split(".")[0] for n in ast.walk(arbre) if isinstance(n, ast.ImportFrom) and n.module}
    assert modules <= {"streamlit", "workflow", "forms", "pages", "infra", "datetime"}
