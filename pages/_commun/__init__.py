"""What the pages share, one component per module: `tour` (the actor, messages, form keys, reading), `actions` (the
incident net, running a step, a write that is not a step), `formulaires` (widgets from a form model), `documents`
(downloads), `atelier` and `campagne` (what a page is about). A package, not files of pages/: Streamlit would list
those as pages before app.py's first run (pages/_commun/tour.routeur)."""
