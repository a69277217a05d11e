"""What the pages share, one component per module: `tour` (the actor, messages, form keys, reading), `actions` (the
incident net, running a step), `formulaires` (widgets from a form model), `documents` (downloads), `atelier` (the
atelier a page is about). A package, not files of pages/: Streamlit would list those as pages before app.py's first
run (pages/_commun/tour.routeur)."""
