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
# Microsoft's Open XML SDK validator (npm @ooxml-tools/validate, runs offline once installed) for the schema test,
# into .tools/ooxml (not committed); without node the test is skipped with a message.
if command -v npm >/dev/null && [ ! -f .tools/ooxml/node_modules/@ooxml-tools/validate/package.json ]; then
  npm install --silent --no-audit --no-fund --prefix .tools/ooxml @ooxml-tools/validate@0.4.6 \
    || echo "test.sh: could not install @ooxml-tools/validate: the schema test will be skipped" >&2
fi
.venv/bin/python -m pytest -q "$@"
