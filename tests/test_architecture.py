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
    ("infra", {"streamlit", "workflow", "documents", "pages", "forms", "demarrage"}),
    ("workflow", {"demarrage", "conformite"}),
    ("conformite", {"streamlit", "pages", "demarrage", "documents"}),
])
def test_sens_des_dependances(dossier, interdits):
    fautes = [(f, m) for f, m in _imports(dossier) if m in interdits]
    assert fautes == []


def test_app_py_ne_fait_que_router():
    arbre = ast.parse((RACINE / "app.py").read_text())
    modules = {a.name.split(".")[0] for n in ast.walk(arbre) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module.split(".")[0] for n in ast.walk(arbre) if isinstance(n, ast.ImportFrom) and n.module}
    assert modules <= {"streamlit", "workflow", "forms", "pages", "infra", "datetime"}


# The real import graph (grimp, the library behind import-linter: every import statement, those inside functions too).
PAQUETS = ("workflow", "infra", "forms", "documents", "db", "pages", "demarrage", "conformite")


def _cercles(graphe) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan): each is a circle of imports."""
    rang: dict[str, int] = {}
    bas: dict[str, int] = {}
    pile: list[str] = []
    cercles = []

    def visiter(module: str) -> None:
        rang[module] = bas[module] = len(rang)
        pile.append(module)
        for importe in graphe.find_modules_directly_imported_by(module):
            if importe not in rang:
                visiter(importe)
                bas[module] = min(bas[module], bas[importe])
            elif importe in pile:
                bas[module] = min(bas[module], rang[importe])
        if bas[module] == rang[module]:
            composante = []
            while (dernier := pile.pop()) != module:
                composante.append(dernier)
            if composante:
                cercles.append(sorted([module, *composante]))

    for module in sorted(graphe.modules):
        if module not in rang:
            visiter(module)
    return cercles


def test_aucun_cercle_d_imports(monkeypatch):
    import grimp

    monkeypatch.syspath_prepend(str(RACINE))
    graphe = grimp.build_graph(*PAQUETS, cache_dir=None)
    assert len(graphe.modules) > 50
    assert _cercles(graphe) == []


def test_un_cercle_serait_vu(tmp_path, monkeypatch):
    """The check above finds a circle hidden in a function (the way the old ones were held open)."""
    import grimp

    paquet = tmp_path / "cercle"
    paquet.mkdir()
    (paquet / "__init__.py").write_text("")
    (paquet / "a.py").write_text("from cercle import b\n")
    (paquet / "b.py").write_text("def f():\n    from cercle import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _cercles(grimp.build_graph("cercle", cache_dir=None)) == [["cercle.a", "cercle.b"]]


def test_les_couches_du_domaine_sont_tenues():
    """The contracts of pyproject.toml (import-linter): the spine above the phases, which never import each other,
    above the core; what runs by itself above the spine."""
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(RACINE / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_le_readme_dit_vrai_sur_l_arbre():
    """README's architecture names every package of the tree, and every path or dotted name it cites exists."""
    import importlib
    import re

    readme = (RACINE / "README.md").read_text()
    bloc = readme.split("## Architecture", 1)[1].split("```")[1]
    paquets = {p.parent.relative_to(RACINE).as_posix() for p in RACINE.glob("*/__init__.py")}
    paquets |= {p.parent.relative_to(RACINE).as_posix() for p in (RACINE / "workflow").glob("*/__init__.py")}
    nommes = {m.replace("  ", "") for m in re.findall(r"^ *([\w/]+)/ ", bloc, flags=re.M)}
    absents = sorted(p for p in paquets if p.split("/")[-1] not in {n.split("/")[-1] for n in nommes})
    assert absents == []
    chemins = set(re.findall(r"(?<![\w/.])((?:[\w]+/)+[\w]+\.py)\b", readme))
    assert chemins and sorted(c for c in chemins if not (RACINE / c).exists()) == []
    for nom in set(re.findall(r"`((?:workflow|documents|forms|db|infra)\.[\w.]+)`", readme)):
        module, _, attribut = nom, "", ""
        while True:
            try:
                objet = importlib.import_module(module)
                break
            except ModuleNotFoundError:
                module, _, reste = module.rpartition(".")
                attribut = f"{reste}.{attribut}".strip(".")
        for partie in filter(None, attribut.split(".")):
            objet = getattr(objet, partie)  # AttributeError: README cites a name that is gone
