# Sourced by scripts/run and scripts/test: a virtual environment in .venv with the pinned requirements.
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
# WeasyPrint (the board report PDF) needs Debian's Pango and HarfBuzz libraries and a font.
if ! /sbin/ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0"; then
  PANGO_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PANGO_PACKAGES >/dev/null
  elif command -v sudo >/dev/null; then
    sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PANGO_PACKAGES >/dev/null
  else
    echo "The board report PDF needs: apt-get install -y $PANGO_PACKAGES" >&2
  fi
fi
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
