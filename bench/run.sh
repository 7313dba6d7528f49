#!/usr/bin/env bash
# goawait vs ipykernel benchmark (see bench/README.md and bench/bench.py).
#
#   bench/run.sh            full run, writes bench/results.json (a few minutes)
#   bench/run.sh --quick    few repetitions, small sizes, < 60 s (run by ./test.sh);
#                           exits non-zero if any kernel output is wrong, never for slowness
#   bench/run.sh --kernels python3 | --kernels goawait | --out PATH
#
# Builds .build/bench/goawait, installs its "goawait" kernelspec into an isolated
# Jupyter data dir (.build/bench/jupyter-data) and runs bench/bench.py with .venv's
# python. "python3" is the kernelspec of .venv's ipykernel (.venv/share/jupyter, which
# Jupyter prefers inside a venv; jupyter_client runs its argv "python" as .venv's
# python, and bench.py checks the kernel process's argv[0] is that python).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
if [ ! -x "$PY" ]; then
	echo "bench: no .venv; run ./test.sh py once (or python3 -m venv .venv && .venv/bin/pip install -r tests/requirements.txt)" >&2
	exit 2
fi

export GOFLAGS=${GOFLAGS:--mod=mod}
mkdir -p .build/bench
rm -f .build/bench/goawait
go build -o .build/bench/goawait . || echo "bench: goawait does not build; its figures will be missing" >&2

export JUPYTER_DATA_DIR=$ROOT/.build/bench/jupyter-data
export JUPYTER_CONFIG_DIR=$ROOT/.build/bench/jupyter-config
export JUPYTER_RUNTIME_DIR=$ROOT/.build/bench/jupyter-runtime
export IPYTHONDIR=$ROOT/.build/bench/ipython
export JUPYTER_PLATFORM_DIRS=1
unset JUPYTER_PATH
rm -rf "$JUPYTER_DATA_DIR"
if [ -x .build/bench/goawait ]; then .build/bench/goawait install --user >/dev/null; fi

exec "$PY" bench/bench.py "$@"
