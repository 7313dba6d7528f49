"""The text of goawait's notebooks: Go twins of five asyncio tutorials
(promises, asyncio basics, going async, async programming, the notebook
primer), and the tour. generate.py turns them into .ipynb files."""

from generate import code, md

PROMISES = [
    md("""
# Mimicking promise behaviour with asyncio — in Go

A Go twin of *"Mimicking promise behavior using asyncio"*. A **task** behaves like a JavaScript
promise: it runs its coroutine once and keeps the result, so anyone can await it later and get
the same value at once.

In goawait, `async func` declares a coroutine function and `await` waits for a coroutine, a task
or a future. The `asyncio` package is imported for you as soon as a cell uses it.
"""),
    md("An ordinary `async func` that does little but return a string (`asyncio.Sleep` takes a `time.Duration`):"),
    code("""
import (
\t"fmt"
\t"time"
)

async func returnHello() string {
\tfmt.Println("executes once")
\tawait asyncio.Sleep(2 * time.Second)
\treturn "hello_world"
}
"""),
    md("Create an event loop and set it, as the post does:"),
    code("eventLoop := asyncio.NewEventLoop()"),
    code("asyncio.SetEventLoop(eventLoop)"),
    md("""
Now create a task that executes the coroutine `returnHello`. In a notebook the kernel's own loop is
already running (as in IPython), so `EnsureFuture` schedules the task there: it starts as soon as
the cell gives way — here, when the cell ends — which is why *executes once* comes second.
"""),
    code("""
task := asyncio.EnsureFuture(returnHello())

fmt.Println("runs before anything else")
""", stdout="runs before anything else\nexecutes once\n"),
    md("""
To obtain the result of our "promise", run the loop until the task completes. Python refuses
`run_until_complete` on a loop that is already running; goawait simply waits for the task.
The result keeps its static type: `hello` is a `string`.
"""),
    code("""
hello := asyncio.GetEventLoop().RunUntilComplete(task)

fmt.Println(hello)

if hello != "hello_world" {
\tpanic("expected hello_world")
}
""", stdout="hello_world\n"),
    md("The task keeps its result: awaiting it again returns the same value at once, without running `returnHello` again."),
    code("await task", result='"hello_world"'),
    md("The full program in one cell prints what the post says it might:"),
    code("""
async func returnHello() string {
\tfmt.Println("executes once")
\tawait asyncio.Sleep(2 * time.Second)
\treturn "hello_world"
}

eventLoop := asyncio.NewEventLoop()
asyncio.SetEventLoop(eventLoop)

task := asyncio.EnsureFuture(returnHello())

fmt.Println("runs before anything else")

hello := asyncio.GetEventLoop().RunUntilComplete(task)

fmt.Println(hello)

if hello != "hello_world" {
\tpanic("expected hello_world")
}
""", stdout="runs before anything else\nexecutes once\nhello_world\n"),
]

