"""The async dialect and the persistent event loop, as jupyter_client sees them."""

from __future__ import annotations

import time
from datetime import datetime, timezone

from dateutil.parser import isoparse

from conftest import _mailbox, collect, execute, wait_stream


def test_top_level_await_gives_the_typed_value(kc):
    code = """import "time"
async func fetchData() map[string]int {
\tawait asyncio.Sleep(10 * time.Millisecond)
\treturn map[string]int{"data": 1}
}
v := await fetchData()
v["data"] + 41"""
    run = execute(kc, code)
    assert run.status == "ok", run.error()
    assert run.result() == "42", "v is a map[string]int, not any"
    run = execute(kc, "t := asyncio.CreateTask(fetchData())\nw := await t\nw[\"data\"]")
    assert run.result() == "1"
    # A finished task awaited again gives the same value at once.
    run = execute(kc, "await t")
    assert run.result() == "map[data:1]"


def test_tasks_interleave_in_a_deterministic_order(kc):
    code = """import (
\t"fmt"
\t"time"
)
async func worker(name string, n int) {
\tfor i := 0; i < n; i++ {
\t\tfmt.Println(name, i)
\t\tawait asyncio.Sleep(0)
\t}
}
await asyncio.Gather(worker("A", 3), worker("B", 3))"""
    outs = {execute(kc, code).stream() for _ in range(3)}
    assert outs == {"A 0\nB 0\nA 1\nB 1\nA 2\nB 2\n"}


def test_background_task_output_goes_to_the_cell_that_started_it(kc):
    first = execute(
        kc,
        """import (
\t"fmt"
\t"time"
)
bgGo := asyncio.NewEvent()
async func later() {
\tfmt.Println("started")
\tawait bgGo.Wait()
\tfmt.Println("from the background")
}
bg := asyncio.CreateTask(later())""",
    )
    assert first.stream() == "started\n"
    # The second cell lets the task go and waits on the loop, so the task
    # prints while the second cell runs.
    second_id = kc.execute('bgGo.Set()\nawait bg\nfmt.Println("second done")')
    second = collect(kc, second_id)
    assert second.stream() == "second done\n"
    # The task's line comes under cell 1's header (it may arrive after cell
    # 2's idle); wait_stream fails (TimeoutError) if it never does.
    wait_stream(kc, first.msg_id, "from the background")


def test_never_awaited_coroutine_is_reported_with_its_line(kc):
    run = execute(kc, 'import "fmt"\nasync func lonely() { fmt.Println("never") }\n\nlonely()')
    assert run.status == "ok"
    err = run.stream("stderr")
    assert "coroutine 'lonely' was never awaited" in err
    assert "cell[" in err and ":4" in err
    assert "never" not in run.stream()


def test_reusing_an_awaited_coroutine_fails_like_asyncio(kc):
    run = execute(kc, "async func one() int { return 1 }\nc := one()\nawait c\nawait c")
    assert run.status == "error"
    assert run.error()["ename"] == "RuntimeError"
    assert run.error()["evalue"] == "cannot reuse already awaited coroutine"


def test_failed_task_nobody_awaited_is_reported(kc):
    run = execute(kc, 'async func fails() { panic("task broke") }\nasyncio.CreateTask(fails())\nawait asyncio.Sleep(0)')
    assert run.status == "ok"
    assert "task broke" in run.stream("stderr")


def test_await_outside_async_func_is_a_compile_error_at_the_users_line(kc):
    run = execute(kc, "func plain() {\n\tawait asyncio.Sleep(0)\n}")
    assert run.status == "error"
    text = run.error()["evalue"] + "\n".join(run.error()["traceback"])
    assert "await is only allowed in an async func" in text
    assert ":2:" in text


def _interrupt(kc, km, code):
    """Runs code after a line that prints "started", interrupts it once that
    line arrived, and returns the run and how long the interrupt took."""
    msg_id = kc.execute('fmt.Println("started")\n' + code)
    wait_stream(kc, msg_id, "started")
    start = time.monotonic()
    km.interrupt_kernel()
    run = collect(kc, msg_id)
    return run, time.monotonic() - start


def test_interrupt_keeps_variables_and_background_tasks(kc, km, soak_bound):
    setup = """import (
\t"fmt"
\t"time"
)
kept := "still here"
ticks := 0
async func tick() {
\tfor {
\t\tticks++
\t\tawait asyncio.Sleep(20 * time.Millisecond)
\t}
}
ticker := asyncio.CreateTask(tick())"""
    assert execute(kc, setup).status == "ok"
    for code in (
        "await asyncio.Sleep(time.Hour)",  # parked at an await
        "async func spin() { for {} }\nawait spin()",  # CPU loop inside a coroutine
        "time.Sleep(time.Hour)",  # a blocking call in the cell's task
    ):
        run, took = _interrupt(kc, km, code)
        assert run.status == "error", code
        assert run.error()["ename"] == "Interrupted", (code, run.error())
        assert run.stream() == "started\n", code
        soak_bound(f"interrupt of {code.splitlines()[-1]!r}", took, 2.0)
    before = int(execute(kc, "ticks").result())
    run = execute(kc, "await asyncio.Sleep(200 * time.Millisecond)\nfmt.Println(kept, ticker.Done())\nticks")
    assert run.stream() == "still here false\n"
    assert int(run.result()) > before, "the background task kept running"
    execute(kc, "ticker.Cancel()")


def test_asyncio_run_in_a_cell_cancels_leftovers(kc):
    code = """import (
\t"fmt"
\t"time"
)
async func foo() {
\tfmt.Println("inside foo")
\tawait asyncio.Sleep(time.Second)
\tfmt.Println("Ending foo")
}
async func main() {
\tasyncio.CreateTask(foo())
\tfmt.Println("main done")
}
asyncio.Run(main())"""
    run = execute(kc, code)
    assert run.stream() == "main done\ninside foo\n"


def test_restart_stops_background_tasks(km, kc):
    first = execute(kc, 'import (\n\t"fmt"\n\t"time"\n)\nasync func forever() {\n\tfor {\n\t\tfmt.Println("tick")\n\t\tawait asyncio.Sleep(10 * time.Millisecond)\n\t}\n}\nasyncio.CreateTask(forever())')
    assert first.stream().startswith("tick\n")
    # The task goes on ticking after its cell: there is something to stop.
    wait_stream(kc, first.msg_id, "tick")
    km.restart_kernel(now=False)
    restarted = datetime.now(timezone.utc)
    kc.wait_for_ready(timeout=60)
    # A barrier: a cell of the new kernel that waits on its event loop for
    # ten periods of the ticker. Every message published before its idle
    # has been read (into the mailbox) once it is collected.
    run = execute(kc, 'import "time"\nawait asyncio.Sleep(100 * time.Millisecond)\n1 + 1')
    assert run.result() == "2"
    ticks = [m for msgs in _mailbox(kc)["iopub"].values() for m in msgs if m["msg_type"] == "stream"]
    # Ticks the old kernel printed before it stopped may still come in: the
    # kernels' sessions tell them apart, and their dates show when they were sent.
    new_session = run.reply["header"]["session"]
    assert new_session != first.reply["header"]["session"]
    assert not [m for m in ticks if m["header"]["session"] == new_session], "the restarted kernel ticks"
    assert ticks, "the ticks of the old kernel before the restart were read"
    assert not [m for m in ticks if isoparse(m["header"]["date"]) >= restarted], "the old kernel ticked after the restart"
