package asyncio

import (
	"fmt"
	"testing"
)

// Seed 000: ensure_future on a set loop, then run_until_complete.
func TestSeed000PromiseOnSetLoop(t *testing.T) {
	rt, o := newRT(t)
	returnHello := func() *Coroutine {
		return rt.NewCoroutine("returnHello", "cell[1]:1", func() []any {
			o.say("executes once")
			rt.Await(rt.Sleep(2 * unit))
			return []any{"hello_world"}
		})
	}
	l := rt.NewEventLoop()
	rt.SetEventLoop(l)
	task := rt.EnsureFuture(returnHello())
	o.say("runs before anything else")
	hello := rt.GetEventLoop().RunUntilComplete(task)
	o.say(hello)
	if hello != "hello_world" {
		t.Fatalf("hello = %v", hello)
	}
	want(t, o.got(), "runs before anything else", "executes once", "hello_world")
	if again := l.RunUntilComplete(task); again != "hello_world" {
		t.Fatalf("finished task awaited again = %v", again)
	}
}

// Seed 000 in a notebook cell: the kernel loop is running, so
// RunUntilComplete on it behaves like await.
func TestSeed000InCell(t *testing.T) {
	rt, o := newRT(t)
	cell(t, rt, "c1", func() {
		returnHello := rt.NewCoroutine("returnHello", "cell[1]:1", func() []any {
			o.say("executes once")
			rt.Await(rt.Sleep(unit))
			return []any{"hello_world"}
		})
		l := rt.NewEventLoop()
		rt.SetEventLoop(l)
		task := rt.EnsureFuture(returnHello)
		o.say("runs before anything else")
		o.say(rt.GetEventLoop().RunUntilComplete(task))
	})
	want(t, o.got(), "runs before anything else", "executes once", "hello_world")
}

// seed001 holds the coroutine functions of seed 001.
type seed001 struct {
	rt *Runtime
	o  *out
}

func (s seed001) speak() *Coroutine {
	return s.rt.NewCoroutine("speak", "cell[1]:1", func() []any {
		s.o.say("C")
		s.rt.Await(s.rt.Sleep(3 * unit / 4))
		return []any{"D"}
	})
}

func (s seed001) meow(n int) *Coroutine {
	return s.rt.NewCoroutine("meow", "cell[1]:1", func() []any {
		s.o.say("starting ", n)
		s.rt.Await(s.rt.Sleep(unit / 4))
		s.o.say("stopping ", n)
		return nil
	})
}

func (s seed001) meowValue(n int) *Coroutine {
	return s.rt.NewCoroutine("meow", "cell[1]:1", func() []any {
		s.rt.Await(s.rt.Sleep(unit / 4))
		return []any{n}
	})
}

func (s seed001) run(body func()) {
	s.rt.GetEventLoop().RunUntilComplete(s.rt.NewCoroutine("run", "cell[1]:5", func() []any {
		body()
		return nil
	}))
}

func TestSeed001Await(t *testing.T) {
	rt, o := newRT(t)
	s := seed001{rt, o}
	s.run(func() {
		rt.Await(rt.NewCoroutine("speak", "x:1", func() []any { o.say("Hey!"); return nil }))
	})
	want(t, o.got(), "Hey!")
}

func TestSeed001CoroutineLater(t *testing.T) {
	rt, o := newRT(t)
	s := seed001{rt, o}
	s.run(func() {
		willSpeak := s.speak()
		o.say("A")
		o.say("B")
		o.say(rt.Await(willSpeak)[0])
	})
	want(t, o.got(), "A", "B", "C", "D")
}

func TestSeed001EnsureFutureRunsFirst(t *testing.T) {
	rt, o := newRT(t)
	s := seed001{rt, o}
	s.run(func() {
		willSpeak := rt.EnsureFuture(s.speak())
		rt.Await(rt.Sleep(unit / 4))
		o.say("A")
		o.say("B")
		o.say(rt.Await(willSpeak)[0])
	})
	want(t, o.got(), "C", "A", "B", "D")
}