BASICS = [
    md("""
# Asyncio basics — in Go

A Go twin of *"Asyncio basics in python"*: event loops, `async func`, `await`, tasks with
`asyncio.EnsureFuture`, `asyncio.Wait` and `asyncio.Gather`.

## Creating an event loop

`asyncio.GetEventLoop()` returns the loop that runs your cells; `RunUntilComplete` runs a
coroutine on it until it is done.
"""),
    code("""
import "fmt"

async func someFunc() {
}

loop := asyncio.GetEventLoop()
loop.RunUntilComplete(someFunc())
"""),
    md("## The real magic — `await`\n\n`speak()` only makes a coroutine; `await speak()` runs it."),
    code("""
async func speak() {
\tfmt.Println("Hey!")
}

async func run() {
\tawait speak()
}

loop := asyncio.GetEventLoop()
loop.RunUntilComplete(run())
""", stdout="Hey!\n"),
    md("""
## Starting a function and getting back to it later

A coroutine kept in a variable runs only when it is awaited, so `C` comes after `A` and `B`:
"""),
    code("""
import "time"

async func speak() string {
\tfmt.Println("C")
\tawait asyncio.Sleep(3 * time.Second)
\treturn "D"
}

async func run() {
\twillSpeak := speak()
\tfmt.Println("A")
\tfmt.Println("B")
\tfmt.Println(await willSpeak)
}

loop := asyncio.GetEventLoop()
loop.RunUntilComplete(run())
""", stdout="A\nB\nC\nD\n"),
    md("To start the job at once and come back to it later, wrap it in a task with `asyncio.EnsureFuture`:"),
    code("""
async func run() {
\twillSpeak := asyncio.EnsureFuture(speak())
\tawait asyncio.Sleep(1 * time.Second)
\tfmt.Println("A")
\tfmt.Println("B")
\tfmt.Println(await willSpeak)
}

loop := asyncio.GetEventLoop()
loop.RunUntilComplete(run())
""", stdout="C\nA\nB\nD\n"),
    md("## Order mucking\n\nCoroutines run in the order they are awaited, one after the other:"),
    code("""
async func meow(number int) {
\tfmt.Printf("starting %d\\n", number)
\tawait asyncio.Sleep(1 * time.Second)
\tfmt.Printf("stopping %d\\n", number)
}

async func run() {
\t// notice how we assign each coroutine to a variable
\ta := meow(1)
\tb := meow(2)
\tc := meow(3)
\td := meow(4)
\te := meow(5)

\t// then we can decide which order we wish our coroutines to execute
\tawait c
\tawait a
\tawait e
\tawait b
\tawait d
}

loop := asyncio.GetEventLoop()
loop.RunUntilComplete(run())
""", stdout="".join(f"starting {n}\nstopping {n}\n" for n in (3, 1, 5, 2, 4))),
    md("""
## Parallel runnings

`asyncio.Wait` takes a slice of coroutines (or tasks) and waits for all of them. The post saw them
start out of order in Python 3.5–3.7 (a set was iterated); goawait wraps them in tasks in slice
order, so they start and stop in order, every time.
"""),
    code("""
async func run() {
\tvar f []*asyncio.Coroutine
\tfor x := 1; x < 6; x++ {
\t\tf = append(f, meow(x))
\t}
\tawait asyncio.Wait(f)
}

loop := asyncio.GetEventLoop()
loop.RunUntilComplete(run())
""", stdout="".join(f"starting {n}\n" for n in range(1, 6)) + "".join(f"stopping {n}\n" for n in range(1, 6))),
    md("Order-keeping parallelism with tasks from `asyncio.EnsureFuture`:"),
    code("""
async func run() {
\t// We create an empty slice to store our tasks in
\tvar f []asyncio.FutureLike
\tfor x := 1; x < 6; x++ {
\t\tf = append(f, asyncio.EnsureFuture(meow(x)))
\t}
\tawait asyncio.Wait(f)
}

loop := asyncio.GetEventLoop()
loop.RunUntilComplete(run())
""", stdout="".join(f"starting {n}\n" for n in range(1, 6)) + "".join(f"stopping {n}\n" for n in range(1, 6))),
    md("## Handling async function results — GATHER!\n\n`asyncio.Gather` returns the results in argument order:"),
    code("""
async func meow(number int) int {
\tawait asyncio.Sleep(1 * time.Second)
\treturn number
}

async func run() {
\tvar f []any
\tfor x := 1; x < 6; x++ {
\t\tf = append(f, asyncio.EnsureFuture(meow(x)))
\t}
\tx := await asyncio.Gather(f...)
\tfmt.Println(x)
}

loop := asyncio.GetEventLoop()
loop.RunUntilComplete(run())
""", stdout="[1 2 3 4 5]\n"),
    md("""
## That it? What else you got?

A task keeps its result and can be awaited again; a coroutine can be awaited only once. (Go is
typed, so the task and the coroutine get their own variables instead of reusing `results`.)
"""),
    code("""
async func newFuture(n int) int {
\tfmt.Println("future", n)
\tawait asyncio.Sleep(3 * time.Second)
\tfmt.Println("future done", n)
\treturn n
}

async func run() {
\tresults := asyncio.EnsureFuture(newFuture(1))
\tfmt.Println(results)       // <Task> object returned
\tfmt.Println(await results) // `1` is returned
\tfmt.Println(results)       // <Task> is returned again
\tfmt.Println(await results) // `1` is returned again

\tcoro := newFuture(2)
\tfmt.Println(coro)       // coroutine returned
\tfmt.Println(await coro) // `2` is returned
\tfmt.Println(coro)       // coroutine returned again
\tfmt.Println(await coro) // panics: cannot reuse already awaited coroutine
}

loop := asyncio.GetEventLoop()
loop.RunUntilComplete(run())
""", stdout=(
    "<Task pending name='Task-17' coro=<newFuture() running at cell[9]:1>>\n"
    "future 1\n"
    "future done 1\n"
    "1\n"
    "<Task finished name='Task-17' coro=<newFuture() done, defined at cell[9]:1> result=1>\n"
    "1\n"
    "<coroutine object newFuture at cell[9]:1>\n"
    "future 2\n"
    "future done 2\n"
    "2\n"
    "<coroutine object newFuture at cell[9]:1>\n"
), error=("RuntimeError", "cannot reuse already awaited coroutine")),
    md("And lastly, just have fun with it: await the even positions first, then the odd ones."),
    code("""
async func meow(number int) {
\tfmt.Printf("starting %d\\n", number)
\tawait asyncio.Sleep(1 * time.Second)
\tfmt.Printf("stopping %d\\n", number)
}

async func run() {
\tvar f []*asyncio.Coroutine
\tfor x := 1; x < 6; x++ {
\t\tf = append(f, meow(x))
\t}

\tfor x, y := range f {
\t\tif x%2 == 0 {
\t\t\tawait y
\t\t}
\t}
\tfor x, y := range f {
\t\tif x%2 != 0 {
\t\t\tawait y
\t\t}
\t}
}

loop := asyncio.GetEventLoop()
loop.RunUntilComplete(run())
""", stdout="".join(f"starting {n}\nstopping {n}\n" for n in (1, 3, 5, 2, 4))),
]

