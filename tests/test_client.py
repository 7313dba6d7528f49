"""The kernel as jupyter_client sees it: what a notebook user gets back."""

from __future__ import annotations

import json
import os
import signal
import time

from conftest import TIMEOUT, collect, control_replies, control_socket, execute, wait_stream
from test_hardening import RawKernel


def test_variables_functions_and_imports_survive_between_cells(kc):
    assert execute(kc, 'import "fmt"\nx := 20').status == "ok"
    assert execute(kc, "func double(n int) int { return 2 * n }").status == "ok"
    run = execute(kc, 'import "fmt"\nfmt.Println(double(x) + 2)')
    assert run.status == "ok", run.error()
    assert run.stream() == "42\n"
    assert run.result() is None, "a call used for its effect shows no value"


def test_cell_mixes_declarations_and_statements_in_any_order(kc):
    code = 'total := 0\nfunc add(n int) { total += n }\nadd(3)\nadd(4)\nimport "fmt"\nfmt.Println("total", total)'
    run = execute(kc, code)
    assert run.status == "ok", run.error()
    assert run.stream() == "total 7\n"


def test_last_expression_values(kc):
    assert execute(kc, "type Pet struct {\n\tName string\n\tAge  int\n}").status == "ok"
    assert execute(kc, 'Pet{Name: "Ann", Age: 3}').result() == "{Name:Ann Age:3}"
    assert execute(kc, '"hi"').result() == '"hi"'
    assert execute(kc, "map[string]int{\"a\": 1}").result() == "map[a:1]"
    assert execute(kc, "y := 5").result() is None


def test_redefined_function_is_seen_by_earlier_callers(kc):
    execute(kc, "func greet() string { return \"old\" }\nfunc callGreet() string { return greet() }")
    execute(kc, "func greet() string { return \"new\" }")
    # The session recompiles earlier callers of a redefined function.
    run = execute(kc, "callGreet()")
    assert run.status == "ok", run.error()
    assert run.result() == '"new"'


def test_redefined_type_fails_with_what_to_do(kc):
    assert execute(kc, "type Shape struct{ W int }").status == "ok"
    assert execute(kc, "type Shape struct{ W int }").status == "ok", "the same declaration again is fine"
    run = execute(kc, "type Shape struct{ W, H int }")
    assert run.status == "error"
    assert "Shape" in run.error()["evalue"] and "restart" in run.error()["evalue"]


def test_compile_error_points_at_the_users_line(kc):
    run = execute(kc, 'import "fmt"\n\nfmt.Println(undefinedName)')
    assert run.status == "error"
    err = run.error()
    assert "undefinedName" in err["evalue"]
    text = "\n".join(err["traceback"])
    assert "line 3" in text or ":3:" in text, text
    assert "fmt.Println(undefinedName)" in text and "^" in text


def test_panic_is_an_error_and_the_kernel_keeps_its_variables(kc):
    execute(kc, "keep := 41")
    run = execute(kc, 'panic("boom")')
    assert run.status == "error"
    assert "boom" in run.error()["evalue"]
    assert execute(kc, "keep + 1").result() == "42"


def test_os_exit_and_log_fatal_do_not_kill_the_kernel(kc, km):
    run = execute(kc, 'import "os"\nos.Exit(3)')
    assert run.status == "error"
    assert "os.Exit(3)" in run.error()["evalue"]
    run = execute(kc, 'import "log"\nlog.Fatal("fatal words")')
    assert run.status == "error"
    assert "fatal words" in run.error()["evalue"] + run.stream("stderr")
    assert km.is_alive()
    assert execute(kc, "keep").result() == "41"


def test_goroutine_panic_is_reported_and_kernel_survives(kc, km):
    run = execute(kc, 'import "time"\ngo func() { panic("in goroutine") }()\ntime.Sleep(200 * time.Millisecond)')
    if "in goroutine" not in run.stream("stderr") + str(run.error()):
        # The goroutine may panic after the cell ended (a busy machine):
        # the report still comes, under the cell that started it.
        wait_stream(kc, run.msg_id, "in goroutine", "stderr")
    assert km.is_alive()
    assert execute(kc, "1 + 1").result() == "2"