func TestSeed001OrderMucking(t *testing.T) {
	rt, o := newRT(t)
	s := seed001{rt, o}
	s.run(func() {
		a, b, c, d, e := s.meow(1), s.meow(2), s.meow(3), s.meow(4), s.meow(5)
		for _, x := range []*Coroutine{c, a, e, b, d} {
			rt.Await(x)
		}
	})
	want(t, o.got(), "starting 3", "stopping 3", "starting 1", "stopping 1", "starting 5",
		"stopping 5", "starting 2", "stopping 2", "starting 4", "stopping 4")
}

func TestSeed001WaitParallel(t *testing.T) {
	for _, ensure := range []bool{false, true} {
		t.Run(fmt.Sprint("ensure=", ensure), func(t *testing.T) {
			rt, o := newRT(t)
			s := seed001{rt, o}
			s.run(func() {
				var f []any
				for x := 1; x < 6; x++ {
					if ensure {
						f = append(f, rt.EnsureFuture(s.meow(x)))
					} else {
						f = append(f, s.meow(x))
					}
				}
				r := rt.Await(rt.Wait(f))
				if len(r) != 2 || len(r[0].([]FutureLike)) != 5 || len(r[1].([]FutureLike)) != 0 {
					t.Errorf("Wait results = %v", r)
				}
			})
			want(t, o.got(), "starting 1", "starting 2", "starting 3", "starting 4", "starting 5",
				"stopping 1", "stopping 2", "stopping 3", "stopping 4", "stopping 5")
		})
	}
}

func TestSeed001Gather(t *testing.T) {
	rt, o := newRT(t)
	s := seed001{rt, o}
	s.run(func() {
		var f []any
		for x := 1; x < 6; x++ {
			f = append(f, rt.EnsureFuture(s.meowValue(x)))
		}
		x := rt.Await(rt.Gather(f...))
		o.say(x[0])
	})
	want(t, o.got(), "[1 2 3 4 5]")
}

func TestSeed001TaskCachesCoroutineDoesNot(t *testing.T) {
	rt, o := newRT(t)
	newFuture := func(n int) *Coroutine {
		return rt.NewCoroutine("newFuture", "cell[2]:1", func() []any {
			o.say("future ", n)
			rt.Await(rt.Sleep(unit / 4))
			o.say("future done ", n)
			return []any{n}
		})
	}
	var reuse any
	seed001{rt, o}.run(func() {
		results := rt.EnsureFuture(newFuture(1))
		o.say(results)
		o.say(rt.Await(results)[0])
		o.say(results)
		o.say(rt.Await(results)[0])

		c := newFuture(2)
		o.say(c)
		o.say(rt.Await(c)[0])
		o.say(c)
		reuse = panicOf(func() { rt.Await(c) })
	})
	want(t, o.got(),
		"<Task pending name='Task-2' coro=<newFuture() running at cell[2]:1>>",
		"future 1", "future done 1", "1",
		"<Task finished name='Task-2' coro=<newFuture() done, defined at cell[2]:1> result=1>",
		"1",
		"<coroutine object newFuture at cell[2]:1>",
		"future 2", "future done 2", "2",
		"<coroutine object newFuture at cell[2]:1>")
	err, ok := reuse.(error)
	if !ok || err.Error() != "cannot reuse already awaited coroutine" {
		t.Fatalf("second await panicked with %#v", reuse)
	}
}

func TestSeed001OddEven(t *testing.T) {
	rt, o := newRT(t)
	s := seed001{rt, o}
	s.run(func() {
		var f []*Coroutine
		for x := 1; x < 6; x++ {
			f = append(f, s.meow(x))
		}
		for x, y := range f {
			if x%2 == 0 {
				rt.Await(y)
			}
		}
		for x, y := range f {
			if x%2 != 0 {
				rt.Await(y)
			}
		}
	})
	want(t, o.got(), "starting 1", "stopping 1", "starting 3", "stopping 3", "starting 5",
		"stopping 5", "starting 2", "stopping 2", "starting 4", "stopping 4")
}

