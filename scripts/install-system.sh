#!/usr/bin/env bash
# Installs the Debian packages the service needs: LibreOffice (PDF), python3-uno (persistent
# converter), poppler (PDF → PNG), Chromium (browser tests), fonts metric-compatible with
# Calibri/Cambria/Arial, Noto fonts for Arabic/Tifinagh/Tamil scripts, Symbola for emoji, PostgreSQL (tests).
# Emoji: Symbola (outline glyphs) is what LibreOffice 7.4 draws into a PDF; the colour bitmaps of
# fonts-noto-color-emoji come out blank there, so that package is not the one to install for documents.
# Runs apt-get only for what is missing, and only as root; otherwise says what to install.
set -euo pipefail
PACKAGES=(libreoffice-writer-nogui python3-uno python3-venv poppler-utils chromium
          fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2 fonts-dejavu-core
          fonts-noto-core fonts-symbola postgresql)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installation des paquets Debian : ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Paquets Debian manquants : ${missing[*]}" >&2
  echo "Installez-les avec : sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  [ "${CI:-}" = "true" ] && exit 1
fi
