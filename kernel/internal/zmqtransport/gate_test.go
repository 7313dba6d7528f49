package zmqtransport

import (
	"testing"
	"time"
)

// TestIOPubQueueProbe: a new Pub has nothing queued, and a gate on it
// admits.
func TestIOPubQueueProbe(t *testing.T) {
	pub, err := ListenPub("tcp://127.0.0.1:0", Options{Name: "iopub", MaxMessage: maxWireMessageSize, Stall: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	if n := pub.Backlog(); n != 0 {
		t.Fatalf("new socket queues %d messages", n)
	}
	stopping := make(chan struct{})
	g := pub.Gate(200*time.Millisecond, stopping)
	if !g.Admit() {
		t.Fatal("an empty queue does not admit")
	}
}

// TestIOPubGateDropsAfterStallAndRecovers: with a full queue, admit waits
// for the stall time and then drops; once the queue drains to half, it
// admits again; during shutdown it never waits.
func TestIOPubGateDropsAfterStallAndRecovers(t *testing.T) {
	n := gateMaxQueued
	stopping := make(chan struct{})
	g := &Gate{queued: func() int { return n }, stall: 100 * time.Millisecond, stopping: stopping}
	start := time.Now()
	if g.Admit() {
		t.Fatal("a full queue admitted")
	}
	if took := time.Since(start); took < 100*time.Millisecond || took > time.Second {
		t.Fatalf("stall detected after %v", took)
	}
	start = time.Now()
	if g.Admit() || time.Since(start) > 50*time.Millisecond {
		t.Fatal("after a stall, output must be dropped at once until the queue drains")
	}
	n = gateMaxQueued/2 + 1
	if g.Admit() {
		t.Fatal("admitted before the queue drained to half")
	}
	n = gateMaxQueued / 2
	if !g.Admit() {
		t.Fatal("a drained queue does not admit")
	}
	n = gateMaxQueued
	close(stopping)
	start = time.Now()
	if !g.Admit() || time.Since(start) > 50*time.Millisecond {
		t.Fatal("shutdown waits for the queue")
	}
}