GOING_ASYNC = [
    md("""
# Going async — in Go

A Go twin of *"Going Async in Python"*: the good old `fib`, and an `async` version of it that awaits
itself recursively. `asyncFib(10)` only makes a coroutine; the event loop runs it.
"""),
    code("""
import "fmt"

// Good Ol' fib
func fib(n int) int {
\tif n == 0 || n == 1 {
\t\treturn n
\t}
\treturn fib(n-1) + fib(n-2)
}

// Async version of fib: the async before func makes it a coroutine function.
async func asyncFib(n int) int {
\tif n == 0 || n == 1 {
\t\treturn n
\t}
\t// async calls are awaited; each await yields an int
\treturn await asyncFib(n-1) + await asyncFib(n-2)
}

// Running regular fib
fmt.Println(fib(10))

// Running async fib needs an event loop
loop := asyncio.GetEventLoop()

// This does not run the function: toRun is a coroutine
toRun := asyncFib(10)

// RunUntilComplete runs the coroutine until it is done
result := loop.RunUntilComplete(toRun)

fmt.Println(result)
""", stdout="55\n55\n"),
    md("In a notebook you can also simply `await` at the top level of a cell; the value is typed `int`:"),
    code("await asyncFib(20)", result="6765"),
]

ASYNC_PROGRAMMING = [
    md("""
# Asynchronous programming — in Go

A Go twin of *"Asynchronous Programming in Python"*.

### Sync vs async

A blocking call stops everything until it returns (the post sleeps 10 seconds; we sleep one to keep
the notebook quick):
"""),
    code("""
import (
\t"fmt"
\t"time"
)

func foo() {
\tfmt.Println("in foo")
\ttime.Sleep(1 * time.Second) // mimicking some blocking operation
\tfmt.Println("end foo")
}

foo()
fmt.Println("Termination of the program")
""", stdout="in foo\nend foo\nTermination of the program\n"),
    md("""
### What's a coroutine?

Calling an `async func` makes a coroutine object and runs nothing. Like Python, goawait warns about a
coroutine that is never awaited, naming the line that made it:
"""),
    code("""
async func main() { // defining a coroutine function
\tfmt.Println("hello world")
}

fmt.Println(main()) // Output - <coroutine object main at ...>
""", stdout="<coroutine object main at cell[2]:1>\n", stderr="coroutine 'main' was never awaited (created at cell[2]:5)\n"),
    md("""
### Await at the top level

Python refuses `await main()` outside a function; in a notebook (IPython or goawait) the cell runs
on the kernel's event loop, so it just works:
"""),
    code("await main()", stdout="hello world\n"),
    md("`asyncio.Run` starts a fresh event loop, runs the coroutine and closes the loop. It works in a cell too:"),
    code("asyncio.Run(main())", stdout="hello world\n"),
    md("### Await keyword"),
    code("""
async func main() {
\tfmt.Println("awaiting foo...")
\tawait foo("inside foo")
\tfmt.Println("finished awaiting foo")
}

async func foo(text string) {
\tfmt.Println(text)
\tawait asyncio.Sleep(1 * time.Second)
}

asyncio.Run(main())
""", stdout="awaiting foo...\ninside foo\nfinished awaiting foo\n"),
    md("""
### asyncio tasks

`asyncio.CreateTask` runs `foo` as soon as `main` gives way. Here `main` ends first, and
`asyncio.Run` cancels what is left — so *Ending foo* never prints, exactly as in the post.
"""),
    code("""
async func main() {
\tfmt.Println("awaiting foo...")
\ttask := asyncio.CreateTask(foo("inside foo"))
\t_ = task
\tfmt.Println("finished awaiting foo")
}

async func foo(text string) {
\tfmt.Println(text)
\tawait asyncio.Sleep(1 * time.Second)
\tfmt.Println("Ending foo")
}

asyncio.Run(main())
""", stdout="awaiting foo...\nfinished awaiting foo\ninside foo\n"),
    md("Awaiting the task lets `foo` finish before `main` ends:"),
    code("""
async func main() {
\tfmt.Println("awaiting foo...")
\ttask := asyncio.CreateTask(foo("inside foo"))
\tfmt.Println("finished awaiting foo")
\tawait task
}

asyncio.Run(main())
""", stdout="awaiting foo...\nfinished awaiting foo\ninside foo\nEnding foo\n"),
    md("""
### More examples

Two tasks interleave: while `fetchData` waits two seconds, `printNumbers` prints eight numbers, one
every 250 ms. `value` is typed `map[string]int`.

(The post prints ten numbers. Its ninth is due at the very moment the data arrives, so which of
the two comes first depends on how busy the machine is; with eight, the last number comes a
quarter of a second before the data, and the output is the same on every run.)
"""),
    code("""
async func fetchData() map[string]int {
\tfmt.Println("Start fetching")
\tawait asyncio.Sleep(2 * time.Second) // mimicking fetching data via some request
\tfmt.Println("Done fetching")
\treturn map[string]int{"data": 1}
}

async func printNumbers() {
\tfor i := range 8 {
\t\tfmt.Println(i)
\t\tawait asyncio.Sleep(250 * time.Millisecond) // mimicking waiting for a response
\t}
}

async func main() {
\ttask1 := asyncio.CreateTask(fetchData())
\ttask2 := asyncio.CreateTask(printNumbers())

\t// awaiting task1 to be completed and then using
\t// the value it returned
\tvalue := await task1
\tfmt.Println(value)
\tawait task2
}

asyncio.Run(main())
""", stdout="Start fetching\n" + "".join(f"{i}\n" for i in range(8)) + "Done fetching\nmap[data:1]\n"),
]

