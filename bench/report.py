"""Statistics, targets and the side-by-side table of a benchmark run."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

GO, PY = "goawait", "python3"


def summary(samples: list[float], p99: bool = False) -> dict:
    """Median, min and max (and p99 by nearest rank) of samples, which are kept."""
    s = sorted(samples)
    out = {"median": statistics.median(s), "min": s[0], "max": s[-1], "n": len(s)}
    if p99:
        out["p99"] = s[max(0, math.ceil(0.99 * len(s)) - 1)]
    out["samples"] = [round(x, 6) for x in samples]
    return out


@dataclass(frozen=True)
class Target:
    """A goal for goawait, "at most": a ratio to ipykernel (ratio=True), an absolute bound,
    or, with of, a ratio to goawait's own figure of that key (same statistic)."""

    limit: float
    ratio: bool = True
    text: str = ""
    strict: bool = False  # "under" rather than "at most"
    of: str = ""  # key of the goawait figure the value is divided by

    def met(self, go: float, ratio: float | None, base: float | None = None) -> bool | None:
        value = ratio if self.ratio else go
        if self.of:
            value = go / base if base else None
        if value is None:
            return None
        return value < self.limit if self.strict else value <= self.limit


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure of both kernels, read from stat of the figure key."""

    key: str
    label: str
    stat: str = "median"  # which statistic is compared (median or p99)
    spread: bool = True  # show [min-max] next to the median
    targets: tuple = field(default_factory=tuple)


def rows(p: dict) -> list[Row]:
    """The rows of the table for the sizes in params p."""
    tasks_small, tasks_big = p["tasks"]
    half = Target(0.5, text="≤1/2")
    return [
        Row("startup_kernel_info_s", "startup → 1st kernel_info_reply (s)", targets=(Target(0.1, text="≤1/10"),)),
        Row("startup_first_idle_s", "startup → 1st cell idle (s)", targets=(Target(0.1, text="≤1/10"),)),
        Row("startup_kernel_info_fast_s", "  same, client reconnecting every 2 ms (s)",
            targets=(Target(0.1, text="≤1/10"),)),
        Row("startup_first_idle_fast_s", "  same → 1st cell idle (s)", targets=(Target(0.1, text="≤1/10"),)),
        Row("rt_reply_ms", f"trivial cell → reply, median of {p['cells']} (ms)",
            targets=(Target(0.2, text="≤1/5"), Target(1.0, ratio=False, strict=True, text="<1 ms"))),
        Row("rt_reply_ms", "trivial cell → reply, p99 (ms)", stat="p99", spread=False,
            targets=(Target(1 / 3, text="≤1/3"),)),
        Row("rt_idle_ms", f"trivial cell → idle, median of {p['cells']} (ms)",
            targets=(Target(0.2, text="≤1/5"), Target(1.0, ratio=False, strict=True, text="<1 ms"))),
        Row("rt_idle_ms", "trivial cell → idle, p99 (ms)", stat="p99", spread=False,
            targets=(Target(1 / 3, text="≤1/3"),)),
        Row("rt_client_ms", "  of which this Python client's own work (ms)"),
        Row("output_s", f"print {p['lines']:,} lines → idle (s)", targets=(half,)),
        Row("output_messages", "  iopub stream messages", targets=(Target(50, ratio=False, text="≤50"),)),
        Row("fib_s", f"fib({p['fib']}) cell → idle (s)"),
        Row(f"tasks_{tasks_small}_s", f"gather {tasks_small:,} × sleep 10 ms → idle (s)", targets=(half,)),
        Row(f"tasks_{tasks_small}_value_s", f"gather {tasks_small:,} × (sleep 10 ms, return a value) → idle (s)"),
        Row(f"tasks_{tasks_small}_abandoned_s", "  same, after an abandoned cell (s)",
            targets=(Target(1.1, of=f"tasks_{tasks_small}_value_s", text="≤1.1× before"),)),
        Row(f"tasks_{tasks_big}_s", f"gather {tasks_big:,} × sleep 10 ms → idle (s)"),
        Row(f"tasks_{tasks_big}_value_s", f"gather {tasks_big:,} × (sleep 10 ms, return a value) → idle (s)"),
        Row(f"goroutines_{tasks_small}_s", f"{tasks_small:,} goroutines × time.Sleep 10 ms, WaitGroup (ipykernel: gather) (s)",
            targets=(Target(1.0, text="≤1×"), half)),
        Row("parked_fresh_s", f"{p['parked']:,} go statements parked on a channel, fresh session (s)"),
        Row("parked_aged_s", f"  same, after {p['age_cells']:,} cells each declaring a variable (s)",
            targets=(Target(1.25, of="parked_fresh_s", text="≤1.25× fresh"),)),
        Row("rss_startup_mib", "RSS after startup + 1st cell (MiB)", targets=(half,)),
        Row("rss_cells_mib", f"RSS after {p['memory_cells']:,} trivial cells (MiB)"),
        Row("rss_tasks_mib", f"RSS after {tasks_big:,} tasks (MiB)", targets=(Target(1.0, text="≤1×"),)),
        Row("peak_rss_mib", "peak RSS (VmHWM) after the tasks (MiB)"),
        Row("rss_tasks_value_mib", f"RSS after {tasks_big:,} more tasks returning a value (MiB)", targets=(Target(1.0, text="≤1×"),)),
        Row("peak_rss_value_mib", "  peak RSS (VmHWM) then (MiB)"),
        Row("complete_ms", "complete_request → reply (ms)"),
        Row("inspect_ms", "inspect_request → reply (ms)"),
        Row("kernel_info_ms", "kernel_info_request → reply (ms)"),
        Row("import_first_s", "import uuid (module proxy), new cache, warm Go build cache → idle (s)",
            targets=(Target(3, ratio=False, strict=True, text="<3 s"),)),
        Row("import_cached_s", "  same import in a new kernel, cache warm → idle (s)",
            targets=(Target(0.1, ratio=False, strict=True, text="<100 ms"),)),
    ]


def num(v: float | None) -> str:
    """A number with about three significant digits."""
    if v is None:
        return "-"
    a = abs(v)
    if float(v).is_integer() and a < 1e6:
        return f"{int(v):,}"
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def cell(fig: dict | None, row: Row) -> str:
    if not fig:
        return "-"
    text = num(fig.get(row.stat))
    if row.spread and fig["n"] > 1:
        text += f" [{num(fig['min'])}–{num(fig['max'])}]"
    return text


def compare(results: dict, p: dict) -> list[dict]:
    """Each row with both values, the ratio goawait/ipykernel and the target verdicts."""
    out = []
    for row in rows(p):
        figs = {k: results.get(k, {}).get("figures", {}).get(row.key) for k in (PY, GO)}
        val = {k: (f or {}).get(row.stat) for k, f in figs.items()}
        ratio = val[GO] / val[PY] if val[GO] is not None and val[PY] else None
        verdicts = []
        for t in row.targets:
            base = (results.get(GO, {}).get("figures", {}).get(t.of) or {}).get(row.stat) if t.of else None
            met = t.met(val[GO], ratio, base) if val[GO] is not None else None
            verdicts.append({"target": t.text, "met": met})
        out.append({"key": row.key, "label": row.label, "stat": row.stat,
                    "ipykernel": cell(figs[PY], row), "goawait": cell(figs[GO], row),
                    "ipykernel_value": val[PY], "goawait_value": val[GO],
                    "ratio": ratio, "targets": verdicts})
    return out


def table(compared: list[dict], header: list[str]) -> str:
    """The one side-by-side table, as plain text."""
    lines = list(header)
    cols = ["figure", "ipykernel", "goawait", "goawait/ipykernel", "target"]
    body = []
    for r in compared:
        verdict = ", ".join(
            f"{v['target']} {'-' if v['met'] is None else ('pass' if v['met'] else 'miss')}" for v in r["targets"]
        )
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.3g}"
        body.append([r["label"], r["ipykernel"], r["goawait"], ratio, verdict])
    widths = [max(len(c), *(len(b[i]) for b in body)) for i, c in enumerate(cols)]
    fmt = lambda parts: "  ".join(p.ljust(w) if i in (0, 4) else p.rjust(w) for i, (p, w) in enumerate(zip(parts, widths)))
    lines.append(fmt(cols).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(fmt(b).rstrip() for b in body)
    return "\n".join(lines)
