package asyncio

import (
	"testing"
	"time"
)

// abandonStuckCell runs a cell that gets stuck in a channel receive, as a
// cell blocked where InterruptCell cannot reach, interrupts it and abandons
// it, as the session does after its grace period. The stuck goroutine
// stays parked for the rest of the process.
func abandonStuckCell(tb testing.TB, rt *Runtime) {
	tb.Helper()
	entered := make(chan struct{})
	go rt.RunCell("stuck", func() {
		close(entered)
		<-make(chan struct{})
	})
	<-entered
	rt.InterruptCell()
	rt.AbandonCell()
	// The next cell runs once the scheduler has given up on the stuck one.
	if err := rt.RunCell("after", func() {}); err != nil {
		tb.Fatal(err)
	}
}

// benchGatherAfter runs, as cells of one runtime, gathers of n tasks that
// each sleep 10 ms, after an abandoned cell if abandoned. Each task awaits
// its sleep and returns a value after it (not a tail coroutine), so that
// each of them calls Await once.
func benchGatherAfter(b *testing.B, n int, abandoned bool) {
	rt := NewRuntime(Options{})
	b.Cleanup(func() { rt.Close() })
	if abandoned {
		abandonStuckCell(b, rt)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		err := rt.RunCell("c", func() {
			xs := make([]any, n)
			for j := range xs {
				xs[j] = rt.NewCoroutine("sleeper", "b:1", func() []any {
					rt.Await(rt.Sleep(10 * time.Millisecond))
					return []any{1}
				})
			}
			rt.Await(rt.Gather(xs...))
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGather10k: a cell gathering 10,000 tasks that each sleep 10 ms.
func BenchmarkGather10k(b *testing.B) { benchGatherAfter(b, 10_000, false) }

// BenchmarkGather10kAfterAbandon: BenchmarkGather10k on a runtime that
// abandoned a stuck cell before: it must cost the same.
func BenchmarkGather10kAfterAbandon(b *testing.B) { benchGatherAfter(b, 10_000, true) }
