"""goawait vs ipykernel, side by side, as a Jupyter client sees them.

Run (from the repository root):

    bench/run.sh            full run (about 2 minutes): builds goawait, installs its
                            kernelspec into an isolated Jupyter data dir (.build/bench/),
                            writes bench/results.json
    bench/run.sh --quick    few repetitions, small sizes (< 60 s); what ./test.sh runs;
                            writes .build/bench/results-quick.json
    bench/run.sh --kernels python3          one kernel only (also: goawait)
    bench/run.sh --out PATH                 JSON somewhere else

`python bench/bench.py ...` takes the same flags and uses whatever kernelspecs
"goawait" and "python3" Jupyter finds in the current environment.

Each kernel is started by kernelspec name through jupyter_client's
KernelManager, one kernel at a time, and driven through the same cells in its
own language (workloads.py). Every figure is a median over repeated runs, with
min and max. The exit status is 1 if any output is wrong (a missing or
repeated line, a wrong result, an error reply) or a kernel fails; slowness
never fails the run: targets are printed as pass/miss only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from typing import Callable

from jupyter_client.kernelspec import KernelSpecManager

import report
from driver import BenchError, Kernel, KernelDied
from workloads import DIALECTS, Dialect, check_lines, fib

FULL = {"startups": 5, "cells": 500, "warmup": 10, "memory_cells": 1000, "lookups": 100, "fib": 27, "fib_reps": 5,
        "lines": 100_000, "output_reps": 3, "tasks": [10_000, 100_000], "tasks_reps": [5, 3], "max_wait": 600,
        "parked": 3000, "parked_reps": 3, "age_cells": 2000, "import_reps": 3}
QUICK = {"startups": 2, "cells": 50, "warmup": 5, "memory_cells": 100, "lookups": 10, "fib": 20, "fib_reps": 2,
         "lines": 10_000, "output_reps": 1, "tasks": [1_000, 10_000], "tasks_reps": [1, 1], "max_wait": 15,
         "parked": 300, "parked_reps": 1, "age_cells": 100, "import_reps": 1}


class Checker:
    """Collects wrong answers of one kernel; any of them fails the run."""

    def __init__(self, kernel: str):
        self.kernel = kernel
        self.problems: list[str] = []

    def __call__(self, ok: bool, what: str) -> bool:
        if not ok and len(self.problems) < 20:
            self.problems.append(f"{self.kernel}: {what}")
        return ok

    def cell(self, ex, what: str) -> None:
        """An execute that must succeed and write nothing to stderr."""
        if self(ex.status == "ok", f"{what}: reply status {ex.status}: {error_text(ex)}"):
            err = ex.stream_text("stderr")
            self(not err, f"{what}: unexpected stderr {err[:200]!r}")


def error_text(ex) -> str:
    errs = ex.of_type("error")
    if errs:
        c = errs[0]["content"]
        return f"{c.get('ename')}: {c.get('evalue')}"
    if ex.reply:
        return f"{ex.reply['content'].get('ename')}: {ex.reply['content'].get('evalue')}"
    return ""


def error_report(ex) -> str:
    """"ename: evalue" and the traceback of an execute's error, as one text."""
    errs = ex.of_type("error")
    content = errs[0]["content"] if errs else (ex.reply or {}).get("content", {})
    return "\n".join([error_text(ex), *content.get("traceback", [])])


def ms(seconds: float) -> float:
    return seconds * 1000


FAST_RECONNECT_MS = 2


def start_ready(d: Dialect, p: dict, reconnect_ms: int | None, log: str, attempts: int = 3, **kw) -> tuple:
    """Start a kernel and wait until it is ready: (kernel, seconds to 1st kernel_info_reply, retries).

    A kernel that dies before it answers is started again (that try is not
    timed), at most attempts times in all: on a busy machine another process
    can take a port between jupyter_client choosing it and the kernel binding it.
    """
    for attempt in range(attempts):
        k = Kernel(d.kernel, reconnect_ms=reconnect_ms, max_wait=p["max_wait"])
        try:
            k.start(log, **kw)
            return k, k.wait_ready(), attempt
        except KernelDied:
            k.shutdown()
            if attempt == attempts - 1:
                raise
        except BaseException:
            k.shutdown()
            raise


