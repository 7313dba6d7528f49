package zmqtransport

import (
	"bytes"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// listenPub starts a Pub on a free TCP port for a test.
func listenPub(t *testing.T, stall time.Duration) *Pub {
	t.Helper()
	pub, err := ListenPub("tcp://127.0.0.1:0", Options{Name: "iopub", MaxMessage: maxWireMessageSize, Stall: stall})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pub.Close() })
	return pub
}

// TestPubSubscriberThatReadsNothingLosesOnlyItsOwnMessages: one
// subscriber reads nothing; another, behind the gate as the kernel's
// cell output is, gets every message in order, and the pub never waits
// for the first once it has stalled.
func TestPubSubscriberThatReadsNothingLosesOnlyItsOwnMessages(t *testing.T) {
	pub := listenPub(t, time.Second)
	stalled := dialZMTP(t, "tcp", pub.Addr().String(), "SUB")
	if err := stalled.(*net.TCPConn).SetReadBuffer(4096); err != nil {
		t.Fatal(err)
	}
	if _, err := stalled.Write([]byte{0, 1, 1}); err != nil { // subscribe to everything
		t.Fatal(err)
	}
	got := subscribeReader(t, pub, 64)
	// Both are subscribed once both have received a message; from then
	// on the first reads nothing.
	firstByte := make(chan error, 1)
	go func() { _, err := stalled.Read(make([]byte, 1)); firstByte <- err }()
	for stalledIn, readerIn := false, false; !stalledIn || !readerIn; {
		pub.Send([][]byte{[]byte("hello"), []byte("hello")})
		select {
		case err := <-firstByte:
			if err != nil {
				t.Fatal(err)
			}
			stalledIn = true
		case <-got:
			readerIn = true
		case <-time.After(50 * time.Millisecond):
		}
	}

	const n = 3000 // of 16 KiB: 48 MiB, more than the stalled subscriber's queue and socket buffers
	gate := pub.Gate(time.Minute, make(chan struct{}))
	sent := make(chan error, 1)
	go func() {
		payload := bytes.Repeat([]byte("p"), 16<<10)
		for i := range n {
			if !gate.Admit() {
				sent <- fmt.Errorf("message %d dropped at the gate", i)
				return
			}
			pub.Send([][]byte{[]byte("topic"), fmt.Appendf(nil, "%08d", i), payload})
		}
		sent <- nil
	}()
	sending := sent
	for i := 0; i < n; {
		select {
		case m, ok := <-got:
			if !ok {
				t.Fatal("the reading subscriber was disconnected")
			}
			if string(m) == "hello" {
				continue
			}
			if want := fmt.Sprintf("%08d", i); string(m) != want {
				t.Fatalf("reading subscriber got message %s, want %s", m, want)
			}
			i++
		case err := <-sending:
			if err != nil {
				t.Fatal(err)
			}
			sending = nil
		case <-time.After(time.Minute):
			t.Fatalf("the reading subscriber got %d of %d messages", i, n)
		}
	}
	if sending != nil {
		if err := <-sending; err != nil {
			t.Fatal(err)
		}
	}
}

