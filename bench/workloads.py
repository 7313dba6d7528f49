"""The cells each kernel runs, in its own language, and what they must print.

A Dialect holds the same programs written for goawait (Go with async/await)
and for ipykernel (Python with asyncio), so the two kernels do the same work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Dialect:
    """Cells for one kernel. Functions take the size of the workload."""

    kernel: str  # kernelspec name
    label: str  # column title
    first_cell: str  # the first cell after startup; also declares x
    setup: str  # run once before the workloads (imports)
    trivial: str  # the trivial cell of the round trips; prints nothing
    fib_def: str
    fib_call: Callable[[int], str]  # shows fib(n) as the execute_result
    print_lines: Callable[[int], str]  # prints 0..n-1, one a line
    tasks_setup: str
    gather_sleeps: Callable[[int], str]  # n tasks each sleep 10 ms, gathered; prints n
    gather_values: Callable[[int], str]  # the same, each task returning a value after its sleep
    goroutines: Callable[[int], str]  # n goroutines each time.Sleep 10 ms under a WaitGroup (Python: the gather); prints n
    parked: Callable[[int], str]  # n goroutines (Python: tasks) park on one channel (event), released, waited; prints n
    declare: Callable[[int], str]  # a cell declaring the variable number i: ages the session
    stuck: str  # prints "stuck", then waits where only an interrupt gets it out (a channel receive)
    stuck_error: str  # in the interrupted stuck cell's error (ename, evalue or traceback)
    complete: tuple[str, str]  # (code, a match that must be offered)
    inspect: str  # inspected with the cursor at the end
    import_module: str | None = None  # imports a module from the proxy and shows "36" (goawait only)


GO = Dialect(
    kernel="goawait",
    label="goawait",
    first_cell="var x int",
    setup='import (\n\t"fmt"\n\t"sync"\n\t"time"\n)',
    trivial="x = 1",
    fib_def="""func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}""",
    fib_call=lambda n: f"fib({n})",
    print_lines=lambda n: f"for i := 0; i < {n}; i++ {{\n\tfmt.Println(i)\n}}",
    tasks_setup='import "time"\n\nasync func nap() { await asyncio.Sleep(10 * time.Millisecond) }\n\n'
    'async func napValue() int {\n\tawait asyncio.Sleep(10 * time.Millisecond)\n\treturn 1\n}',
    gather_sleeps=lambda n: f"""var naps []any
for i := 0; i < {n}; i++ {{
	naps = append(naps, nap())
}}
res := await asyncio.Gather(naps...)
fmt.Println(len(res))""",
    gather_values=lambda n: f"""var napValues []any
for i := 0; i < {n}; i++ {{
	napValues = append(napValues, napValue())
}}
res := await asyncio.Gather(napValues...)
fmt.Println(len(res))""",
    goroutines=lambda n: f"""var wg sync.WaitGroup
for i := 0; i < {n}; i++ {{
	wg.Add(1)
	go func() {{
		defer wg.Done()
		time.Sleep(10 * time.Millisecond)
	}}()
}}
wg.Wait()
fmt.Println({n})""",
    parked=lambda n: f"""var wg sync.WaitGroup
release := make(chan struct{{}})
for i := 0; i < {n}; i++ {{
	wg.Add(1)
	go func() {{
		defer wg.Done()
		<-release
	}}()
}}
close(release)
wg.Wait()
fmt.Println({n})""",
    declare=lambda i: f"age{i} := {i}",
    stuck='fmt.Println("stuck")\n<-make(chan int)',
    stuck_error="its goroutine was abandoned",
    complete=("fmt.Pri", "Println"),
    inspect="fmt.Println",
    import_module='import "github.com/google/uuid"\n\nlen(uuid.NewString())',
)

PYTHON = Dialect(
    kernel="python3",
    label="ipykernel",
    first_cell="x = 0",
    setup="import asyncio",
    trivial="x = 1",
    fib_def="""def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)""",
    fib_call=lambda n: f"fib({n})",
    print_lines=lambda n: f"for i in range({n}):\n    print(i)",
    tasks_setup="async def nap_value():\n    await asyncio.sleep(0.01)\n    return 1",
    gather_sleeps=lambda n: f"""res = await asyncio.gather(*(asyncio.sleep(0.01) for _ in range({n})))
print(len(res))""",
    gather_values=lambda n: f"""res = await asyncio.gather(*(nap_value() for _ in range({n})))
print(len(res))""",
    goroutines=lambda n: f"""res = await asyncio.gather(*(asyncio.sleep(0.01) for _ in range({n})))
print(len(res))""",
    parked=lambda n: f"""release = asyncio.Event()
parked = [asyncio.create_task(release.wait()) for _ in range({n})]
await asyncio.sleep(0)
release.set()
print(len(await asyncio.gather(*parked)))""",
    declare=lambda i: f"age{i} = {i}",
    stuck='import threading\nprint("stuck", flush=True)\nthreading.Event().wait()',
    stuck_error="KeyboardInterrupt",
    complete=("print", "print"),
    inspect="print",
)

DIALECTS = {d.kernel: d for d in (PYTHON, GO)}


def fib(n: int) -> int:
    """The value a fib(n) cell must show."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def check_lines(text: str, n: int) -> str | None:
    """None if text is the lines 0..n-1, each once and in order; else what is wrong."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    want = [str(i) for i in range(n)]
    if lines == want:
        return None
    for i, (got, exp) in enumerate(zip(lines, want)):
        if got != exp:
            return f"line {i} is {got!r}, want {exp!r} ({len(lines)} lines, want {n})"
    return f"{len(lines)} lines, want {n}"
