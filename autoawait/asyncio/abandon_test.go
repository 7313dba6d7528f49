package asyncio

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
)

// TestAbandonAndInterruptFromManyGoroutines runs cells from several
// goroutines while another goroutine keeps interrupting and abandoning
// whatever holds the baton, without synchronizing with the cells: some
// cells are stuck where InterruptCell cannot reach, some are busy outside
// the runtime, some are empty. Under -race it checks that the kernel
// loop's bookkeeping is never touched by two goroutines without a
// happens-before edge (the cell's registration against the scheduler's
// abandon, the numbering of later cells, a hand-back racing with an
// abandon, an abandoned goroutine coming back); in any mode it checks that
// every cell either returns or is abandoned, never both, and that the loop
// still works afterwards.
//
// The cells do not call the runtime themselves: a goroutine abandoned
// while it runs asyncio code (not stuck) keeps touching the loop until its
// next Await, which no runtime can make safe.
func TestAbandonAndInterruptFromManyGoroutines(t *testing.T) {
	rt, o := newRT(t)
	block := make(chan struct{}) // stuck cells wait here until the end
	const workers, perWorker = 4, 15
	const total = workers * perWorker
	var returned atomic.Int32
	var wrong sync.Map // owner -> unexpected RunCell error
	var launch sync.WaitGroup
	for w := range workers {
		launch.Add(1)
		go func() {
			defer launch.Done()
			for i := range perWorker {
				owner := fmt.Sprintf("w%d-%d", w, i)
				var fn func()
				switch i % 3 {
				case 0: // stuck in a call that InterruptCell cannot reach
					fn = func() { <-block }
				case 1: // busy outside the runtime for a while
					fn = func() { time.Sleep(300 * time.Microsecond) }
				default:
					fn = func() {}
				}
				go func() {
					err := rt.RunCell(owner, fn)
					var ce *CancelledError
					if err != nil && !errors.As(err, &ce) {
						wrong.Store(owner, err)
					}
					returned.Add(1)
				}()
				time.Sleep(100 * time.Microsecond)
			}
		}()
	}
	settled := func() bool { return int(returned.Load())+loop.AbandonedCells(rt.Runtime) >= total }
	stop := make(chan struct{})
	chaosDone := make(chan struct{})
	go func() {
		defer close(chaosDone)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Microsecond):
			}
			if i%2 == 0 {
				rt.InterruptCell()
			}
			rt.AbandonCell()
		}
	}()
	launch.Wait()
	waitFor(t, "every cell to return or be abandoned", settled)
	close(stop)
	<-chaosDone
	time.Sleep(20 * time.Millisecond) // a cell both abandoned and returning would show now
	if r, a := returned.Load(), loop.AbandonedCells(rt.Runtime); int(r)+a != total {
		t.Fatalf("%d cells returned and %d were abandoned, want %d in all", r, a, total)
	}
	wrong.Range(func(k, v any) bool {
		t.Errorf("RunCell(%v) = %v, want nil or a CancelledError", k, v)
		return true
	})
	close(block) // the stuck goroutines come back (their cells end) and park
	time.Sleep(20 * time.Millisecond)
	cell(t, rt, "final", func() {
		bg := rt.CreateTask(rt.NewCoroutine("bg", "cell[2]:1", func() []any {
			rt.Await(rt.Sleep(time.Millisecond))
			o.say("bg ran")
			return []any{42}
		}))
		o.say("result ", rt.Await(bg)[0])
	})
	want(t, o.got(), "bg ran", "result 42")
}

// stuckThenAwait returns code that gets stuck in a receive from block
// (after closing entered) and, once woken up, closes back and awaits a
// finished future, saying "<who> ran again" if that await returns: what
// an abandoned goroutine does when it comes back.
func stuckThenAwait(rt *Runtime, o *out, who string, entered, block, back chan struct{}) func() {
	return func() {
		done := rt.GetRunningLoop().CreateFuture()
		done.SetResult(1)
		close(entered)
		<-block // stuck where InterruptCell cannot reach
		close(back)
		rt.Await(done)
		o.say(who + " ran again")
	}
}

// wakeDuringCell runs cell c2, which wakes the stuck goroutine up while it
// holds the baton and goes on awaiting.
func wakeDuringCell(t *testing.T, rt *Runtime, o *out, block, back chan struct{}) {
	t.Helper()
	cell(t, rt, "c2", func() {
		rt.Await(rt.Sleep(0))
		close(block)
		<-back
		for range 50 {
			rt.Await(rt.Sleep(0))
		}
		o.say("c2 runs")
	})
}

// TestAbandonedCellComingBackWhileAnotherRunsParks: the goroutine of an
// abandoned cell wakes up while a later cell is in the middle of its
// awaits and awaits something itself. It must park at once, before it
// reads any of the loop's state (under -race, any such read races with
// the running cell), and the running cell must go on unharmed.
func TestAbandonedCellComingBackWhileAnotherRunsParks(t *testing.T) {
	rt, o := newRT(t)
	entered, block, back := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		rt.RunCell("c1", stuckThenAwait(rt, o, "abandoned cell", entered, block, back))
		o.say("RunCell of the abandoned cell returned")
	}()
	<-entered
	rt.AbandonCell()
	wakeDuringCell(t, rt, o, block, back)
	cell(t, rt, "c3", func() { o.say("c3 runs") })
	want(t, o.got(), "c2 runs", "c3 runs")
}

// TestAbandonedTaskComingBackWhileACellRunsParks: the same for a
// background task stuck while it held the loop: once abandoned, its
// goroutine parks when it awaits, even while a cell runs.
func TestAbandonedTaskComingBackWhileACellRunsParks(t *testing.T) {
	rt, o := newRT(t)
	entered, block, back := make(chan struct{}), make(chan struct{}), make(chan struct{})
	body := stuckThenAwait(rt, o, "abandoned task", entered, block, back)
	c1 := make(chan error, 1)
	go func() {
		c1 <- rt.RunCell("c1", func() {
			rt.CreateTask(rt.NewCoroutine("stuck", "cell[1]:1", func() []any { body(); return nil }))
		})
	}()
	<-entered
	rt.AbandonCell()
	if err := <-c1; err != nil {
		t.Fatalf("RunCell(c1) = %v", err)
	}
	wakeDuringCell(t, rt, o, block, back)
	want(t, o.got(), "c2 runs")
}