NOTEBOOK_PRIMER = [
    md("""
# A primer on asyncio in a notebook — in Go

A Go twin of the primer notebook. Asynchronous programming runs **one task at a time**; when a task
waits (sleeping, waiting for a response), another one gets the processor.

The kernel keeps an event loop running for the whole session, as IPython does, so you can simply
write `await function()` in a cell; `asyncio` is imported on first use.
"""),
    md("# Co-routines\n\nAdd `async` before `func` to declare a coroutine function:"),
    code("""
import (
\t"fmt"
\t"time"
)

// This is a coroutine function
async func main() {
\tfmt.Println("Hell world!")
}
"""),
    md("# `await`\n\n`await` runs a coroutine and waits until it is complete before moving on."),
    code("""
async func main() {
\tfmt.Println("hello there!")
\tawait foo()
\tfmt.Println("All done!")
}

async func foo() {
\tfmt.Println("text")
\tawait asyncio.Sleep(1 * time.Second)
}

await main()
""", stdout="hello there!\ntext\nAll done!\n"),
    md("""
# Tasks

A task runs its coroutine **as soon as possible**: when the running code gives way. Here that is at
the end of `main()`, so *All done!* comes before *text* — and the task still runs, in this cell,
because the kernel runs every ready task before it finishes the cell.
"""),
    code("""
async func main() {
\tfmt.Println("hello there!")
\ttask := asyncio.CreateTask(foo())
\t_ = task
\tfmt.Println("All done!")
}

await main()
""", stdout="hello there!\nAll done!\ntext\n"),
    md("With an idle period of two seconds in `main()`, the processor goes to `foo()` first:"),
    code("""
async func main() {
\tfmt.Println("hello there!")
\ttask := asyncio.CreateTask(foo())
\t_ = task
\tawait asyncio.Sleep(2 * time.Second)
\tfmt.Println("All done!")
}

await main()
""", stdout="hello there!\ntext\nAll done!\n"),
    md("""
# Futures

A task is a placeholder for the value its coroutine will return. Printing a pending task shows where
its coroutine is:
"""),
    code("""
async func fetchData() map[string]int {
\tfmt.Println("Start fetching")
\tawait asyncio.Sleep(2 * time.Second)
\treturn map[string]int{"data": 1}
}

async func printNumbers() {
\tfor i := range 5 {
\t\tfmt.Println(i)
\t\tawait asyncio.Sleep(250 * time.Millisecond)
\t}
}

async func main() {
\ttask1 := asyncio.CreateTask(fetchData())
\t// task2 := asyncio.CreateTask(printNumbers())
\tfmt.Println(task1)
}

await main()
""", stdout="<Task pending name='Task-3' coro=<fetchData() running at cell[5]:1>>\nStart fetching\n"),
    md("To get the value, await the task:"),
    code("""
async func main() {
\ttask1 := asyncio.CreateTask(fetchData())
\t// task2 := asyncio.CreateTask(printNumbers())
\tvalue := await task1
\tfmt.Println(value)
}

await main()
""", stdout="Start fetching\nmap[data:1]\n"),
]

