package asyncio

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkAwaitReadyFuture measures one Await on a finished future.
func BenchmarkAwaitReadyFuture(b *testing.B) {
	rt := NewRuntime(Options{})
	mainOf(rt, func() {
		f := rt.GetRunningLoop().CreateFuture()
		f.SetResult(1)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			rt.Await(f)
		}
	})
}

// BenchmarkTaskSwitch measures one task switch: two tasks taking turns
// with Sleep(0); each op is one Sleep(0) of one of them.
func BenchmarkTaskSwitch(b *testing.B) {
	rt := NewRuntime(Options{})
	mainOf(rt, func() {
		turn := func() *Coroutine {
			return rt.NewCoroutine("turn", "b:1", func() []any {
				for i := 0; i < b.N/2; i++ {
					rt.Await(rt.Sleep(0))
				}
				return nil
			})
		}
		b.ResetTimer()
		rt.Await(rt.Gather(turn(), turn()))
	})
}

// benchSleepers gathers n tasks that each sleep 10 ms and reports the
// memory in use while they are all parked.
func benchSleepers(b *testing.B, n int) {
	b.ReportAllocs()
	var inUse uint64
	for i := 0; i < b.N; i++ {
		rt := NewRuntime(Options{})
		mainOf(rt, func() {
			xs := make([]any, n)
			for j := range xs {
				xs[j] = rt.NewCoroutine("sleeper", "b:1", func() []any {
					rt.Await(rt.Sleep(10 * time.Millisecond))
					return nil
				})
			}
			g := rt.Gather(xs...)
			rt.Await(rt.Sleep(0))
			rt.Await(rt.Sleep(0)) // every task has started and parked
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			inUse = max(inUse, ms.HeapInuse+ms.StackInuse)
			b.Logf("heap %d MB stack %d MB", ms.HeapInuse>>20, ms.StackInuse>>20)
			rt.Await(g)
		})
	}
	b.ReportMetric(float64(inUse)/(1<<20), "MB-in-use")
	b.ReportMetric(float64(inUse)/float64(n), "B-in-use/task")
}

// Benchmark10kSleepingTasks: 10,000 tasks each awaiting a 10 ms sleep.
func Benchmark10kSleepingTasks(b *testing.B) { benchSleepers(b, 10_000) }

// Benchmark100kSleepingTasks: 100,000 tasks each awaiting a 10 ms sleep.
func Benchmark100kSleepingTasks(b *testing.B) { benchSleepers(b, 100_000) }
