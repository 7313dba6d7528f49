#!/usr/bin/env bash
# Builds goawait, installs its kernelspec for the current user and opens
# JupyterLab (from the project's virtual environment) with it.
#
#   ./lab.sh [jupyter lab arguments...]
#
# As root (a container, a fresh VM) it passes --allow-root, without which
# Jupyter refuses to start ("Running as root is not recommended").
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/jupyter ]; then
	python3 -m venv .venv
	.venv/bin/python -m pip install -q -r tests/requirements.txt
	.venv/bin/python -m pip install -q ./papermill-goawait
fi
go install .
gobin=$(go env GOBIN)
[ -n "$gobin" ] || gobin=$(go env GOPATH)/bin
"$gobin/goawait" install --user
root=()
[ "$(id -u)" -ne 0 ] || root=(--allow-root)
exec .venv/bin/jupyter lab --notebook-dir=notebooks "${root[@]}" "$@"
