package kernel

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/go-zeromq/zmq4"
)

// Back-pressure on iopub.
//
// zmq4's PUB socket (v0.17.0) queues every message without limit and one
// goroutine writes the queue to the subscribers' TCP connections. A front
// end that reads slowly (or not at all) therefore made a cell that prints
// 1 GB cost the kernel about 1 GB of memory. Cell output (streams, display
// data, clear_output) now waits before it enters that queue while the
// queue holds iopubMaxQueued messages or more, so the cell slows down to
// the speed of the front end: the capture pipes fill, and the cell's
// writes block. Status and reply-side messages are few and small and
// are never held back, so a stalled front end cannot stop shutdown or
// interrupt.
//
// A front end that reads nothing for iopubStall (a stopped process, a
// client that subscribed and went away without closing) would hold the
// cell forever; then output is dropped, counted per cell, until the queue
// has drained to half the limit, and the cell's output says how much was
// dropped ("... output truncated: N bytes dropped ..."), on stderr,
// before its next output or at its end.
const (
	// iopubMaxQueued bounds the messages waiting in zmq4's queue. A
	// stream message holds at most ~96 KiB of text (streamFlushSize plus
	// one 32 KiB pipe read), so the queue holds a few MiB at most.
	iopubMaxQueued = 32
	// iopubStallDefault is how long output waits for a front end that
	// reads nothing before it is dropped. GOAWAIT_IOPUB_STALL (a Go
	// duration) overrides it.
	iopubStallDefault = 10 * time.Second
)

// iopubGate holds cell output back while zmq4's PUB queue is full.
type iopubGate struct {
	queued   func() int // messages in zmq4's queue; nil: no back-pressure
	stall    time.Duration
	stopping <-chan struct{}
	dropping atomic.Bool // a stall happened and the queue has not drained yet
}

func newIOPubGate(sock zmq4.Socket, stopping <-chan struct{}) (*iopubGate, error) {
	g := &iopubGate{stall: iopubStallDefault, stopping: stopping}
	if s := os.Getenv("GOAWAIT_IOPUB_STALL"); s != "" {
		if d, err := time.ParseDuration(s); err == nil && d > 0 {
			g.stall = d
		}
	}
	q, err := pubQueueLen(sock)
	g.queued = q
	return g, err
}

// admit waits until there is room in the queue for one more message of
// cell output. It returns false if the message must be dropped because
// the front end stopped reading. During shutdown it never waits.
func (g *iopubGate) admit() bool {
	if g.queued == nil {
		return true
	}
	if g.dropping.Load() {
		if g.queued() > iopubMaxQueued/2 {
			return false
		}
		g.dropping.Store(false)
	}
	if g.queued() < iopubMaxQueued {
		return true
	}
	deadline := time.Now().Add(g.stall)
	pause := 100 * time.Microsecond
	for g.queued() >= iopubMaxQueued {
		select {
		case <-g.stopping:
			return true
		default:
		}
		if time.Now().After(deadline) {
			g.dropping.Store(true)
			return false
		}
		time.Sleep(pause)
		pause = min(2*pause, 5*time.Millisecond)
	}
	return true
}

// truncationNote is the line a cell's output gets in place of what was
// dropped.
func truncationNote(dropped int, stall time.Duration) string {
	return fmt.Sprintf("\n… output truncated: %d bytes dropped (the front end read no output for %s) …\n", dropped, stall)
}

// pubQueueLen returns a function that reports how many messages a zmq4
// v0.17.0 PUB socket has queued and not yet written. zmq4 has no API for
// it: the queue (pubSocket.sck.w.q, guarded by w.qmu) is reached by
// reflection. If zmq4's insides change, this returns an error and the
// kernel runs without back-pressure (TestIOPubQueueProbe fails first).
func pubQueueLen(sock zmq4.Socket) (func() int, error) {
	fail := func(what string) (func() int, error) {
		return nil, fmt.Errorf("zmq4 PUB queue not found (%s): iopub has no back-pressure", what)
	}
	pw, err := socketWriter(sock, "pubSocket", "pubMWriter")
	if err != nil {
		return fail(err.Error())
	}
	mu := pw.Elem().FieldByName("qmu")
	q := pw.Elem().FieldByName("q")
	if !mu.IsValid() || mu.Type() != reflect.TypeFor[sync.Mutex]() ||
		!q.IsValid() || q.Type() != reflect.TypeFor[*zmq4.Queue]() {
		return fail("qmu, q")
	}
	lock := (*sync.Mutex)(unsafe.Pointer(mu.UnsafeAddr()))
	queue := (**zmq4.Queue)(unsafe.Pointer(q.UnsafeAddr()))
	return func() int {
		lock.Lock()
		defer lock.Unlock()
		return (*queue).Len()
	}, nil
}

// socketWriter returns the writer struct of a zmq4 v0.17.0 socket
// (socketType.sck.w, of type writerType), whose unexported fields the
// kernel reads: zmq4 has no API for what it needs from them. The error
// names the step that did not match zmq4's insides.
func socketWriter(sock zmq4.Socket, socketType, writerType string) (reflect.Value, error) {
	v := reflect.ValueOf(sock)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct || v.Elem().Type().Name() != socketType {
		return reflect.Value{}, errors.New("socket")
	}
	sck := exposed(v.Elem().FieldByName("sck"))
	if !sck.IsValid() || sck.Kind() != reflect.Pointer || sck.IsNil() {
		return reflect.Value{}, errors.New("sck")
	}
	w := exposed(sck.Elem().FieldByName("w"))
	if !w.IsValid() || w.Kind() != reflect.Interface || w.IsNil() {
		return reflect.Value{}, errors.New("w")
	}
	pw := w.Elem()
	if pw.Kind() != reflect.Pointer || pw.Elem().Kind() != reflect.Struct || pw.Elem().Type().Name() != writerType {
		return reflect.Value{}, errors.New("writer")
	}
	return pw, nil
}

// exposed makes an unexported (but addressable) field readable.
func exposed(f reflect.Value) reflect.Value {
	if !f.IsValid() || !f.CanAddr() {
		return reflect.Value{}
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}
