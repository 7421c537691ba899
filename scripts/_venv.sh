# Sourced by scripts/run and scripts/test: a virtual environment in .venv with the pinned requirements.
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate
stamp=".venv/.installed-$(cat "$1" requirements.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  python -m pip install --quiet --upgrade pip
  python -m pip install --quiet -r "$1"
  touch "$stamp"
fi
