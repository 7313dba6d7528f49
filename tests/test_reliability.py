"""Issue 13, through jupyter_client: what a big cell, a hostile cell or a
long session must not break in a kernel."""

from __future__ import annotations

from conftest import execute


def test_multibyte_output_arrives_whole(kc):
    run = execute(kc, 'import ("fmt"; "os"; "strings")\nfmt.Print(strings.Repeat("日本語", 100000))\nfmt.Fprint(os.Stderr, strings.Repeat("a€", 50000))')
    assert run.status == "ok", run.error()
    out = run.stream("stdout")
    assert "\ufffd" not in out
    assert out == "日本語" * 100000
    err = run.stream("stderr")
    assert "\ufffd" not in err
    assert err == "a€" * 50000


def test_output_that_looks_like_a_flush_marker_is_printed(kc):
    run = execute(kc, 'import "fmt"\nfmt.Print("a\\x00goawait-flush:")\nfmt.Print("b")', timeout=20)
    assert run.status == "ok", run.error()
    assert run.stream() == "a\x00goawait-flush:b"
    run = execute(kc, 'fmt.Print("c\\x00goawait-flush:1\\x00d")', timeout=20)
    assert run.stream() == "c\x00goawait-flush:1\x00d"


def test_a_failed_import_leaves_the_other_packages_usable(kc):
    assert execute(kc, 'import ("fmt"; "nosuch/pkg")').status == "error"
    run = execute(kc, 'import "fmt"\nfmt.Println("after")')
    assert run.status == "ok", run.error()
    assert run.stream() == "after\n"


def test_user_expressions_evaluate_expressions_and_run_no_statements(kc):
    assert execute(kc, "ueX := 1").status == "ok"
    run = execute(kc, "", user_expressions={"assign": "ueX = 99", "value": "ueX + 1"})
    assert run.status == "ok"
    ue = run.reply["content"]["user_expressions"]
    assert ue["assign"]["status"] == "error", ue
    assert ue["value"]["status"] == "ok", ue
    assert ue["value"]["data"]["text/plain"] == "2"
    assert execute(kc, "ueX").result() == "1"



def test_a_cells_gc_percent_is_not_overridden_by_the_kernel(kc):
    # The kernel tunes GOGC after every collection; a value set by a cell
    # must stay. Collections give the tuner every chance to override it.
    assert execute(kc, 'import ("runtime"; "runtime/debug"; "time")\ndebug.SetGCPercent(37)').status == "ok"
    run = execute(
        kc,
        "for i := 0; i < 20; i++ { runtime.GC(); time.Sleep(10 * time.Millisecond) }\n"
        "debug.SetGCPercent(37)",
    )
    assert run.status == "ok", run.error()
    assert run.result() == "37"
    execute(kc, "debug.SetGCPercent(100)")


def test_a_make_bigger_than_the_memory_limit_fails_the_cell(kc, km):
    assert execute(kc, "memKept := 11").status == "ok"
    run = execute(kc, "huge := make([]byte, 1<<40)")
    assert run.status == "error"
    assert "memory limit" in run.error()["evalue"], run.error()
    assert km.is_alive()
    assert execute(kc, "memKept").result() == "11"
