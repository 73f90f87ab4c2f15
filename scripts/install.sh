#!/usr/bin/env bash
# Install jianbao on Debian/Ubuntu: the open CJK fonts (Debian packages), a virtual environment
# in .venv with jianbao and its Python packages, then build the example issues into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

bash scripts/install-fonts.sh

python=${PYTHON:-python3}
command -v "$python" >/dev/null || apt_install python3
if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    "$python" -m venv .venv
  fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
echo "jianbao installed: $(.venv/bin/jianbao --version)"

# Prepare the fonts once (open fonts are converted for PDF embedding and cached), then build.
.venv/bin/jianbao build
