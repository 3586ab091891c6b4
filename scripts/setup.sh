#!/usr/bin/env bash
# Create .venv and install the pinned dependencies. Idempotent: a stamp keyed on
# the lock and pyproject skips the work when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
stamp=.venv/.planchat-installed
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # torch first and pinned: an unpinned torch would pull gigabytes of CUDA wheels.
  .venv/bin/pip install --quiet torch==2.13.0
  .venv/bin/pip install --quiet -c requirements.lock -e ".[dev]"
  echo "$want" > "$stamp"
fi
