#!/usr/bin/env bash
# The whole suite, in two passes on the same throwaway PostgreSQL (run under scripts/with-postgres.sh):
# 1. every test but the browser journeys, spread over the machine's cores by pytest-xdist (each worker has its own
#    PostgreSQL database and its own LibreOffice, tests/conftest.py);
# 2. the Chromium journeys one at a time: each waits on a live server, and beside CPU-heavy tests they time out.
# Arguments go to both passes (a pass that they leave with no test to run counts as passed if the other ran some).
set -uo pipefail
PY=${PY:-.venv/bin/python}
"$PY" -m pytest -q -n auto -m "not navigateur" "$@"; sans_navigateur=$?
"$PY" -m pytest -q -m navigateur "$@"; navigateur=$?
AUCUN_TEST=5
if [ $sans_navigateur = $AUCUN_TEST ] && [ $navigateur != $AUCUN_TEST ]; then sans_navigateur=0; fi
if [ $navigateur = $AUCUN_TEST ] && [ $sans_navigateur != $AUCUN_TEST ]; then navigateur=0; fi
if [ $sans_navigateur != 0 ]; then exit $sans_navigateur; fi
exit $navigateur
