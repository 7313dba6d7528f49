package asyncio

import (
	"testing"
	"time"
)

// benchCellGather runs, as a notebook cell, a gather of n tasks that each
// sleep 10 ms: the path on which the timeline records.
func benchCellGather(b *testing.B, n int) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		rt := NewRuntime(Options{})
		err := rt.RunCell("c", func() {
			xs := make([]any, n)
			for j := range xs {
				xs[j] = rt.NewCoroutine("sleeper", "b:1", func() []any {
					rt.Await(rt.Sleep(10 * time.Millisecond))
					return nil
				})
			}
			rt.Await(rt.Gather(xs...))
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := rt.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCellGather1k: a cell gathering 1,000 sleeping tasks (recorded).
func BenchmarkCellGather1k(b *testing.B) { benchCellGather(b, 1_000) }

// BenchmarkCellGather10k: a cell gathering 10,000 sleeping tasks.
func BenchmarkCellGather10k(b *testing.B) { benchCellGather(b, 10_000) }

// BenchmarkCellGather100k: a cell gathering 100,000 sleeping tasks.
func BenchmarkCellGather100k(b *testing.B) { benchCellGather(b, 100_000) }