def startups(d: Dialect, p: dict, check: Checker, fig: dict, log: str) -> Kernel:
    """Start the kernel 2 × p["startups"] times; keep the last one running and return it.

    Starts alternate between a client with jupyter_client's defaults and one
    whose sockets retry connecting every FAST_RECONNECT_MS, which shows the
    kernel's own startup time without libzmq's 100-200 ms reconnect wait.
    """
    times = {None: ([], []), FAST_RECONNECT_MS: ([], [])}
    rss = []
    fig["startup_retries"] = 0
    for i in range(p["startups"] * 2):
        reconnect_ms = FAST_RECONNECT_MS if i % 2 else None
        k, ready, retries = start_ready(d, p, reconnect_ms, log)
        fig["startup_retries"] += retries
        try:
            ex = k.execute(d.first_cell)
            times[reconnect_ms][0].append(ready)
            times[reconnect_ms][1].append(ex.sent_at + ex.to_idle - k.started_at)
            check.cell(ex, "first cell")
            rss.append(k.memory()["VmRSS"])
        except BaseException:
            k.shutdown()
            raise
        if i < p["startups"] * 2 - 1:
            k.shutdown()
    for ivl, suffix in ((None, ""), (FAST_RECONNECT_MS, "_fast")):
        fig[f"startup_kernel_info{suffix}_s"] = report.summary(times[ivl][0])
        fig[f"startup_first_idle{suffix}_s"] = report.summary(times[ivl][1])
    fig["rss_startup_mib"] = report.summary(rss)
    return k


def round_trips(k: Kernel, d: Dialect, p: dict, check: Checker, fig: dict) -> None:
    """Trivial cells: warm-up, timed ones, then more until memory_cells have run."""
    reply, idle, client = [], [], []
    total = max(p["memory_cells"], p["warmup"] + p["cells"])
    for i in range(total):
        ex = k.execute(d.trivial)
        check.cell(ex, "trivial cell")
        check(not ex.iopub or all(m["msg_type"] == "execute_input" for m in ex.iopub),
              f"trivial cell published {[m['msg_type'] for m in ex.iopub]}")
        if p["warmup"] <= i < p["warmup"] + p["cells"]:
            reply.append(ms(ex.to_reply))
            idle.append(ms(ex.to_idle))
            client.append(ms(ex.client))
    fig["rt_reply_ms"] = report.summary(reply, p99=True)
    fig["rt_client_ms"] = report.summary(client)
    fig["rt_idle_ms"] = report.summary(idle, p99=True)
    fig["rss_cells_mib"] = report.summary([k.memory()["VmRSS"]])


def lookups(k: Kernel, d: Dialect, p: dict, check: Checker, fig: dict) -> None:
    """complete_request, inspect_request and, for scale, kernel_info_request on the warm session.

    Three untimed requests of each kind first.
    """
    times = []
    for i in range(3 + p["lookups"]):
        ex = k.request(k.kc.kernel_info, timeout=30)
        check(ex.reply["content"].get("status") == "ok", f"kernel_info: {ex.reply['content']}")
        if i >= 3:
            times.append(ms(ex.to_reply))
    fig["kernel_info_ms"] = report.summary(times)
    code, want = d.complete
    times = []
    for i in range(3 + p["lookups"]):
        ex = k.complete(code, len(code))
        matches = ex.reply["content"].get("matches", [])
        check(any(want in m for m in matches), f"complete {code!r}: no {want!r} in {matches[:10]}")
        if i >= 3:
            times.append(ms(ex.to_reply))
    fig["complete_ms"] = report.summary(times)
    times = []
    for i in range(3 + p["lookups"]):
        ex = k.inspect(d.inspect, len(d.inspect))
        c = ex.reply["content"]
        check(c.get("found") and c.get("data", {}).get("text/plain"), f"inspect {d.inspect!r}: nothing found: {c}")
        if i >= 3:
            times.append(ms(ex.to_reply))
    fig["inspect_ms"] = report.summary(times)


def compute(k: Kernel, d: Dialect, p: dict, check: Checker, fig: dict) -> None:
    """fib(n) defined in one cell, then called in the timed next ones."""
    check.cell(k.execute(d.fib_def), "fib definition")
    times = []
    for _ in range(p["fib_reps"]):
        ex = k.execute(d.fib_call(p["fib"]), timeout=300)
        check.cell(ex, "fib call")
        check(ex.result_text() == str(fib(p["fib"])), f"fib({p['fib']}) showed {ex.result_text()!r}")
        times.append(ex.to_idle)
    fig["fib_s"] = report.summary(times)