TOUR = [
    md("""
# A five-minute tour of goawait

goawait is a Jupyter kernel for **Go** in which `async` and `await` work the way Python's asyncio
works in a notebook. Run each cell with Shift+Enter.

## Go, cell by cell

Imports, declarations and statements can come in any order; what a cell declares stays for the next
cells. The value of a last expression is shown.
"""),
    code("""
import "fmt"

type Gopher struct {
\tName string
\tAge  int
}

func (g Gopher) Greet() string { return "hi, I am " + g.Name }

g := Gopher{Name: "Ann", Age: 3}
fmt.Println(g.Greet())
g
""", stdout="hi, I am Ann\n", result="{Name:Ann Age:3}"),
    code("""
func fib(n int) int {
\tif n < 2 {
\t\treturn n
\t}
\treturn fib(n-1) + fib(n-2)
}
fib(20)
""", result="6765"),
    md("Go 1.21+ builtins and the current standard library work:"),
    code("""
import "slices"

nums := []int{5, 2, 8, 1}
slices.Sort(nums)
fmt.Println(nums, min(3, 1, 2), max(4, 9))
""", stdout="[1 2 5 8] 1 9\n"),
    md("""
## async and await

`async func` declares a coroutine function; `await` waits for a coroutine or a task — at the top
level of a cell too. Results keep their Go types.
"""),
    code("""
import "time"

async func fetch(name string, d time.Duration) string {
\tawait asyncio.Sleep(d)
\treturn "data from " + name
}

await fetch("disk", 10*time.Millisecond)
""", result='"data from disk"'),
    md("Tasks run concurrently on one event loop; `asyncio.Gather` keeps the order of its arguments:"),
    code("""
start := time.Now()
results := await asyncio.Gather(
\tfetch("a", 300*time.Millisecond),
\tfetch("b", 200*time.Millisecond),
\tfetch("c", 100*time.Millisecond),
)
fmt.Println(results)
fmt.Println("took about", time.Since(start).Round(100*time.Millisecond))
""", stdout="[data from a data from b data from c]\ntook about 300ms\n"),
    md("""
## A picture of concurrency

`asyncio.Timeline()` draws what every task of the last cell did over time. Three workers share a
lock; each first sleeps a little, then holds the lock for 100 ms — one of them also blocks the
loop with a plain `time.Sleep`, which no other task can interrupt:
"""),
    code("""
async func worker(name string, lock *asyncio.Lock, delay time.Duration, block bool) {
\tawait asyncio.Sleep(delay)
\tawait lock.Acquire()
\tdefer lock.Release()
\tfmt.Println(name, "has the lock")
\tif block {
\t\ttime.Sleep(30 * time.Millisecond) // blocks the whole event loop
\t}
\tawait asyncio.Sleep(100 * time.Millisecond)
}

lock := asyncio.NewLock()
_ = await asyncio.Gather(
\tworker("a", lock, 0, true),
\tworker("b", lock, 20*time.Millisecond, false),
\tworker("c", lock, 40*time.Millisecond, false),
)
""", stdout="a has the lock\nb has the lock\nc has the lock\n"),
    md("""
One row per task: the cell's own task first, then each task it made, named with its coroutine.
Dark bars are the task *running* — holding the event loop; only one bar at a time is dark. Light
bars are the task *waiting*, labelled with what it waits on: a sleep, the lock, `gather`. The ✓ marks
where a task finished (a cancelled task gets ⊘, a failed one ✗). Worker `a`'s blocking
`time.Sleep` is the one wide dark bar: while it runs nothing else can, so `b`'s 20 ms sleep ends
late. As a value, the timeline is an SVG picture; its text form (for text front ends) just counts
the tasks, and `.Table()` gives the times as text.
"""),
    code("asyncio.Timeline()", result="Timeline: 4 tasks"),
    md("""
## Tasks outlive their cell

A task started in one cell keeps running; what it prints goes to the cell that started it, even
while you run other cells.
"""),
    code("""
async func ticker(n int) {
\tfor i := 1; i <= n; i++ {
\t\tfmt.Println("tick", i)
\t\tawait asyncio.Sleep(500 * time.Millisecond)
\t}
}

t := asyncio.CreateTask(ticker(3))
""", stdout="tick 1\n"),
    code("""
await t
fmt.Println("ticker done:", t.Done())
""", stdout="ticker done: true\n"),
    md("## Rich output\n\nThe `goawait/display` package shows HTML, Markdown, SVG, images and more:"),
    code("""
import "goawait/display"

display.HTML("<b>bold</b> and <i>italic</i>")
""", display=[{"text/html": "<b>bold</b> and <i>italic</i>", "text/plain": "bold and italic"}]),
]

