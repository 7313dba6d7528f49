#!/usr/bin/env bash
# Runs goawait's Go fuzz targets (go test -fuzz), one after another, each
# for the same time. Their committed seed corpora (testdata/fuzz/FuzzXxx/ of
# each package) are replayed by every plain `go test` run as well.
#
#   ./fuzz.sh                  every target for 10s
#   ./fuzz.sh 5s               every target for 5s
#   ./fuzz.sh 10000x           every target for 10,000 inputs (what test.sh runs)
#   ./fuzz.sh 30m FuzzRewrite  one target (a name, or a regexp of names)
#
# A long run, for example overnight or before a release (about 6 hours, on
# every core):
#
#   FUZZ_PARALLEL=$(nproc) ./fuzz.sh 2h
#
# The targets:
#   FuzzDecode   ./kernel/         the wire decoder: frames, signatures, replays
#   FuzzParse    ./internal/cell/  the cell parser and the dialect substitution
#   FuzzRewrite  ./autoawait/      cell parser + async/await rewriter + emitter
#
# New interesting inputs go to Go's fuzz cache ($(go env GOCACHE)/fuzz). An
# input that fails is written to the package's testdata/fuzz/FuzzXxx/ and the
# script stops with go test's report; rerun it with
# `go test -run=FuzzXxx/<file> ./<package>/`, fix the bug, and commit the
# input with the fix so that it stays a regression test. FUZZ_PARALLEL sets
# the workers (default 2); FUZZ_MINIMIZE bounds how long a new input is
# minimized (default 5s: Go's 60s default stalls short runs).
set -euo pipefail
cd "$(dirname "$0")"
export GOFLAGS=${GOFLAGS:--mod=mod}

time=${1:-10s}
only=${2:-.}
parallel=${FUZZ_PARALLEL:-2}
minimize=${FUZZ_MINIMIZE:-5s}

targets=(
	"FuzzDecode ./kernel/"
	"FuzzParse ./internal/cell/"
	"FuzzRewrite ./autoawait/"
)
for t in "${targets[@]}"; do
	read -r name pkg <<<"$t"
	if ! [[ $name =~ $only ]]; then
		continue
	fi
	printf '\n==> %s %s for %s\n' "$name" "$pkg" "$time"
	go test -run='^$' -fuzz="^${name}\$" -fuzztime="$time" -fuzzminimizetime="$minimize" -parallel="$parallel" "$pkg"
done
