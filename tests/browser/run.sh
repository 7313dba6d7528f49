#!/usr/bin/env bash
# goawait in real front ends: JupyterLab 4 and Notebook 7 driven in headless
# Chromium by playwright-core, and `jupyter console` driven in tmux.
#
#   tests/browser/run.sh                 every stage
#   tests/browser/run.sh lab.test.mjs    some of them (any `node --test` arguments)
#
# ../../test.sh calls it after the Python tests, with .venv set up, the kernel
# built and its kernelspec installed into the isolated JUPYTER_* dirs it
# exports. Alone, it uses the same dirs and builds what is missing.
#
# It needs Node.js 20 or newer (with npm) and Debian's chromium,
# chromium-driver and tmux. When those three are missing it installs them
# with apt-get --no-install-recommends, which needs root (as CI runs) or
# sudo; without either it stops and says what to install. It installs the
# pinned playwright-core with `npm ci`; Playwright never downloads a browser.
# Screenshots, terminal texts and server logs go to tests/browser/artifacts/.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$HERE"

step() { printf '\n==> %s\n' "$*"; }
started=$SECONDS

# --- system packages ---------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v tmux >/dev/null || missing+=(tmux)
if [ ${#missing[@]} -gt 0 ]; then
	step "apt-get install ${missing[*]}"
	sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if ! command -v sudo >/dev/null; then
			echo "tests/browser needs ${missing[*]} (Debian packages): run as root, or install them first" >&2
			exit 1
		fi
		sudo=(sudo)
	fi
	export DEBIAN_FRONTEND=noninteractive
	# Without recommends: chromium's recommended packages pull in CUPS,
	# systemd upgrades and more that a headless browser does not use.
	install=(apt-get install -y --no-install-recommends chromium chromium-driver tmux)
	# Update the package lists only when the install cannot find the packages.
	if ! "${sudo[@]}" "${install[@]}"; then
		"${sudo[@]}" apt-get update
		"${sudo[@]}" "${install[@]}"
	fi
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
	echo "tests/browser needs Node.js 20 or newer, with npm (found: $(node --version 2>/dev/null || echo none))" >&2
	exit 1
fi

# --- playwright-core, pinned by package-lock.json -----------------------------
stamp=node_modules/.package-lock.sha
want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	step "npm ci (playwright-core; no browser download)"
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	echo "$want" >"$stamp"
fi

# --- the kernel and Jupyter, as test.sh leaves them ---------------------------
export JUPYTER_DATA_DIR=${JUPYTER_DATA_DIR:-$ROOT/.build/jupyter-data}
export JUPYTER_CONFIG_DIR=${JUPYTER_CONFIG_DIR:-$ROOT/.build/jupyter-config}
export JUPYTER_RUNTIME_DIR=${JUPYTER_RUNTIME_DIR:-$ROOT/.build/jupyter-runtime}
export JUPYTER_PLATFORM_DIRS=1
if [ ! -x "$ROOT/.venv/bin/jupyter" ]; then
	step "Python virtual environment (.venv, pinned by tests/requirements.txt)"
	python3 -m venv "$ROOT/.venv"
	"$ROOT/.venv/bin/python" -m pip install -q -r "$ROOT/tests/requirements.txt"
fi
if [ ! -f "$JUPYTER_DATA_DIR/kernels/goawait/kernel.json" ]; then
	step "build goawait and install its kernelspec into $JUPYTER_DATA_DIR"
	(cd "$ROOT" && mkdir -p .build && go build -o .build/goawait . && .build/goawait install --user)
fi

# --- the stages -----------------------------------------------------------------
export GOAWAIT_ARTIFACTS=$HERE/artifacts
rm -rf "$GOAWAIT_ARTIFACTS"
mkdir -p "$GOAWAIT_ARTIFACTS"
# Whatever happens to the tests, end the servers, browsers and consoles they started.
trap 'node "$HERE/lib/cleanup.mjs" || true' EXIT

files=("$@")
[ ${#files[@]} -gt 0 ] || files=(lab.test.mjs notebook.test.mjs console.test.mjs)
step "JupyterLab 4, Notebook 7 and jupyter console (node --test ${files[*]})"
status=0
timeout -k 15 600 node --test --test-concurrency=1 \
	--test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$GOAWAIT_ARTIFACTS/results.tap" \
	"${files[@]}" || status=$?

touch "$GOAWAIT_ARTIFACTS/results.tap"
pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$GOAWAIT_ARTIFACTS/results.tap" | tail -n 1)
fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$GOAWAIT_ARTIFACTS/results.tap" | tail -n 1)
skipped=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$GOAWAIT_ARTIFACTS/results.tap" | tail -n 1)
echo "artifacts: $GOAWAIT_ARTIFACTS ($((SECONDS - started)) s)"
if [ "$status" -ne 0 ] && [ "${fail:-0}" -eq 0 ]; then
	fail=1 # the runner itself failed (timeout, crash)
fi
echo "browser: ${pass:-0} passed, ${fail:-0} failed, ${skipped:-0} skipped"
exit "$status"
