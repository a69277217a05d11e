#!/usr/bin/env bash
# Creates .venv (the application, Python 3.11) and .unovenv (the LibreOffice converter server,
# which must run under Debian's /usr/bin/python3 to import uno). Re-runs are cheap: pip only
# installs when the requirements file changed since the last install.
set -euo pipefail
REQ=${1:-requirements.txt}
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.installed-$(sha256sum "$REQ" requirements.txt | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install -q --disable-pip-version-check -r "$REQ"
  touch "$stamp"
fi
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import uno" 2>/dev/null; then
  [ -x .unovenv/bin/unoserver ] || {
    /usr/bin/python3 -m venv --system-site-packages .unovenv
    .unovenv/bin/pip install -q --disable-pip-version-check unoserver==3.7
  }
fi