def modules(d: Dialect, p: dict, check: Checker, fig: dict, log: str) -> None:
    """A module imported from the proxy in a new kernel: with a module cache of
    its own (the plugin is built; the Go build cache is warm), then in another
    new kernel sharing that cache (the plugin is loaded). Each import cell
    follows the kernel's first cell, in a kernel whose working directory has no
    go.mod. One untimed import in a throwaway module cache first warms the Go
    build cache (a machine's first plugin build rebuilds the standard library)."""
    if not d.import_module:
        return

    def import_in(cache: str, what: str) -> float:
        with tempfile.TemporaryDirectory(prefix="goawait-bench-nb-") as cwd:
            # A build may take minutes on a fresh machine, also in quick mode.
            k, _, _ = start_ready(d, dict(p, max_wait=600), None, log, env=dict(os.environ, XDG_CACHE_HOME=cache, GOCACHE=gocache),
                                  cwd=cwd)
            try:
                check.cell(k.execute(d.first_cell), "first cell")
                ex = k.execute(d.import_module, timeout=600)
                if check(ex.status == "ok", f"{what}: reply status {ex.status}: {error_text(ex)}"):
                    check(ex.result_text() == "36", f"{what} showed {ex.result_text()!r}, want 36")
                return ex.to_idle
            finally:
                k.shutdown()

    # XDG_CACHE_HOME moves goawait's module cache; GOCACHE stays the user's
    # Go build cache, which would otherwise move too.
    gocache = run_text(["go", "env", "GOCACHE"])
    if not check(bool(gocache), "go env GOCACHE: no answer"):
        return
    first, cached = [], []
    with tempfile.TemporaryDirectory(prefix="goawait-bench-cache-") as warm:
        import_in(warm, "warm-up import")
    for _ in range(p["import_reps"]):
        with tempfile.TemporaryDirectory(prefix="goawait-bench-cache-") as cache:
            first.append(import_in(cache, "first import"))
            cached.append(import_in(cache, "import in a new kernel"))
    fig["import_first_s"] = report.summary(first)
    fig["import_cached_s"] = report.summary(cached)


def output(k: Kernel, d: Dialect, p: dict, check: Checker, fig: dict) -> None:
    """Many printed lines in one cell: time to idle, stream messages, every line once and in order."""
    times, counts = [], []
    for _ in range(p["output_reps"]):
        ex = k.execute(d.print_lines(p["lines"]), timeout=300)
        check.cell(ex, "print lines")
        wrong = check_lines(ex.stream_text("stdout"), p["lines"])
        check(wrong is None, f"printed lines: {wrong}")
        times.append(ex.to_idle)
        counts.append(len(ex.of_type("stream")))
    fig["output_s"] = report.summary(times)
    fig["output_messages"] = report.summary(counts)


def gathers(k: Kernel, cell: Callable[[int], str], n: int, reps: int, check: Checker, what: str) -> list[float]:
    """Seconds to idle of reps cells cell(n), which run n tasks (or goroutines) and print n."""
    times = []
    for _ in range(reps):
        ex = k.execute(cell(n), timeout=600)
        check.cell(ex, what)
        check(ex.stream_text() == f"{n}\n", f"{what} printed {ex.stream_text()[:100]!r}, want {n}")
        times.append(ex.to_idle)
    return times


def goroutines(k: Kernel, d: Dialect, p: dict, check: Checker, fig: dict) -> None:
    """The smaller number of goroutines each doing time.Sleep(10 ms) under a WaitGroup.

    Python's column is its gather of as many asyncio.sleep(0.01): goroutines
    are Go's lightweight concurrency, tasks are Python's.
    """
    n, reps = p["tasks"][0], p["tasks_reps"][0]
    fig[f"goroutines_{n}_s"] = report.summary(gathers(k, d.goroutines, n, reps, check, f"{n} goroutines"))


def parked(k: Kernel, d: Dialect, p: dict, check: Checker, fig: dict, key: str) -> None:
    """p["parked"] goroutines (Python: tasks) parked on one channel, released and waited for.

    One untimed cell of 10 first, so that one-time costs of a first go
    statement are not counted.
    """
    gathers(k, d.parked, 10, 1, check, "10 parked (warm-up)")
    n = p["parked"]
    fig[key] = report.summary(gathers(k, d.parked, n, p["parked_reps"], check, f"{n} parked ({key})"))


def aged(k: Kernel, d: Dialect, p: dict, check: Checker, fig: dict) -> None:
    """The parked goroutines again, after p["age_cells"] cells that each declare a variable."""
    for i in range(p["age_cells"]):
        check.cell(k.execute(d.declare(i)), "declaring cell")
    parked(k, d, p, check, fig, "parked_aged_s")


