#!/usr/bin/env bash
# The tests' JavaScript tools (package.json: axe-core for the accessibility audit), installed from package-lock.json
# into node_modules/. Node.js and npm come from Debian when the machine has neither. Re-runs are cheap: npm only runs
# when the lock file changed since the last install.
set -euo pipefail
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installation des paquets Debian : nodejs npm"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "npm manquant : installez-le avec : sudo apt-get install --no-install-recommends nodejs npm" >&2
    exit 1
  fi
fi
stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f "$stamp" ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
