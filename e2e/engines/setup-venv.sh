#!/usr/bin/env bash
# Creates e2e/.venv with the pinned Python engines (requirements.txt), once per requirements hash.
# Idempotent: a venv whose stamp matches the hash is reused as it is. Needs Python 3.10+ (3.11 here).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/../.venv"
req="$here/requirements.txt"
# one setup at a time: CI starts one in the background while it installs and builds, and the engine
# tests call this again; the second waits for the first and then finds its stamp
exec 9>"$here/../.venv.lock"
flock 9
hash="$(sha256sum "$req" | cut -c1-16)"
stamp="$venv/.batchbook-requirements-$hash"
if [ -f "$stamp" ] && [ -x "$venv/bin/python" ]; then
  exit 0
fi
python="${BATCHBOOK_PYTHON:-$(command -v python3.11 || command -v python3)}"
echo "setting up $venv with $("$python" --version) (requirements $hash)…" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip >&2
"$venv/bin/python" -m pip install --quiet -r "$req" >&2
touch "$stamp"
echo "ready: $venv" >&2