// Seed 002: recursive async fib through run_until_complete.
func TestSeed002AsyncFib(t *testing.T) {
	rt, _ := newRT(t)
	var asyncFib func(n int) *Coroutine
	asyncFib = func(n int) *Coroutine {
		return rt.NewCoroutine("asyncFib", "cell[1]:9", func() []any {
			if n == 0 || n == 1 {
				return []any{n}
			}
			return []any{rt.Await(asyncFib(n - 1))[0].(int) + rt.Await(asyncFib(n - 2))[0].(int)}
		})
	}
	loop := rt.GetEventLoop()
	toRun := asyncFib(10)
	if got := loop.RunUntilComplete(toRun); got != 55 {
		t.Fatalf("asyncFib(10) = %v", got)
	}
}

// seed003 holds the coroutine functions of seed 003.
func seed003Foo(rt *Runtime, o *out, ending bool) func(string) *Coroutine {
	return func(text string) *Coroutine {
		return rt.NewCoroutine("foo", "cell[1]:7", func() []any {
			o.say(text)
			rt.Await(rt.Sleep(unit / 4))
			if ending {
				o.say("Ending foo")
			}
			return nil
		})
	}
}

func TestSeed003PrintCoroutine(t *testing.T) {
	rt, o := newRT(t)
	var main *Coroutine
	cell(t, rt, "c1", func() {
		// fmt.Println(main()) on line 7, as the rewriter emits it.
		main = rt.CreatedAt(rt.NewCoroutine("main", "cell[1]:3", func() []any { o.say("hello world"); return nil }), "cell[1]:7")
		o.say(main)
	})
	want(t, o.got(), "<coroutine object main at cell[1]:3>")
	want(t, o.gotReports(), "c1: coroutine 'main' was never awaited (created at cell[1]:7)")
	rt.Run(rt.NewCoroutine("main", "cell[2]:3", func() []any { o.say("hello world"); return nil }))
	want(t, o.got()[1:], "hello world")
}

func TestSeed003AwaitFoo(t *testing.T) {
	rt, o := newRT(t)
	foo := seed003Foo(rt, o, false)
	rt.Run(rt.NewCoroutine("main", "cell[1]:3", func() []any {
		o.say("awaiting foo...")
		rt.Await(foo("inside foo"))
		o.say("finished awaiting foo")
		return nil
	}))
	want(t, o.got(), "awaiting foo...", "inside foo", "finished awaiting foo")
}

func TestSeed003RunCancelsLeftovers(t *testing.T) {
	rt, o := newRT(t)
	foo := seed003Foo(rt, o, true)
	var task *Task
	rt.Run(rt.NewCoroutine("main", "cell[1]:3", func() []any {
		o.say("awaiting foo...")
		task = rt.CreateTask(foo("inside foo"))
		o.say("finished awaiting foo")
		return nil
	}))
	want(t, o.got(), "awaiting foo...", "finished awaiting foo", "inside foo")
	if !task.Cancelled() {
		t.Fatalf("leftover task after Run: %v", task)
	}
}

func TestSeed003AwaitTask(t *testing.T) {
	rt, o := newRT(t)
	foo := seed003Foo(rt, o, true)
	rt.Run(rt.NewCoroutine("main", "cell[1]:3", func() []any {
		o.say("awaiting foo...")
		task := rt.CreateTask(foo("inside foo"))
		o.say("finished awaiting foo")
		rt.Await(task)
		return nil
	}))
	want(t, o.got(), "awaiting foo...", "finished awaiting foo", "inside foo", "Ending foo")
}

