package interp

import (
	"testing"

	"github.com/goawait/goawait/language"
)

// These benchmarks measure what a cell costs inside the session, without
// the protocol. Profile them with, for example:
//
//	go test -run=NONE -bench=Fib -cpuprofile=/tmp/fib.prof ./interp/
//	go tool pprof -top -cum /tmp/fib.prof
//
// Measured (2 cores, go1.26.8): fib(27) spends its time in yaegi's call
// path (frames allocated with reflect.New, then the garbage collector);
// the session adds nothing measurable (with and without the event loop
// within noise). A trivial cell costs about 0.2-0.3 ms of CPU: about half
// in yaegi's Eval (its own parse with object resolution, CFG, run), the
// rest in parsing the cell, printing the chunk with line directives, and
// handing the cell to the event loop.

func benchSession(b *testing.B, opt Options) *Session {
	b.Helper()
	s, err := New(opt)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Shutdown)
	return s
}

func benchRun(b *testing.B, s *Session, n int, code string) {
	res := s.Execute(language.Cell{Code: code, ExecutionCount: n}, newPub())
	if res.Err != nil {
		b.Fatalf("%s: %s", res.Err.Name, res.Err.Value)
	}
}

func BenchmarkTrivialCell(b *testing.B) {
	s := benchSession(b, Options{})
	benchRun(b, s, 1, "x := 0")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchRun(b, s, 2+i, "x = 1")
	}
}

func benchFib(b *testing.B, opt Options) {
	s := benchSession(b, opt)
	benchRun(b, s, 1, "func fib(n int) int { if n < 2 { return n }; return fib(n-1) + fib(n-2) }")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchRun(b, s, 2+i, "fib(27)")
	}
}

func BenchmarkFib27(b *testing.B)            { benchFib(b, Options{}) }
func BenchmarkFib27WithoutLoop(b *testing.B) { benchFib(b, Options{NoAsync: true}) }

// BenchmarkGather10k runs the benchmark's concurrency cell: 10,000 tasks
// that each await a 10 ms sleep, gathered.
func BenchmarkGather10k(b *testing.B) {
	s := benchSession(b, Options{})
	benchRun(b, s, 1, "import \"time\"\n\nasync func nap() { await asyncio.Sleep(10 * time.Millisecond) }")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchRun(b, s, 2+i, `var naps []any
for i := 0; i < 10000; i++ {
	naps = append(naps, nap())
}
res := await asyncio.Gather(naps...)
_ = res`)
	}
}

// BenchmarkGoroutines10k runs the benchmark's goroutine cell: 10,000
// goroutines that each sleep 10 ms, waited for with a sync.WaitGroup.
func BenchmarkGoroutines10k(b *testing.B) {
	s := benchSession(b, Options{})
	benchRun(b, s, 1, "import (\n\t\"sync\"\n\t\"time\"\n)")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchRun(b, s, 2+i, `var wg sync.WaitGroup
for i := 0; i < 10000; i++ {
	wg.Add(1)
	go func() {
		defer wg.Done()
		time.Sleep(10 * time.Millisecond)
	}()
}
wg.Wait()`)
	}
}
