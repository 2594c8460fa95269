#!/usr/bin/env bash
# Executes every notebook here, headless, against one mdime output folder; fails on the first error.
#
#   notebooks/execute.sh REPORTS_DIR [EXECUTED_DIR]
#
# REPORTS_DIR holds the outputs of `mdime run` and `mdime backtest`. The committed notebooks stay
# without outputs; EXECUTED_DIR, if given, receives the executed copies. The virtual environment is
# notebooks/.venv (or $MDIME_NOTEBOOK_VENV), made with $PYTHON (python3 by default, 3.11 or later).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 REPORTS_DIR [EXECUTED_DIR]" >&2
  exit 2
fi
if [ ! -d "$1" ]; then
  echo "$0: $1 is not a folder" >&2
  exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
# absolute, because each notebook runs from the notebooks folder
MDIME_REPORTS=$(cd "$1" && pwd)
export MDIME_REPORTS
executed=""
if [ $# -eq 2 ]; then
  mkdir -p "$2"
  executed=$(cd "$2" && pwd)
fi

venv=${MDIME_NOTEBOOK_VENV:-$here/.venv}
if [ ! -x "$venv/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

"$venv/bin/python" - "$here" "$executed" <<'PY'
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

here, executed = Path(sys.argv[1]), sys.argv[2]
notebooks = sorted(here.glob("*.ipynb"))
if not notebooks:
    sys.exit(f"no notebooks in {here}")
for path in notebooks:
    notebook = nbformat.read(path, as_version=4)
    started = time.monotonic()
    try:
        NotebookClient(notebook, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(here)}}).execute()
    except Exception:
        print(f"FAILED {path.name}", file=sys.stderr)
        raise
    finally:
        if executed:
            nbformat.write(notebook, Path(executed) / path.name)
    print(f"ok {path.name} ({time.monotonic() - started:.1f} s)")
PY
