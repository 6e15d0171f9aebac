# Shared by bin/run and bin/test: make sure .venv exists and holds this project (editable) with the
# extras asked for. Re-installs only when pyproject.toml changed since the last install, so a second
# run starts at once.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.venv"
extras="$1"
stamp="$venv/.pjsipconf-installed-$extras"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if [ ! -f "$stamp" ] || [ "$root/pyproject.toml" -nt "$stamp" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$root[$extras]"
    touch "$stamp"
fi
