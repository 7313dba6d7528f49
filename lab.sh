#!/usr/bin/env bash
# Builds goawait, installs its kernelspec for the current user and opens
# JupyterLab (from the project's virtual environment) with it.
#
#   ./lab.sh [jupyter lab arguments...]
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
exec .venv/bin/jupyter lab --notebook-dir=notebooks "$@"