func TestSeed003FetchAndNumbers(t *testing.T) {
	// The order depends on timer deadlines 2 "seconds" against ticks of a
	// quarter, and each tick sleeps from when it woke, so delays add up:
	// under the race detector on a machine with a load of 15, eight ticks
	// of 50 ms drifted past the fetch. A unit of 2 s leaves 250 ms of
	// drift before the eighth tick, at the price of 5 s of test time. (A
	// virtual clock in the loop would make this exact; it has none yet.)
	unit := 50 * unit
	rt, o := newRT(t)
	fetchData, printNumbers := fetchAndNumbers(rt, o, unit, 10)
	rt.Run(rt.NewCoroutine("main", "cell[1]:14", func() []any {
		task1 := rt.CreateTask(fetchData())
		task2 := rt.CreateTask(printNumbers())
		value := rt.Await(task1)[0]
		o.say(value)
		rt.Await(task2)
		return nil
	}))
	got := o.got()
	want(t, got[:10], "Start fetching", "0", "1", "2", "3", "4", "5", "6", "7", "Done fetching")
	rest := fmt.Sprint(got[10:])
	if rest != "[map[data:1] 8 9]" && rest != "[8 map[data:1] 9]" {
		t.Fatalf("tail = %v", rest)
	}
}

// Seed 004: the notebook, each program a cell on the kernel loop.
func TestSeed004Notebook(t *testing.T) {
	rt, o := newRT(t)
	foo := func(sleep bool) *Coroutine {
		return rt.NewCoroutine("foo", "cell[2]:6", func() []any {
			o.say("text")
			rt.Await(rt.Sleep(unit / 4))
			return nil
		})
	}
	// In [8]: await main() with main awaiting foo.
	cell(t, rt, "In8", func() {
		rt.Await(rt.NewCoroutine("main", "cell[2]:1", func() []any {
			o.say("hello there!")
			rt.Await(foo(true))
			o.say("All done!")
			return nil
		}))
	})
	want(t, o.got(), "hello there!", "text", "All done!")

	// In [14]: the task runs once main has returned, still in the cell.
	o.lines = nil
	cell(t, rt, "In14", func() {
		rt.Await(rt.NewCoroutine("main", "cell[3]:1", func() []any {
			o.say("hello there!")
			rt.CreateTask(foo(true))
			o.say("All done!")
			return nil
		}))
	})
	want(t, o.got(), "hello there!", "All done!", "text")

	// In [15]: main sleeps, so the task runs first.
	o.lines = nil
	cell(t, rt, "In15", func() {
		rt.Await(rt.NewCoroutine("main", "cell[4]:1", func() []any {
			o.say("hello there!")
			rt.CreateTask(foo(true))
			rt.Await(rt.Sleep(unit / 2))
			o.say("All done!")
			return nil
		}))
	})
	want(t, o.got(), "hello there!", "text", "All done!")

	fetchData := func() *Coroutine {
		return rt.NewCoroutine("fetch_data", "cell[5]:1", func() []any {
			o.say("Start fetching")
			rt.Await(rt.Sleep(unit / 4))
			return []any{map[string]int{"data": 1}}
		})
	}
	// In [19]: printing a pending task; it starts after the cell's code.
	o.lines = nil
	cell(t, rt, "In19", func() {
		rt.Await(rt.NewCoroutine("main", "cell[6]:1", func() []any {
			task1 := rt.CreateTask(fetchData())
			o.say(task1)
			return nil
		}))
	})
	want(t, o.got(), "<Task pending name='Task-3' coro=<fetch_data() running at cell[5]:1>>", "Start fetching")

	// In [20]: awaiting the task gives its value.
	o.lines = nil
	cell(t, rt, "In20", func() {
		rt.Await(rt.NewCoroutine("main", "cell[7]:1", func() []any {
			task1 := rt.CreateTask(fetchData())
			o.say(rt.Await(task1)[0])
			return nil
		}))
	})
	want(t, o.got(), "Start fetching", "map[data:1]")
}