// TestPubSubscriptions: subscriptions as ZMTP 3.0 messages and as ZMTP
// 3.1 commands select what a subscriber gets, by topic prefix; a PING
// gets its PONG.
func TestPubSubscriptions(t *testing.T) {
	pub := listenPub(t, 0)
	c := dialZMTP(t, "tcp", pub.Addr().String(), "SUB")
	in := newFrameReader(c)
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	// ping sends a PING with context ctx after what and waits for its
	// PONG: what came before it has been applied.
	ping := func(what []byte, ctx string) {
		t.Helper()
		if _, err := c.Write(appendCommand(what, cmdPing, append([]byte{0, 0}, ctx...))); err != nil {
			t.Fatal(err)
		}
		frames, command, err := in.next()
		if err != nil || !command || string(frames[0]) != "\x04PONG"+ctx {
			t.Fatalf("PING %s: got %q (command %t), %v", ctx, frames, command, err)
		}
	}
	next := func() string {
		t.Helper()
		frames, _, err := in.next()
		if err != nil {
			t.Fatal(err)
		}
		return string(frames[0])
	}
	send := func(topics ...string) {
		for _, topic := range topics {
			pub.Send([][]byte{[]byte(topic), []byte("body")})
		}
	}

	subscribe := appendFrame(nil, 0, []byte("\x01ap"))              // ZMTP 3.0
	subscribe = appendCommand(subscribe, cmdSubscribe, []byte("b")) // ZMTP 3.1
	ping(subscribe, "1")
	send("cherry", "apple", "banana", "avocado")
	for _, want := range []string{"apple", "banana"} {
		if got := next(); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	ping(appendCommand(appendFrame(nil, 0, []byte("\x00ap")), cmdCancel, []byte("z")), "2")
	send("apple", "blueberry")
	if got := next(); got != "blueberry" {
		t.Fatalf("after unsubscribing from \"ap\": got %q, want \"blueberry\"", got)
	}
}

// TestPubWelcomesANewSubscription: a subscriber gets the Welcome message
// of each topic it subscribes to, before anything published after, and
// only once per topic; other subscribers do not get it.
func TestPubWelcomesANewSubscription(t *testing.T) {
	pub, err := ListenPub("tcp://127.0.0.1:0", Options{
		Name: "iopub", MaxMessage: maxWireMessageSize,
		Welcome: func(topic []byte) [][]byte { return [][]byte{topic, []byte("welcome " + string(topic))} },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	dial := func() (net.Conn, *frameReader) {
		c := dialZMTP(t, "tcp", pub.Addr().String(), "SUB")
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		return c, newFrameReader(c)
	}
	next := func(in *frameReader) string {
		t.Helper()
		frames, _, err := in.next()
		if err != nil {
			t.Fatal(err)
		}
		return string(frames[len(frames)-1])
	}
	first, firstIn := dial()
	if _, err := first.Write(appendFrame(nil, 0, []byte("\x01"))); err != nil { // everything
		t.Fatal(err)
	}
	if got := next(firstIn); got != "welcome " {
		t.Fatalf("first message: %q, want the welcome of topic \"\"", got)
	}
	// Again "", then "k": one more welcome, for "k".
	again := appendCommand(appendFrame(nil, 0, []byte("\x01")), cmdSubscribe, []byte("k"))
	if _, err := first.Write(again); err != nil {
		t.Fatal(err)
	}
	if got := next(firstIn); got != "welcome k" {
		t.Fatalf("after subscribing to \"k\": %q, want its welcome", got)
	}
	second, secondIn := dial()
	if _, err := second.Write(appendFrame(nil, 0, []byte("\x01"))); err != nil {
		t.Fatal(err)
	}
	if got := next(secondIn); got != "welcome " {
		t.Fatalf("second subscriber's first message: %q", got)
	}
	pub.Send([][]byte{[]byte("kernel.x.status"), []byte("status")})
	if got := next(firstIn); got != "status" {
		t.Fatalf("first subscriber got %q after the second subscribed, want only the published message", got)
	}
	if got := next(secondIn); got != "status" {
		t.Fatalf("second subscriber got %q, want the published message", got)
	}
}

// TestPubSendsAMessageLargerThanTheQueueBound: the byte bound of a
// subscriber's queue drops messages for one that reads nothing, never a
// large message (a huge execute_result) or what follows it (its idle) for
// one that reads.
func TestPubSendsAMessageLargerThanTheQueueBound(t *testing.T) {
	pub := listenPub(t, time.Second)
	got := subscribeReader(t, pub, 16)
	// Subscribed once a small message arrives.
	for subscribed := false; !subscribed; {
		pub.Send([][]byte{[]byte("hello"), []byte("hello")})
		select {
		case <-got:
			subscribed = true
		case <-time.After(50 * time.Millisecond):
		}
	}
	for len(got) > 0 {
		<-got
	}
	big := bytes.Repeat([]byte("<"), subscriberMaxQueuedBytes+1<<20)
	for range 3 {
		pub.Send([][]byte{[]byte("topic"), []byte("before")})
	}
	pub.Send([][]byte{[]byte("topic"), big})
	pub.Send([][]byte{[]byte("topic"), []byte("after")})
	sawBig := false
	for {
		m, ok := <-got
		if !ok {
			t.Fatal("the subscriber was disconnected instead of getting the large message")
		}
		switch {
		case string(m) == "hello", string(m) == "before":
		case string(m) == "after":
			if !sawBig {
				t.Fatal("the message larger than the queue bound was dropped")
			}
			return
		case bytes.Equal(m, big):
			sawBig = true
		default:
			t.Fatalf("got an unexpected message of %d bytes", len(m))
		}
	}
}

// subscribeReader connects a zmq4 SUB socket to pub, subscribed to
// everything, and returns the second frames of what it receives (closed
// when the socket fails), buffered by size.
func subscribeReader(t *testing.T, pub *Pub, size int) <-chan []byte {
	t.Helper()
	reader := zmq4.NewSub(t.Context())
	t.Cleanup(func() { reader.Close() })
	if err := reader.Dial("tcp://" + pub.Addr().String()); err != nil {
		t.Fatal(err)
	}
	if err := reader.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, size)
	go func() {
		for {
			m, err := reader.Recv()
			if err != nil {
				close(got)
				return
			}
			got <- m.Frames[1]
		}
	}()
	return got
}