def tasks(k: Kernel, d: Dialect, p: dict, check: Checker, fig: dict) -> None:
    """N tasks each awaiting a 10 ms sleep, gathered; RSS after the biggest N.

    One small untimed gather first, so that one-time costs of a session's
    first await are not counted.
    """
    if d.tasks_setup:
        check.cell(k.execute(d.tasks_setup), "tasks setup")
    ex = k.execute(d.gather_sleeps(10))
    check.cell(ex, "gather warm-up")
    check(ex.stream_text() == "10\n", f"gather 10 printed {ex.stream_text()[:100]!r}, want 10")
    for n, reps in zip(p["tasks"], p["tasks_reps"]):
        fig[f"tasks_{n}_s"] = report.summary(gathers(k, d.gather_sleeps, n, reps, check, f"gather {n}"))
    mem = k.memory()
    fig["rss_tasks_mib"] = report.summary([mem["VmRSS"]])
    fig["peak_rss_mib"] = report.summary([mem["VmHWM"]])
    n = p["tasks"][1]
    fig[f"tasks_{n}_value_s"] = report.summary(gathers(k, d.gather_values, n, 1, check, f"gather {n} values"))
    mem = k.memory()
    fig["rss_tasks_value_mib"] = report.summary([mem["VmRSS"]])
    fig["peak_rss_value_mib"] = report.summary([mem["VmHWM"]])


def tasks_after_abandon(k: Kernel, d: Dialect, p: dict, check: Checker, fig: dict) -> None:
    """The smaller gather of tasks that return a value after their sleep, before and after a stuck cell.

    goawait cannot stop a goroutine blocked in a receive: after its grace
    period it abandons the cell's goroutine, which stays parked. The gathers
    that follow must cost what they did before. These tasks await on their
    own goroutines (tasks that end with their await wait without one), where
    each await checks whether its goroutine was abandoned.
    """
    n, reps = p["tasks"][0], p["tasks_reps"][0]
    fig[f"tasks_{n}_value_s"] = report.summary(gathers(k, d.gather_values, n, reps, check, f"gather {n} values"))
    ex = k.execute_interrupted(d.stuck, "stuck", timeout=60)
    check(ex.status == "error" and d.stuck_error in error_report(ex),
          f"stuck cell: status {ex.status}, error {error_report(ex)[:300]!r}, want one with {d.stuck_error!r}")
    fig[f"tasks_{n}_abandoned_s"] = report.summary(
        gathers(k, d.gather_values, n, reps, check, f"gather {n} values after the stuck cell"))


def bench_kernel(d: Dialect, p: dict, log: str) -> tuple[dict, list[str]]:
    """Every figure of one kernel. Returns its results and the problems found.

    The kernel's own output (its log) is appended to the file log.
    """
    check = Checker(d.label)
    spec = KernelSpecManager().get_kernel_spec(d.kernel)
    res = {"kernel": d.kernel, "kernelspec": {"argv": spec.argv, "resource_dir": spec.resource_dir},
           "log": log, "figures": {}}
    fig = res["figures"]
    k = None
    try:
        k = startups(d, p, check, fig, log)
        res["cmdline"] = k.cmdline()
        if d.kernel == "python3":
            check(res["cmdline"][0] == sys.executable,
                  f"python3 kernel runs {res['cmdline'][0]}, not this venv's {sys.executable}")
        info = k.request(k.kc.kernel_info, timeout=30).reply["content"]
        res["kernel_info"] = {key: info.get(key) for key in ("implementation", "implementation_version",
                                                             "language_info", "protocol_version")}
        check.cell(k.execute(d.setup), "setup")
        parked(k, d, p, check, fig, "parked_fresh_s")
        # Completion last: jedi's caches triple ipykernel's heap, and the
        # garbage collector would then slow its later figures.
        round_trips(k, d, p, check, fig)
        compute(k, d, p, check, fig)
        output(k, d, p, check, fig)
        tasks(k, d, p, check, fig)
        goroutines(k, d, p, check, fig)
        tasks_after_abandon(k, d, p, check, fig)
        aged(k, d, p, check, fig)
        lookups(k, d, p, check, fig)
        k.shutdown()
        k = None
        modules(d, p, check, fig, log)
    except BenchError as e:  # its message names the kernel already
        check.problems.append(str(e))
    finally:
        if k is not None:
            k.shutdown()
    return res, check.problems