TINY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="16" fill="teal"/></svg>'

DISPLAY = [
    md("""
# Rich output in goawait

The `goawait/display` package is goawait's `IPython.display`: HTML, Markdown, LaTeX, JSON, SVG and
images, raw MIME bundles, outputs updated in place, and progress bars. Every output also carries a
`text/plain` form, so a notebook read as text still says something.

You need not import it: a cell that uses a standard package (or `display`) without importing it gets
the import, and says so once.
"""),
    code("""
display.Markdown("## Hello from Go\\nThis is *Markdown*, rendered by the front end.")
""", stderr='(auto-imported "goawait/display")\n',
         display=[{"text/markdown": "## Hello from Go\nThis is *Markdown*, rendered by the front end.", "text/plain": "## Hello from Go\nThis is *Markdown*, rendered by the front end."}]),
    md("HTML, LaTeX and JSON:"),
    code("""
display.HTML(`<table>
  <tr><th>language</th><th>mascot</th></tr>
  <tr><td>Go</td><td>gopher</td></tr>
</table>`)
""", display=[{"text/html": "<table>...</table>", "text/plain": "language mascot\nGo gopher"}]),
    code("""
display.LaTeX(`$$e^{i\\pi} + 1 = 0$$`)
""", display=[{"text/latex": "$$e^{i\\pi} + 1 = 0$$", "text/plain": "$$e^{i\\pi} + 1 = 0$$"}]),
    code("""
display.JSON(map[string]any{"name": "gopher", "born": 2009, "tags": []string{"fast", "simple"}})
""", display=[{"application/json": {"born": 2009, "name": "gopher", "tags": ["fast", "simple"]}, "text/plain": "{...}"}]),
    md("SVG, and any `image.Image` (sent as PNG):"),
    code("""
display.SVG(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="16" fill="teal"/></svg>`)
""", display=[{"image/svg+xml": TINY_SVG, "text/plain": "[SVG image 40x40]"}]),
    code("""
import (
\t"image"
\t"image/color"
)

img := image.NewRGBA(image.Rect(0, 0, 64, 64))
for x := 0; x < 64; x++ {
\tfor y := 0; y < 64; y++ {
\t\timg.Set(x, y, color.RGBA{uint8(4 * x), uint8(4 * y), 160, 255})
\t}
}
display.Image(img)
""", display=[{"image/png": "", "text/plain": "[PNG image 64x64]"}]),
    md("An image as the last value of a cell is shown as an image too:"),
    code("img", result="[PNG image 64x64]"),
    md("A raw MIME bundle, with metadata — here the PNG drawn at twice its size:"),
    code("""
import (
\t"bytes"
\t"image/png"
)

var buf bytes.Buffer
png.Encode(&buf, img)
display.Bundle(map[string]any{"image/png": buf.Bytes()}, map[string]any{"image/png": map[string]any{"width": 128, "height": 128}})
""", display=[{"image/png": "", "text/plain": "[PNG image 64x64]"}]),
    md("""
## Rich values of your own types

As with IPython's `_repr_html_`, a value whose type has a method `HTML() string`,
`Markdown() string`, `SVG() string`, `PNG() []byte`, `JPEG() []byte`, `LaTeX() string` or
`MIMEBundle() map[string]any` is shown richly when it is a cell's last value. `String()` still
gives the plain-text form.
"""),
    code("""
import "fmt"

type Card struct {
\tRank, Suit string
}

func (c Card) String() string { return c.Rank + " of " + c.Suit }

func (c Card) HTML() string {
\treturn fmt.Sprintf(`<div style="border:1px solid #888;border-radius:6px;padding:6px;width:6em;text-align:center">%s<br><b>%s</b></div>`, c.Rank, c.Suit)
}

Card{"Queen", "hearts"}
""", result="Queen of hearts"),
    code("""
type Fraction struct{ N, D int }

func (f Fraction) LaTeX() string  { return fmt.Sprintf(`$\\frac{%d}{%d}$`, f.N, f.D) }
func (f Fraction) String() string { return fmt.Sprintf("%d/%d", f.N, f.D) }

Fraction{1, 3}
""", result="1/3"),
    md("""
## Outputs updated in place

`display.NewHandle()` gives a display id: `Display` shows an output, `Update` replaces it wherever
it is — also from a later cell or from a background task.
"""),
    code("""
import "time"

status := display.NewHandle()
status.Display(display.TextOutput("working..."))
time.Sleep(200 * time.Millisecond)
status.Update(display.HTMLOutput("<b>done</b> in one line that changed"))
""", display=[{"text/html": "<b>done</b> in one line that changed", "text/plain": "done in one line that changed"}]),
    md("""
## Progress bars

`display.Progress(total)` shows a bar that `Add` and `Set` move in place. Read as text it looks like
`[==========          ] 50/100`.
"""),
    code("""
bar := display.Progress(40)
for i := 0; i < 40; i++ {
\ttime.Sleep(10 * time.Millisecond)
\tbar.Add(1)
}
""", display=[{"text/html": "<progress>", "text/plain": "[====================] 40/40"}]),
    md("Tasks can share one bar: each download adds its step as it finishes."),
    code("""
async func download(n int, bar *display.ProgressBar) int {
\tawait asyncio.Sleep(time.Duration(n*30) * time.Millisecond)
\tbar.Add(1)
\treturn n * 100
}

downloads := display.Progress(5)
downloads.SetLabel("downloads")
sizes := await asyncio.Gather(download(5, downloads), download(1, downloads), download(3, downloads), download(2, downloads), download(4, downloads))
fmt.Println(sizes)
""", stdout="[500 100 300 200 400]\n", display=[{"text/html": "<progress>", "text/plain": "downloads [====================] 5/5"}]),
    md("`display.ClearOutput(true)` clears the cell's output when the next output arrives (no flicker):"),
    code("""
for i := 3; i > 0; i-- {
\tdisplay.ClearOutput(true)
\tfmt.Println("countdown", i)
\ttime.Sleep(100 * time.Millisecond)
}
display.ClearOutput(true)
fmt.Println("liftoff")
""", stdout="liftoff\n"),
    md("""
## Magics

Lines starting with `%` or `!` are IPython-style magics. `%help` lists them all (in the pager).
"""),
    code("""
%%html
<p style="color: teal">A cell that is <b>only HTML</b>.</p>
""", display=[{"text/html": '<p style="color: teal">A cell that is <b>only HTML</b>.</p>', "text/plain": "A cell that is only HTML."}]),
    code("""
%%markdown
*Markdown* cells work **too**.
""", display=[{"text/markdown": "*Markdown* cells work **too**.", "text/plain": "*Markdown* cells work **too**."}]),
    code("""
%time total := 0
%timeit time.Sleep(250 * time.Millisecond)
!echo "hello from the shell"
""", stdout="Wall time: 1µs\n250ms ± 1ms per loop (mean ± std. dev. of 3 runs, 1 loop each)\nhello from the shell\n"),
    code("""
%env GREETING=hi there
!echo "$GREETING"
""", stdout="env: GREETING=hi there\nhi there\n"),
]

