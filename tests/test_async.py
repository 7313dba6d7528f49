"""The async dialect and the persistent event loop, as jupyter_client sees them."""

from __future__ import annotations

import queue
import time

from conftest import _mailbox, _pump, collect, execute


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
async func later() {
\tfmt.Println("started")
\tawait asyncio.Sleep(300 * time.Millisecond)
\tfmt.Println("from the background")
}
bg := asyncio.CreateTask(later())""",
    )
    assert first.stream() == "started\n"
    # The second cell waits on the loop, so the task prints meanwhile.
    second_id = kc.execute('await asyncio.Sleep(700 * time.Millisecond)\nfmt.Println("second done")')
    second = collect(kc, second_id)
    assert second.stream() == "second done\n"
    # The task's line arrived while cell 2 ran, under cell 1's header.
    deadline = time.monotonic() + 5
    late = []
    while time.monotonic() < deadline and not late:
        late = [
            m for m in _mailbox(kc)["iopub"].get(first.msg_id, [])
            if m["msg_type"] == "stream" and "from the background" in m["content"]["text"]
        ]
        _pump(kc, "iopub", 0.05)
    assert late, "the background task's output was not sent with the first cell's msg_id"


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
    msg_id = kc.execute(code)
    time.sleep(0.5)
    start = time.monotonic()
    km.interrupt_kernel()
    run = collect(kc, msg_id, timeout=10)
    return run, time.monotonic() - start


def test_interrupt_keeps_variables_and_background_tasks(kc, km):
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
        assert took < 2.0, f"{code}: interrupt took {took:.2f}s"
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
    execute(kc, 'import (\n\t"fmt"\n\t"time"\n)\nasync func forever() {\n\tfor {\n\t\tfmt.Println("tick")\n\t\tawait asyncio.Sleep(10 * time.Millisecond)\n\t}\n}\nasyncio.CreateTask(forever())')
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=60)
    # Drain, then make sure nothing ticks any more.
    time.sleep(0.3)
    while True:
        try:
            kc.iopub_channel.get_msg(timeout=0.05)
        except queue.Empty:
            break
    time.sleep(0.3)
    leftovers = []
    while True:
        try:
            leftovers.append(kc.iopub_channel.get_msg(timeout=0.05))
        except queue.Empty:
            break
    assert not [m for m in leftovers if m["msg_type"] == "stream"]
    assert execute(kc, "1 + 1").result() == "2"
