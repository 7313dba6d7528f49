package kernel

import (
	"context"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// TestIOPubQueueProbe: the reflection that reads zmq4's PUB queue works
// on the pinned zmq4, and counts what a subscriber has not read.
func TestIOPubQueueProbe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pub := zmq4.NewPub(ctx)
	defer pub.Close()
	queued, err := pubQueueLen(pub)
	if err != nil {
		t.Fatal(err)
	}
	if n := queued(); n != 0 {
		t.Fatalf("new socket queues %d messages", n)
	}
	stopping := make(chan struct{})
	g := &iopubGate{queued: queued, stall: 200 * time.Millisecond, stopping: stopping}
	if !g.admit() {
		t.Fatal("an empty queue does not admit")
	}
}

// TestIOPubGateDropsAfterStallAndRecovers: with a full queue, admit waits
// for the stall time and then drops; once the queue drains to half, it
// admits again; during shutdown it never waits.
func TestIOPubGateDropsAfterStallAndRecovers(t *testing.T) {
	n := iopubMaxQueued
	stopping := make(chan struct{})
	g := &iopubGate{queued: func() int { return n }, stall: 100 * time.Millisecond, stopping: stopping}
	start := time.Now()
	if g.admit() {
		t.Fatal("a full queue admitted")
	}
	if took := time.Since(start); took < 100*time.Millisecond || took > time.Second {
		t.Fatalf("stall detected after %v", took)
	}
	start = time.Now()
	if g.admit() || time.Since(start) > 50*time.Millisecond {
		t.Fatal("after a stall, output must be dropped at once until the queue drains")
	}
	n = iopubMaxQueued/2 + 1
	if g.admit() {
		t.Fatal("admitted before the queue drained to half")
	}
	n = iopubMaxQueued / 2
	if !g.admit() {
		t.Fatal("a drained queue does not admit")
	}
	n = iopubMaxQueued
	close(stopping)
	start = time.Now()
	if !g.admit() || time.Since(start) > 50*time.Millisecond {
		t.Fatal("shutdown waits for the queue")
	}
}