def run_text(cmd: list[str]) -> str | None:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def machine(kernels: list[str]) -> dict:
    """What the numbers were measured on."""
    cpu = mem = osname = None
    with open("/proc/cpuinfo") as f:
        cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), None)
    with open("/proc/meminfo") as f:
        mem_kb = next(int(line.split()[1]) for line in f if line.startswith("MemTotal"))
        mem = f"{mem_kb / 1024 / 1024:.1f} GiB"
    try:
        with open("/etc/os-release") as f:
            osname = next((line.split("=", 1)[1].strip().strip('"') for line in f if line.startswith("PRETTY_NAME")), None)
    except OSError:
        pass
    import ipykernel
    import jupyter_client
    import zmq

    out = {"nproc": len(os.sched_getaffinity(0)), "cpu": cpu, "memory": mem,
           "os": f"{osname or platform.system()} (Linux {platform.release()})",
           "go": run_text(["go", "version"]), "python": platform.python_version(),
           "ipykernel": ipykernel.__version__, "jupyter_client": jupyter_client.__version__,
           "pyzmq": zmq.__version__, "libzmq": zmq.zmq_version(), "loadavg_start": os.getloadavg()}
    if "goawait" in kernels:
        try:
            argv0 = KernelSpecManager().get_kernel_spec("goawait").argv[0]
            out["goawait"] = run_text([argv0, "version"])
        except Exception as e:  # no kernelspec: bench_kernel reports it
            out["goawait"] = f"unknown ({e})"
    return out


def header(m: dict, mode: str, started: str) -> list[str]:
    return [
        f"goawait vs ipykernel, {mode} mode, {started}",
        f"machine: {m['nproc']} cores {m['cpu']}, {m['memory']}, {m['os']}",
        "load average (1 min) before → after each kernel's run: "
        + ", ".join(f"{k} {a:.2f} → {b:.2f}" for k, (a, b) in m["load_by_kernel"].items()),
        f"versions: {m.get('goawait') or 'goawait -'}; {m['go']}; Python {m['python']}, ipykernel {m['ipykernel']}, "
        f"jupyter_client {m['jupyter_client']}, libzmq {m['libzmq']}",
        "cells: median [min–max] over runs; ratio = goawait/ipykernel of the medians (p99 for p99 rows)",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="few repetitions, small sizes (for the tests)")
    ap.add_argument("--kernels", default="python3,goawait", help="kernelspec names, comma separated")
    ap.add_argument("--out", help="JSON file (default bench/results.json, quick: .build/bench/results-quick.json)")
    args = ap.parse_args(argv)
    here = os.path.dirname(os.path.abspath(__file__))
    out = args.out or (os.path.join(here, "..", ".build", "bench", "results-quick.json") if args.quick
                       else os.path.join(here, "results.json"))
    p = QUICK if args.quick else FULL
    kernels = [k.strip() for k in args.kernels.split(",") if k.strip()]
    unknown = [k for k in kernels if k not in DIALECTS]
    if unknown:
        ap.error(f"no workloads for {unknown}; known: {sorted(DIALECTS)}")

    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    begin = time.monotonic()
    started = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    m = machine(kernels)
    m["load_by_kernel"] = {}
    results, problems = {}, []
    logdir = os.path.join(here, "..", ".build", "bench")
    os.makedirs(logdir, exist_ok=True)
    for name in kernels:
        log = os.path.join(logdir, f"{name}.log")
        print(f"benchmarking {name} (kernel log: {os.path.relpath(log)}) ...", file=sys.stderr, flush=True)
        open(log, "w").close()
        load = os.getloadavg()[0]
        try:
            results[name], probs = bench_kernel(DIALECTS[name], p, log)
        except Exception as e:  # e.g. no such kernelspec
            results[name], probs = {"kernel": name, "figures": {}}, [f"{name}: {type(e).__name__}: {e}"]
        m["load_by_kernel"][name] = (load, os.getloadavg()[0])
        problems += probs
    m["loadavg_end"] = os.getloadavg()
    compared = report.compare(results, p)
    text = report.table(compared, header(m, "quick" if args.quick else "full", started))
    for name, res in results.items():
        if res["figures"].get("startup_retries"):
            text += f"\nnote: {name} died {res['figures']['startup_retries']} time(s) at startup and was started again"
    text += "\nchecks: " + ("every output as expected" if not problems else "FAILED\n  " + "\n  ".join(problems))
    print(text)

    doc = {"mode": "quick" if args.quick else "full", "started": started,
           "seconds": round(time.monotonic() - begin, 1), "params": p, "machine": m,
           "kernels": results, "table": compared, "problems": problems}
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    shown = os.path.relpath(out)
    print(f"\n{doc['seconds']} s; JSON: {os.path.abspath(out) if shown.startswith('..') else shown}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