def test_every_writer_reaches_the_cell(kc):
    code = """import (
\t"fmt"
\t"log"
\t"os"
)
fmt.Println("a")
fmt.Fprintln(os.Stdout, "b")
os.Stdout.Write([]byte("c\\n"))
println("d")
log.SetFlags(0)
log.Println("e")"""
    run = execute(kc, code)
    assert run.status == "ok", run.error()
    assert run.stream("stdout") == "a\nb\nc\n"
    err = run.stream("stderr")
    assert "d\n" in err and "e\n" in err


def test_output_flood_is_complete_ordered_and_coalesced(kc, soak_bound):
    start = time.monotonic()
    run = execute(kc, 'import "fmt"\nfor i := 0; i < 100000; i++ { fmt.Println(i) }', timeout=120)
    took = time.monotonic() - start
    assert run.status == "ok", run.error()
    lines = run.stream().splitlines()
    assert lines == [str(i) for i in range(100000)]
    # Output is coalesced: a stream message goes out once 64 KiB are
    # pending or 100 ms after the first pending byte (kernel/publisher.go),
    # so the cell's run time (at most took) bounds the count, however slow
    # a busy machine makes the cell.
    messages = len(run.of_type("stream"))
    assert messages <= took / 0.1 + len(run.stream()) / (64 << 10) + 2, (messages, took)
    soak_bound("stream messages for 100,000 lines", messages, 50, "messages")


def test_stdin_with_and_without_allow_stdin(kc):
    code = 'import "fmt"\nvar name string\nfmt.Scanln(&name)\nfmt.Println("hello", name)'
    prompts = []

    def answer(req):
        prompts.append(req["content"])
        return "gopher"

    run = execute(kc, code, stdin=answer)
    assert run.status == "ok", run.error()
    assert run.stream() == "hello gopher\n"
    assert prompts, "an input_request was sent"
    # Without allow_stdin the read fails (it does not wait for input) with an error that says why.
    run = execute(kc, 'import "fmt"\nvar name string\n_, err := fmt.Scanln(&name)\nfmt.Println(err)')
    assert run.status == "ok", run.error()
    assert "allow_stdin" in run.stream()


def _fail_after_the_next_is_queued(kc, gate, word: str, **kw) -> tuple[str, str]:
    """Sends a cell that fails once the file gate exists, then "1 + 1".
    The first cell is seen running before the gate opens, well after the
    second was sent: the second is queued when the first fails (the kernel
    aborts the requests it received before a failure, not later ones)."""
    code = (f'import (\n\t"fmt"\n\t"os"\n\t"time"\n)\n'
            f'func gateOpen(path string) bool {{\n\t_, err := os.Stat(path)\n\treturn err == nil\n}}\n'
            f'fmt.Println("started")\nfor !gateOpen({json.dumps(str(gate))}) {{\n\ttime.Sleep(10 * time.Millisecond)\n}}\n'
            f'panic("{word}")')
    first = kc.execute(code, **kw)
    second = kc.execute("1 + 1")
    wait_stream(kc, first, "started")
    gate.write_text("go")
    return first, second


def test_stop_on_error_aborts_queued_cells(kc, tmp_path):
    first, second = _fail_after_the_next_is_queued(kc, tmp_path / "gate1", "first fails")
    r1 = collect(kc, first)
    r2 = collect(kc, second)
    assert r1.status == "error"
    assert r2.status == "aborted"
    # Without stop_on_error the queued cell runs.
    first, second = _fail_after_the_next_is_queued(kc, tmp_path / "gate2", "again", stop_on_error=False)
    assert collect(kc, first).status == "error"
    assert collect(kc, second).result() == "2"


