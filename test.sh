#!/usr/bin/env bash
# Runs every goawait test on a fresh machine that has Go and Python 3:
# Go checks and unit tests (with the race detector) and a short fuzz run,
# then the kernel driven by Jupyter's own clients (jupyter_kernel_test,
# jupyter_client, nbconvert and `jupyter execute`) from a project-local
# virtual environment, then JupyterLab and Notebook 7 in headless Chromium
# and jupyter console in tmux (Chromium and tmux come from Debian's packages).
#
# Needs Go, Python 3 with venv, and for the browser stage Node.js 20 or newer
# with npm; that stage installs Debian's chromium, chromium-driver and tmux
# when they are missing, which needs root or sudo (tests/browser/run.sh).
#
#   ./test.sh          everything
#   ./test.sh go       only the Go side
#   ./test.sh py       only the Python side (builds and installs the kernel first)
#   ./test.sh browser  only JupyterLab, Notebook 7 and jupyter console (tests/browser)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
what=${1:-all}

export GOFLAGS=${GOFLAGS:--mod=mod}
STATICCHECK=honnef.co/go/tools/cmd/staticcheck@v0.8.2

step() { printf '\n==> %s\n' "$*"; }

go_checks() {
	step "gofmt"
	unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.venv/*'))
	if [ -n "$unformatted" ]; then
		echo "gofmt would change:"; echo "$unformatted"; exit 1
	fi
	step "go vet"
	go vet ./...
	step "staticcheck"
	go run "$STATICCHECK" ./...
	step "go test -race"
	go test -race -count=1 ./...
	step "fuzz (short; ./fuzz.sh documents a long run)"
	# A count, not a duration: go test -fuzz can fail with "context deadline
	# exceeded" when a time limit ends while a worker is busy.
	./fuzz.sh 10000x
}

setup_python() {
	step "Python virtual environment (.venv, pinned by tests/requirements.txt)"
	if [ ! -x .venv/bin/python ]; then
		python3 -m venv .venv
	fi
	# Reinstalled when the pins or papermill-goawait's files change.
	stamp=.venv/.requirements.sha
	want=$(cat tests/requirements.txt $(git ls-files papermill-goawait 2>/dev/null || find papermill-goawait -name '*.py' -o -name '*.toml') | sha256sum | cut -d' ' -f1)
	if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
		.venv/bin/python -m pip install -q --upgrade pip
		.venv/bin/python -m pip install -q -r tests/requirements.txt
		# papermill's Go translator for the goawait kernel (tests/test_papermill.py)
		.venv/bin/python -m pip install -q ./papermill-goawait
		echo "$want" >"$stamp"
	fi
}

build_and_install() {
	step "build goawait and install its kernelspec into an isolated Jupyter data dir"
	mkdir -p .build
	go build -o .build/goawait .
	export JUPYTER_DATA_DIR=$ROOT/.build/jupyter-data
	export JUPYTER_CONFIG_DIR=$ROOT/.build/jupyter-config
	export JUPYTER_RUNTIME_DIR=$ROOT/.build/jupyter-runtime
	export JUPYTER_PLATFORM_DIRS=1
	rm -rf "$JUPYTER_DATA_DIR"
	.build/goawait install --user
	export GOAWAIT_BIN=$ROOT/.build/goawait
}

py_tests() {
	setup_python
	build_and_install
	export PATH=$ROOT/.venv/bin:$PATH
	step "jupyter_kernel_test (python -m unittest)"
	(cd tests && python -m unittest -v test_kernel_protocol 2>&1 | tail -n 40)
	step "jupyter_client, nbconvert and jupyter execute (pytest)"
	python -m pytest -q -p no:cacheprovider tests --ignore=tests/test_kernel_protocol.py "${PYTEST_ARGS[@]}"
	step "benchmark, quick mode (fails on wrong output, not on slowness; bench/run.sh for the full table)"
	bench/run.sh --quick
}

browser_tests() {
	step "JupyterLab 4, Notebook 7 and jupyter console in real front ends (tests/browser/run.sh)"
	tests/browser/run.sh
}

PYTEST_ARGS=()
case "$what" in
go) go_checks ;;
py) py_tests ;;
browser) setup_python; build_and_install; browser_tests ;;
all) go_checks; py_tests; browser_tests ;;
*) echo "usage: $0 [all|go|py|browser]" >&2; exit 2 ;;
esac
