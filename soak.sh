#!/usr/bin/env bash
# The long soak, separate from ./test.sh (it takes ~6 minutes and up to
# ~1.5 GB of memory). Builds goawait, installs it into the isolated Jupyter
# dirs of test.sh, and runs, each in a fresh kernel:
#
#   - 10,000 cells in one session (a statement, a print, a value, an await
#     in turn), RSS every 1,000 cells and the growth per cell;
#   - a 1 GB output flood (1 KiB lines) to a client that first reads
#     nothing, then slowly: every line arrives in order, RSS stays bounded,
#     the heartbeat answers; and a client that stops reading (output
#     dropped with a note in the cell);
#   - 100,000 tasks gathered in one cell, three times: time, peak RSS and
#     what stays held after each;
#   - shutdown, restart and a dead parent leave no stray processes;
#   - every test of tests/ marked `measured` (it measures a duration or a
#     memory figure through conftest's soak_bound: how long an interrupt
#     takes, the heartbeat during a flood, RSS over 1,000 cells...). The
#     normal run only prints those figures; here their bounds are enforced;
#
# then prints a table of the results. The tests are tests/test_soak.py and
# the measured tests; sizes can be changed with GOAWAIT_SOAK_CELLS,
# GOAWAIT_SOAK_TASKS and GOAWAIT_SOAK_FLOOD_MB (MB).
#
#   ./soak.sh
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

if [ ! -x .venv/bin/python ]; then
	echo "soak.sh: no .venv: run ./test.sh py once first" >&2
	exit 2
fi
export GOFLAGS=${GOFLAGS:--mod=mod}
mkdir -p .build
go build -o .build/goawait .
export JUPYTER_DATA_DIR=$ROOT/.build/jupyter-data
export JUPYTER_CONFIG_DIR=$ROOT/.build/jupyter-config
export JUPYTER_RUNTIME_DIR=$ROOT/.build/jupyter-runtime
export JUPYTER_PLATFORM_DIRS=1
.build/goawait install --user >/dev/null
export GOAWAIT_BIN=$ROOT/.build/goawait
export PATH=$ROOT/.venv/bin:$PATH

export GOAWAIT_SOAK=1
export GOAWAIT_SOAK_FLOOD_MB=${GOAWAIT_SOAK_FLOOD_MB:-1024}
results=$(mktemp)
trap 'rm -f "$results"' EXIT
export GOAWAIT_SOAK_RESULTS=$results

status=0
python -m pytest -q -p no:cacheprovider -s tests/test_soak.py || status=$?
python -m pytest -q -p no:cacheprovider -s -m measured tests \
	--ignore=tests/test_soak.py --ignore=tests/test_kernel_protocol.py || status=$?

python - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("\n| soak | result |\n|---|---|")
for r in rows:
    if r["name"] == "cells":
        per = r["per_1000"]
        growth = (per[-1][1] - per[0][1]) * 1024 / (per[-1][0] - per[0][0]) if len(per) > 1 else float("nan")
        print(f"| {r['cells']:,} cells in one session | {r['seconds']:.0f} s ({r['ms_per_cell']} ms a cell); "
              f"RSS {r['rss_start_mb']:.0f} MB at start, {per[0][1]:.0f} MB after 1,000, {r['rss_end_mb']:.0f} MB "
              f"after {r['cells']:,} (+{growth:.0f} kB a cell) |")
        print("| &nbsp;&nbsp;RSS every 1,000 cells (MB) | " + ", ".join(f"{p[1]:.0f}" for p in per) + " |")
    elif r["name"] == "flood":
        print(f"| {r['mb']:,} MB printed, client reads slowly | {r['seconds']:.0f} s, every line in order; "
              f"RSS {r['rss_before_mb']} MB before, {r['rss_peak_mb']} MB at most; heartbeat within {r['hb_worst_ms']} ms |")
    elif r["name"] == "bound":
        ok = "ok" if r["value"] <= r["bound"] else "**over**"
        print(f"| {r['what']} | {r['value']:g} {r['unit']} (bound {r['bound']:g} {r['unit']}: {ok}) |")
    elif r["name"] == "tasks":
        for i, rd in enumerate(r["rounds"], 1):
            print(f"| {r['tasks']:,} tasks gathered (run {i}) | {rd['seconds']:.1f} s; RSS {r['rss_before_mb']} MB before, "
                  f"{rd['rss_peak_mb']} MB at peak, {rd['rss_held_mb']} MB after `debug.FreeOSMemory()` |")
PY
exit $status
