package zmqtransport

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// TestRouterSendsAMessageInOneWrite checks that a zmq4 peer receives the
// frames a Router sends, short and long, as zmq4 itself would send them —
// in one write system call.
func TestRouterSendsAMessageInOneWrite(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	router, err := ListenRouter("tcp://127.0.0.1:0", Options{Name: "shell", MaxMessage: maxWireMessageSize})
	if err != nil {
		t.Fatal(err)
	}
	defer router.Close()
	send := router.Send
	dealer := zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("client-1")))
	defer dealer.Close()
	if err := dealer.Dial("tcp://" + router.Addr().String()); err != nil {
		t.Fatal(err)
	}
	if err := dealer.Send(zmq4.NewMsgFrom([]byte("<IDS|MSG>"), []byte("hello"))); err != nil {
		t.Fatal(err)
	}
	req, err := router.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if string(req[0]) != "client-1" {
		t.Fatalf("identity %q", req[0])
	}

	long := bytes.Repeat([]byte("x"), 70_000)
	reply := [][]byte{req[0], []byte("<IDS|MSG>"), []byte("signature"), []byte(`{"msg_type":"execute_reply"}`), {}, []byte("{}"), long}
	before, counted := writeSyscalls()
	if !counted {
		t.Error("no /proc/self/io: the write system calls cannot be counted")
	}
	if ok, err := send(reply); !ok || err != nil {
		t.Fatalf("send = %v, %v", ok, err)
	}
	if after, _ := writeSyscalls(); counted && after-before != 1 {
		t.Errorf("a reply of %d frames took %d write system calls, want 1", len(reply)-1, after-before)
	}
	m := recvWithin(t, dealer, "the peer")
	if len(m.Frames) != len(reply)-1 {
		t.Fatalf("peer got %d frames, want %d", len(m.Frames), len(reply)-1)
	}
	for i, f := range m.Frames {
		if !bytes.Equal(f, reply[i+1]) {
			t.Errorf("frame %d: got %.40q, want %.40q", i, f, reply[i+1])
		}
	}

	// A second client of the same session connects with the same
	// identity (jupyter_client's KernelManager.client()): both get what
	// is sent to it, as zmq4 does.
	twin := zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("client-1")))
	defer twin.Close()
	if err := twin.Dial("tcp://" + router.Addr().String()); err != nil {
		t.Fatal(err)
	}
	if err := twin.Send(zmq4.NewMsgFrom([]byte("twin"))); err != nil {
		t.Fatal(err)
	}
	if _, err := router.Recv(); err != nil {
		t.Fatal(err)
	}
	if ok, err := send([][]byte{[]byte("client-1"), []byte("to both")}); !ok || err != nil {
		t.Fatalf("send to two peers = %v, %v", ok, err)
	}
	for name, d := range map[string]zmq4.Socket{"first": dealer, "twin": twin} {
		if m := recvWithin(t, d, "the "+name+" peer"); len(m.Frames) != 1 || string(m.Frames[0]) != "to both" {
			t.Errorf("%s peer got %q", name, m.Frames)
		}
	}

	if ok, err := send([][]byte{[]byte("nobody"), []byte("x")}); ok || err != nil {
		t.Errorf("send to an unknown peer = %v, %v; want false, nil (dropped, as zmq4 does)", ok, err)
	}
}

// recvWithin returns the next message of sock, failing the test (as who)
// if none comes within 5 s.
func recvWithin(t *testing.T, sock zmq4.Socket, who string) zmq4.Msg {
	t.Helper()
	got := make(chan zmq4.Msg, 1)
	go func() {
		m, err := sock.Recv()
		if err != nil {
			t.Error(err)
		}
		got <- m
	}()
	select {
	case m := <-got:
		return m
	case <-time.After(5 * time.Second):
		t.Fatalf("%s received nothing", who)
		return zmq4.Msg{}
	}
}