PLOTS = [
    md("""
# Plots without leaving Go

`display.LineChart`, `display.ScatterChart` and `display.BarChart` draw clean SVG charts — axes,
nice ticks, title and labels — with no external tool. Options go in a `display.ChartOptions`.
"""),
    code("""
import (
\t"math"

\t"goawait/display"
)

var xs, ys []float64
for i := 0; i <= 100; i++ {
\tx := float64(i) / 10
\txs = append(xs, x)
\tys = append(ys, math.Sin(x)*math.Exp(-x/5))
}
display.LineChart(xs, ys, display.ChartOptions{Title: "A damped sine", XLabel: "t", YLabel: "sin(t) e^(-t/5)"})
""", display=[{"image/svg+xml": TINY_SVG, "text/plain": '[line chart "A damped sine", 101 points]'}]),
    code("""
import "strings"

text := "the quick brown fox jumps over the lazy dog the fox the dog"
counts := map[string]float64{}
for _, w := range strings.Fields(text) {
\tcounts[w]++
}
words := []string{"the", "fox", "dog", "quick", "lazy"}
var freq []float64
for _, w := range words {
\tfreq = append(freq, counts[w])
}
display.BarChart(words, freq, display.ChartOptions{Title: "Word counts", Color: "#e07b39"})
""", display=[{"image/svg+xml": TINY_SVG, "text/plain": '[bar chart "Word counts", 5 points]'}]),
    code("""
// A small deterministic pseudo-random walk.
seed := uint32(7)
next := func() float64 {
\tseed = seed*1664525 + 1013904223
\treturn float64(seed>>8) / float64(1<<24)
}
var px, py []float64
for i := 0; i < 200; i++ {
\tx := next() * 10
\tpx = append(px, x)
\tpy = append(py, 2*x+next()*6-3)
}
display.ScatterChart(px, py, display.ChartOptions{Title: "y = 2x + noise", Color: "purple"})
""", display=[{"image/svg+xml": TINY_SVG, "text/plain": '[scatter chart "y = 2x + noise", 200 points]'}]),
    md("""
## A chart that grows while tasks run

A display handle takes a chart `Output`; each update redraws it in place.
"""),
    code("""
import "time"

chart := display.NewHandle()
var steps, values []float64
chart.Display(display.TextOutput("waiting for data..."))

async func sample(i int) float64 {
\tawait asyncio.Sleep(20 * time.Millisecond)
\treturn math.Sqrt(float64(i))
}

for i := 1; i <= 15; i++ {
\tv := await sample(i)
\tsteps, values = append(steps, float64(i)), append(values, v)
\tchart.Update(display.LineChartOutput(steps, values, display.ChartOptions{Title: "sqrt, sampled"}))
}
""", display=[{"image/svg+xml": TINY_SVG, "text/plain": '[line chart "sqrt, sampled", 15 points]'}]),
    md("""
## Charts as values

A type with an `SVG() string` method is drawn when it is a cell's last value:
"""),
    code("""
type Sparkline []float64

func (s Sparkline) SVG() string {
\txs := make([]float64, len(s))
\tfor i := range xs {
\t\txs[i] = float64(i)
\t}
\treturn display.LineChartSVG(xs, s, display.ChartOptions{Width: 240, Height: 120, Color: "crimson"})
}

Sparkline{3, 1, 4, 1, 5, 9, 2, 6}
""", result="[3 1 4 1 5 9 2 6]"),
]

NOTEBOOKS = {
    "promises.ipynb": PROMISES,
    "asyncio-basics.ipynb": BASICS,
    "going-async.ipynb": GOING_ASYNC,
    "async-programming.ipynb": ASYNC_PROGRAMMING,
    "notebook-primer.ipynb": NOTEBOOK_PRIMER,
    "tour.ipynb": TOUR,
    "display.ipynb": DISPLAY,
    "plots.ipynb": PLOTS,
}