def test_silent_and_store_history(kc):
    before = execute(kc, "1").reply["content"]["execution_count"]
    run = execute(kc, 'import "fmt"\nfmt.Println("quiet")', silent=True)
    assert run.of_type("execute_input") == []
    after = execute(kc, "2").reply["content"]["execution_count"]
    assert after == before + 1


def _interrupt_case(kc, km, soak_bound, code, use_signal):
    """Runs code after a line printing "started", interrupts it once that
    line arrived, and checks the cell failed and the kernel kept its state."""
    execute(kc, "before := 7")
    msg_id = kc.execute('import "fmt"\nfmt.Println("started")\n' + code)
    wait_stream(kc, msg_id, "started")
    start = time.monotonic()
    if use_signal:
        os.kill(km.provisioner.process.pid, signal.SIGINT)
    else:
        km.interrupt_kernel()
    run = collect(kc, msg_id)
    elapsed = time.monotonic() - start
    assert run.status == "error"
    assert run.error()["ename"] == "Interrupted", run.error()
    assert km.is_alive()
    assert execute(kc, "before").result() == "7"
    soak_bound(f"interrupt of {code.splitlines()[-1]!r} by {'SIGINT' if use_signal else 'message'}", elapsed, 2.0)


def test_interrupt_cpu_loop_by_message(kc, km, soak_bound):
    _interrupt_case(kc, km, soak_bound, "for {}", use_signal=False)


def test_interrupt_sleep_by_signal(kc, km, soak_bound):
    _interrupt_case(kc, km, soak_bound, 'import "time"\ntime.Sleep(time.Hour)', use_signal=True)


def test_interrupt_channel_wait(kc, km, soak_bound):
    _interrupt_case(kc, km, soak_bound, "<-make(chan int)", use_signal=False)


def test_sigint_when_idle_does_not_kill(tmp_path):
    # A kernel of its own, whose log tells when the signal was handled:
    # a SIGINT handled only once the next cell runs would interrupt it.
    k = RawKernel(tmp_path)
    try:
        k.wait_ready()
        k.proc.send_signal(signal.SIGINT)
        k.wait_log("SIGINT: interrupting", timeout=TIMEOUT)
        assert k.proc.poll() is None, "SIGINT killed the kernel: " + k.log()[-2000:]
        rep, iopub = k.execute("3 * 3")
        assert rep["content"]["status"] == "ok", rep["content"]
        assert [m["content"]["data"]["text/plain"] for m in iopub if m["msg_type"] == "execute_result"] == ["9"]
    finally:
        k.close()


def test_unknown_comm_target_is_closed(kc):
    from jupyter_client.session import Session  # noqa: F401

    msg = kc.session.msg("comm_open", {"comm_id": "c-1", "target_name": "nobody", "data": {}})
    kc.shell_channel.send(msg)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        m = kc.iopub_channel.get_msg(timeout=TIMEOUT)
        if m["msg_type"] == "comm_close":
            assert m["content"]["comm_id"] == "c-1"
            return
    raise AssertionError("no comm_close for an unknown comm target")


def test_comm_info_and_unknown_request(kc):
    msg_id = kc.comm_info()
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"] == {"status": "ok", "comms": {}}
    msg = kc.session.msg("no_such_request", {})
    kc.shell_channel.send(msg)
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    assert reply["msg_type"] == "no_such_reply"
    assert reply["content"]["status"] == "error"
    assert execute(kc, "1").result() == "1"


def test_kernel_info_on_control_while_cell_runs(kc, km, soak_bound):
    msg_id = kc.execute('import "fmt"\nfmt.Println("started")\nfor {}')
    wait_stream(kc, msg_id, "started")
    with control_socket(km) as ctl:
        start = time.monotonic()
        (reply,) = control_replies(km, ctl, "kernel_info_request")
        took = time.monotonic() - start
    assert reply["msg_type"] == "kernel_info_reply"
    km.interrupt_kernel()
    assert collect(kc, msg_id).status == "error"
    soak_bound("kernel_info on control while a cell burns CPU", took, 0.5)
