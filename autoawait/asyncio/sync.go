package asyncio

import (
	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
	"github.com/goawait/goawait/autoawait/asyncio/timeline"
)

// removeFuture deletes the first occurrence of f from ws.
func removeFuture(ws []*Future, f *Future) []*Future {
	for i, w := range ws {
		if w == f {
			return append(ws[:i], ws[i+1:]...)
		}
	}
	return ws
}

// Lock is asyncio.Lock: a mutex for tasks, granted in FIFO order.
type Lock struct {
	rt      *Runtime
	locked  bool
	waiters []*Future
}

// NewLock returns an unlocked Lock.
func (rt *Runtime) NewLock() *Lock { return &Lock{rt: rt} }

// Locked reports whether the lock is held.
func (k *Lock) Locked() bool { return k.locked }

// Acquire returns a coroutine that, awaited, waits until the lock is free
// and takes it (one result: true). Use "await lock.Acquire(); defer
// lock.Release()".
func (k *Lock) Acquire() *Coroutine {
	rt := k.rt
	return loop.NewLibCoroutine(rt.Runtime, "Acquire", func() []any {
		if !k.locked && allCancelled(k.waiters) {
			k.locked = true
			return []any{true}
		}
		t := rt.CurrentTask()
		fut := loop.LoopOf(t).CreateFuture()
		loop.SetWaitKind(fut, timeline.OnLock)
		k.waiters = append(k.waiters, fut)
		func() {
			defer func() {
				k.waiters = removeFuture(k.waiters, fut)
				if p := recover(); p != nil {
					if _, ok := loop.IsCancel(loop.UnwrapPanic(p)); ok && !k.locked {
						k.wakeFirst()
					}
					panic(p)
				}
			}()
			loop.AwaitFuture(rt.Runtime, t, fut)
		}()
		k.locked = true
		return []any{true}
	})
}

// Release frees the lock and wakes the first waiter; it panics
// *RuntimeError if the lock is not held.
func (k *Lock) Release() {
	if !k.locked {
		panic(&RuntimeError{Msg: "Lock is not acquired."})
	}
	k.locked = false
	k.wakeFirst()
}

func (k *Lock) wakeFirst() {
	if len(k.waiters) == 0 {
		return
	}
	if f := k.waiters[0]; !f.Done() {
		loop.SetResults(f, []any{true})
	}
}

func allCancelled(ws []*Future) bool {
	for _, w := range ws {
		if !w.Cancelled() {
			return false
		}
	}
	return true
}

// Event is asyncio.Event: a flag tasks can wait for.
type Event struct {
	rt      *Runtime
	value   bool
	waiters []*Future
}

// NewEvent returns an unset Event.
func (rt *Runtime) NewEvent() *Event { return &Event{rt: rt} }

// IsSet reports whether the flag is set.
func (e *Event) IsSet() bool { return e.value }

// Set sets the flag and wakes every waiter.
func (e *Event) Set() {
	if e.value {
		return
	}
	e.value = true
	for _, f := range e.waiters {
		if !f.Done() {
			loop.SetResults(f, []any{true})
		}
	}
}

// Clear unsets the flag.
func (e *Event) Clear() { e.value = false }

// Wait returns a coroutine that, awaited, waits until the flag is set
// (one result: true).
func (e *Event) Wait() *Coroutine {
	rt := e.rt
	return loop.NewLibCoroutine(rt.Runtime, "Wait", func() []any {
		if e.value {
			return []any{true}
		}
		t := rt.CurrentTask()
		fut := loop.LoopOf(t).CreateFuture()
		loop.SetWaitKind(fut, timeline.OnEvent)
		e.waiters = append(e.waiters, fut)
		defer func() { e.waiters = removeFuture(e.waiters, fut) }()
		loop.AwaitFuture(rt.Runtime, t, fut)
		return []any{true}
	})
}

// Semaphore is asyncio.Semaphore: a counter of free slots, granted in
// FIFO order.
type Semaphore struct {
	rt      *Runtime
	value   int
	waiters []*Future
}

// NewSemaphore returns a semaphore with value free slots; it panics
// *ValueError if value is negative.
func (rt *Runtime) NewSemaphore(value int) *Semaphore {
	if value < 0 {
		panic(&ValueError{Msg: "Semaphore initial value must be >= 0"})
	}
	return &Semaphore{rt: rt, value: value}
}

// Locked reports whether Acquire would have to wait.
func (s *Semaphore) Locked() bool {
	if s.value == 0 {
		return true
	}
	for _, w := range s.waiters {
		if !w.Cancelled() {
			return true
		}
	}
	return false
}

// Acquire returns a coroutine that, awaited, takes a slot, waiting for
// one if none is free (one result: true).
func (s *Semaphore) Acquire() *Coroutine {
	rt := s.rt
	return loop.NewLibCoroutine(rt.Runtime, "Acquire", func() []any {
		if !s.Locked() {
			s.value--
			return []any{true}
		}
		t := rt.CurrentTask()
		fut := loop.LoopOf(t).CreateFuture()
		loop.SetWaitKind(fut, timeline.OnSemaphore)
		s.waiters = append(s.waiters, fut)
		func() {
			defer func() {
				s.waiters = removeFuture(s.waiters, fut)
				p := recover()
				if p != nil {
					if _, ok := loop.IsCancel(loop.UnwrapPanic(p)); ok && fut.Done() && !fut.Cancelled() {
						s.value++
					}
				}
				for s.value > 0 && s.wakeNext() {
				}
				if p != nil {
					panic(p)
				}
			}()
			loop.AwaitFuture(rt.Runtime, t, fut)
		}()
		return []any{true}
	})
}

// Release frees a slot and wakes the first waiter.
func (s *Semaphore) Release() {
	s.value++
	s.wakeNext()
}

func (s *Semaphore) wakeNext() bool {
	for _, f := range s.waiters {
		if !f.Done() {
			s.value--
			loop.SetResults(f, []any{true})
			return true
		}
	}
	return false
}

// BoundedSemaphore is a Semaphore whose Release panics *ValueError when
// it would raise the value above the initial one.
type BoundedSemaphore struct {
	Semaphore
	bound int
}

// NewBoundedSemaphore returns a bounded semaphore with value free slots.
func (rt *Runtime) NewBoundedSemaphore(value int) *BoundedSemaphore {
	return &BoundedSemaphore{Semaphore: *rt.NewSemaphore(value), bound: value}
}

// Release frees a slot; it panics *ValueError if released too many times.
func (b *BoundedSemaphore) Release() {
	if b.value >= b.bound {
		panic(&ValueError{Msg: "BoundedSemaphore released too many times"})
	}
	b.Semaphore.Release()
}
