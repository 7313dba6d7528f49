"""Input history kept across kernels that share a Jupyter data dir, read
through history_request as front ends read it."""

from __future__ import annotations

import os

from jupyter_client.manager import start_new_kernel

from conftest import KERNEL, collect, execute


def start(data_dir):
    """A kernel whose Jupyter data dir, and so its history, is data_dir."""
    return start_new_kernel(kernel_name=KERNEL, startup_timeout=60, env=dict(os.environ, JUPYTER_DATA_DIR=str(data_dir)))


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def history(kc, **request) -> list:
    run = collect(kc, kc.history(raw=True, output=request.pop("output", False), **request))
    assert run.reply["content"]["status"] == "ok", run.reply["content"]
    return run.reply["content"]["history"]


def test_concurrent_kernels_get_distinct_sessions(tmp_path):
    kernels = {"a": start(tmp_path), "b": start(tmp_path)}
    try:
        # Both run before either has stored a cell, and their cells alternate.
        for i in range(3):
            for name, (_, kc) in kernels.items():
                assert execute(kc, f'"{name}{i}"').status == "ok"
        own = {name: history(kc, hist_access_type="range", session=0, start=1) for name, (_, kc) in kernels.items()}
        sessions = {name: {s for s, _, _ in cells} for name, cells in own.items()}
        assert all(len(s) == 1 for s in sessions.values()), sessions
        assert sessions["a"] != sessions["b"], sessions
        for name, cells in own.items():
            assert [(line, code) for _, line, code in cells] == [(i + 1, f'"{name}{i}"') for i in range(3)]
        # Each reads the other's session from the shared file, unmixed.
        (session_b,) = sessions["b"]
        _, kc_a = kernels["a"]
        from_a = history(kc_a, hist_access_type="range", session=session_b, start=1)
        assert [code for _, _, code in from_a] == ['"b0"', '"b1"', '"b2"']
    finally:
        for km, kc in kernels.values():
            stop(km, kc)


def test_huge_cell_does_not_break_later_kernels_history(tmp_path):
    big_input = "// " + "x" * (8 << 20) + "\n1"
    big_result = 'import "strings"\nstrings.Repeat("<", 11<<20)'
    km, kc = start(tmp_path)
    try:
        assert execute(kc, big_input, timeout=120).status == "ok"
        run = execute(kc, big_result, timeout=120)
        assert run.status == "ok" and len(run.result()) > 11 << 20
        ((session, line, (code, output)),) = history(kc, hist_access_type="tail", n=1, output=True)
        assert (line, code) == (2, big_result)
        # This session remembers the result, clipped with a note.
        assert output.startswith('"<<<') and "truncated in history" in output and len(output) < 100_000
    finally:
        stop(km, kc)

    km, kc = start(tmp_path)
    try:
        assert execute(kc, "after := 1").status == "ok"
        tail = history(kc, hist_access_type="tail", n=3, output=True)
        assert [(s, line) for s, line, _ in tail] == [(session, 1), (session, 2), (session + 1, 1)]
        (_, _, (first, first_out)), (_, _, (second, second_out)), (_, _, (third, _)) = tail
        # The huge input is stored clipped with a note, the outputs not at all.
        assert first.startswith("// xxx") and "truncated in history" in first and len(first) < 100_000
        assert (second, third) == (big_result, "after := 1")
        assert first_out is None and second_out is None
        assert [h[:2] for h in history(kc, hist_access_type="search", pattern="*strings.Repeat*")] == [[session, 2]]
        assert execute(kc, "after").result() == "1"
        assert [h[1:] for h in history(kc, hist_access_type="range", session=0, start=1)] == [[1, "after := 1"], [2, "after"]]
    finally:
        stop(km, kc)


def test_the_old_history_file_is_not_read(tmp_path):
    old = tmp_path / "goawait" / "history.jsonl"
    old.parent.mkdir(parents=True)
    # What the JSONL history could end with: a line longer than its reader took, torn.
    old.write_text('{"session":7,"line":1,"input":"old"}\n{"session":8,"line":1,"input":"' + "<" * (11 << 20))
    before = old.read_bytes()
    km, kc = start(tmp_path)
    try:
        assert execute(kc, "fresh := 1").status == "ok"
        assert history(kc, hist_access_type="tail", n=10) == [[1, 1, "fresh := 1"]]
    finally:
        stop(km, kc)
    assert old.read_bytes() == before
