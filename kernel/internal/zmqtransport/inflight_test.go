package zmqtransport

import (
	"bytes"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// waitUntil waits until cond holds, failing the test (about what) if it
// does not within 10 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestInFlightRefusesAPeerOverTheSharedCap: what peers announce is held
// in the budget until their message has arrived or they leave; a peer
// whose announcement does not fit is disconnected and logged, and the
// others are served.
func TestInFlightRefusesAPeerOverTheSharedCap(t *testing.T) {
	var logged syncBuffer
	budget := NewInFlight(1500)
	r, err := ListenRouter("tcp://127.0.0.1:0", Options{Name: "shell", Log: slog.New(slog.NewTextHandler(&logged, nil)), MaxMessage: 1000, InFlight: budget})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	addr := r.Addr().String()
	announce := new(zmtpStream).header(0, 800, false).Bytes()

	holder := dialZMTP(t, "tcp", addr, "DEALER")
	if _, err := holder.Write(announce); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the first announcement to be held", func() bool { return budget.inUse() == 800 })
	refused := dialZMTP(t, "tcp", addr, "DEALER")
	if _, err := refused.Write(announce); err != nil {
		t.Fatal(err)
	}
	_ = refused.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.Copy(io.Discard, refused); err != nil {
		t.Fatalf("the peer over the shared cap was not disconnected: %v", err)
	}
	text := logged.waitFor(t, "socket=shell")
	for _, want := range []string{"level=WARN", "announced a frame of 800 bytes while peers had 800 bytes in flight, over the cap of 1500 bytes for all incoming messages"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q not in the log:\n%s", want, text)
		}
	}

	// Others are served: a message that fits, from a zmq4 client.
	dealer := zmq4.NewDealer(t.Context(), zmq4.WithID(zmq4.SocketIdentity("other")))
	defer dealer.Close()
	if err := dealer.Dial("tcp://" + addr); err != nil {
		t.Fatal(err)
	}
	if err := dealer.Send(zmq4.NewMsgString("small")); err != nil {
		t.Fatal(err)
	}
	if m, err := r.Recv(); err != nil || string(m[0]) != "other" || string(m[1]) != "small" {
		t.Fatalf("Recv = %q, %v", m, err)
	}

	// The holder leaves: its reservation is given back, and a message
	// of the same size now arrives whole and holds nothing once it has.
	holder.Close()
	waitUntil(t, "the reservation to be given back", func() bool { return budget.inUse() == 0 })
	late := dialZMTP(t, "tcp", addr, "DEALER")
	body := bytes.Repeat([]byte("b"), 800)
	if _, err := late.Write(append(announce, body...)); err != nil {
		t.Fatal(err)
	}
	if m, err := r.Recv(); err != nil || !bytes.Equal(m[1], body) {
		t.Fatalf("Recv = %d frames, %v", len(m), err)
	}
	if n := budget.inUse(); n != 0 {
		t.Errorf("%d bytes held after the message arrived", n)
	}
}

// TestInFlightGivesMemoryBackWhenAPeerLeavesMidMessage: a peer that sent
// most of a large frame and left makes the budget return memory to the
// system.
func TestInFlightGivesMemoryBackWhenAPeerLeavesMidMessage(t *testing.T) {
	freed := make(chan struct{}, 1)
	budget := NewInFlight(64 << 20)
	budget.free = func() { freed <- struct{}{} }
	r, err := ListenRouter("tcp://127.0.0.1:0", Options{Name: "shell", MaxMessage: 32 << 20, InFlight: budget})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p := dialZMTP(t, "tcp", r.Addr().String(), "DEALER")
	if _, err := p.Write(new(zmtpStream).header(0, 20<<20, true).Bytes()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Write(make([]byte, GiveBackAtLeast+1)); err != nil {
		t.Fatal(err)
	}
	p.Close()
	select {
	case <-freed:
	case <-time.After(10 * time.Second):
		t.Fatal("no memory given back after a peer left in the middle of a large frame")
	}
	waitUntil(t, "the reservation to be given back", func() bool { return budget.inUse() == 0 })
}

// TestInFlightGiveBackCoalesces: calls that come while memory is being
// given back make it run once more, not once each; a small abandoned
// message gives nothing back.
func TestInFlightGiveBackCoalesces(t *testing.T) {
	budget := NewInFlight(1 << 30)
	var calls atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	budget.free = func() {
		calls.Add(1)
		started <- struct{}{}
		<-release
	}
	budget.abandon(1000, 999)
	budget.returning.Lock()
	running := budget.running
	budget.returning.Unlock()
	if running {
		t.Fatal("memory given back for a small message")
	}
	budget.abandon(GiveBackAtLeast, GiveBackAtLeast)
	<-started
	budget.GiveBack()
	budget.GiveBack()
	release <- struct{}{}
	<-started // once more
	release <- struct{}{}
	waitUntil(t, "giving back to end", func() bool {
		budget.returning.Lock()
		defer budget.returning.Unlock()
		return !budget.running
	})
	if n := calls.Load(); n != 2 {
		t.Errorf("free ran %d times, want 2", n)
	}
}
