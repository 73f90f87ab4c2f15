#!/usr/bin/env bash
# Install the test tools (pytest, pdfplumber, pypdf, hypothesis; LibreOffice and poppler from
# Debian for the rendering tests) and run the test suite. Run scripts/install.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

[ -x .venv/bin/python ] || { echo "run scripts/install.sh first" >&2; exit 1; }
command -v soffice >/dev/null || apt_install libreoffice-writer-nogui
command -v pdftoppm >/dev/null || apt_install poppler-utils
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
.venv/bin/python -m pytest -q "$@"
