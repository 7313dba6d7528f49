package asyncio

import (
	"testing"
	"time"
)

// benchCellGather runs, as a notebook cell, a gather of n tasks that each
// sleep 10 ms: the path on which the timeline records.
func benchCellGather(b *testing.B, n int) { benchCellGatherOf(b, n, false) }

// benchCellGatherOf is benchCellGather with, if tail, sleepers made the
// way the rewriter makes an async func whose last statement is an await.
func benchCellGatherOf(b *testing.B, n int, tail bool) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		rt := NewRuntime(Options{})
		err := rt.RunCell("c", func() {
			xs := make([]any, n)
			for j := range xs {
				if tail {
					xs[j] = rt.NewTailCoroutine("sleeper", "b:1", "b:1", func() any {
						return rt.Sleep(10 * time.Millisecond)
					})
					continue
				}
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

// BenchmarkCellGather10kTail: BenchmarkCellGather10k with tail coroutines.
func BenchmarkCellGather10kTail(b *testing.B) { benchCellGatherOf(b, 10_000, true) }

// BenchmarkCellGather100kTail: BenchmarkCellGather100k with tail
// coroutines.
func BenchmarkCellGather100kTail(b *testing.B) { benchCellGatherOf(b, 100_000, true) }
