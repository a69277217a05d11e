# The two commands of the README: `make run` and `make test`.
PORT ?= 8501
VENV := .venv/bin

.PHONY: run test install install-dev system seed bench planificateur

system:
	bash scripts/install-system.sh

install: system
	bash scripts/install-python.sh requirements.txt

install-dev: system
	bash scripts/install-python.sh requirements-dev.txt
	bash scripts/install-node.sh

# Installs, migrates and seeds the demo campaign (first start only), writes Streamlit's [auth] secrets from the
# OEPRE_OIDC_* settings (none: local passwords only), then serves on :$(PORT).
run: install
	$(VENV)/python -m demarrage.initialisation --demo
	$(VENV)/python -m streamlit run app.py --server.port=$(PORT) --server.address=0.0.0.0 \
		--secrets.files="$$($(VENV)/python -m demarrage.secrets_streamlit)"

# Installs what tests need and runs the whole suite on SQLite and on a throwaway PostgreSQL (scripts/tests.sh: the
# tests spread over the cores, then the browser journeys one at a time).
test: install-dev
	$(VENV)/python -m ruff check .
	bash scripts/with-postgres.sh bash scripts/tests.sh $(PYTEST_ARGS)

bench: install-dev
	$(VENV)/python bench/pdf_conversion.py

# Multi-instance deployments (OEPRE_PLANIFICATEUR=processus on every app instance): the one scheduler process.
planificateur: install
	$(VENV)/python -m workflow.automatismes.planification
