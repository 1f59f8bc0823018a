# Sourced by scripts/demo and scripts/test: make .venv and install the project into it.
# Usage: ensure_venv EXTRA   (EXTRA is "demo" or "test")
set -euo pipefail

ensure_venv() {
    local extra="$1"
    local python="${PYTHON:-python3}"
    if ! command -v "$python" >/dev/null 2>&1; then
        echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)." >&2
        exit 1
    fi
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "Python 3.11 or newer is needed; $("$python" --version) found (set PYTHON=...)." >&2
        exit 1
    fi
    if [ ! -x .venv/bin/python ]; then
        echo "Creating the virtual environment .venv …"
        "$python" -m venv .venv
    fi
    # Reinstall only when the project's dependencies changed.
    local stamp=".venv/.installed-$extra"
    local want
    want="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "Installing the bot and its dependencies ($extra) into .venv …"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$extra]"
        echo "$want" > "$stamp"
    fi
    compile_catalogs
}

# The bot reads compiled catalogs (.mo); compile them from the .po files, which may have been
# edited since the install.
compile_catalogs() {
    .venv/bin/pybabel -q compile -d board_bot/locale -D board_bot
}

# Headless Chromium, for the tests that look at reports as a reader does (tests/browser.py),
# and HarfBuzz's subsetter, with which WeasyPrint embeds fonts in the report's PDF so that its
# text can be read back (without it, fontTools subsets them and the text comes out garbled):
# installed with apt-get where this runs as root on Debian; elsewhere those tests skip (and fail
# in CI, which sets BOARD_BOT_REQUIRE_CHROMIUM=1).
ensure_chromium() {
    if ! command -v apt-get >/dev/null 2>&1; then
        return 0
    fi
    if command -v chromium >/dev/null 2>&1 && dpkg -s libharfbuzz-subset0 >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "missing: sudo apt-get install chromium libharfbuzz-subset0 (the browser tests skip)" >&2
        return 0
    fi
    echo "Installing chromium for the browser tests …"
    local packages="chromium libharfbuzz-subset0 fonts-dejavu-core fonts-noto-color-emoji"
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $packages >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends $packages >/dev/null; }
}

# HarfBuzz's subsetter, with which WeasyPrint embeds the fonts of the report's PDF
# (``!bericht export``) so that its text can be searched and copied; without it, fontTools
# subsets them and the text comes out garbled. Installed where this runs as root on Debian.
ensure_pdf_fonts() {
    if ! command -v apt-get >/dev/null 2>&1 || dpkg -s libharfbuzz-subset0 >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "for the report's PDF: sudo apt-get install libharfbuzz-subset0" >&2
        return 0
    fi
    apt-get install -y -qq --no-install-recommends libharfbuzz-subset0 >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends libharfbuzz-subset0 >/dev/null; }
}
