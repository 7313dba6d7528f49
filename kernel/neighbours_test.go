package kernel

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// What one client, or a local process with no key, can do to the
// others: none of it may stop their output, their heartbeat or the
// kernel.

// rawPeer connects to a kernel socket as a ZMTP 3.0 peer of socketType,
// with package net, and does the NULL handshake. What it sends and reads
// next is up to the test.
func rawPeer(t *testing.T, port int, socketType string) *net.TCPConn {
	t.Helper()
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ready := append([]byte("\x05READY\x0bSocket-Type"), binary.BigEndian.AppendUint32(nil, uint32(len(socketType)))...)
	if _, err := c.Write(hello(append(ready, socketType...))); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	theirs := make([]byte, 64+2)
	if _, err := io.ReadFull(c, theirs); err != nil {
		t.Fatalf("no greeting: %v", err)
	}
	if _, err := io.ReadFull(c, make([]byte, theirs[65])); err != nil { // their READY's body
		t.Fatalf("no READY: %v", err)
	}
	_ = c.SetReadDeadline(time.Time{})
	return c.(*net.TCPConn)
}

// hello is what a ZMTP 3.0 peer sends first: its greeting (NULL
// mechanism) and a READY command with body ready (under 256 bytes).
func hello(ready []byte) []byte {
	b := make([]byte, 64)
	b[0], b[9], b[10] = 0xff, 0x7f, 3
	copy(b[12:], "NULL")
	b = append(b, 0x04, byte(len(ready)))
	return append(b, ready...)
}

// TestAStalledSubscriberDoesNotHoldUpTheOthers: a process that
// subscribes to iopub and then reads nothing (no key needed) must not
// stop the output of the others: a 200,000-line cell completes, and a
// client that reads gets every line and the idle.
func TestAStalledSubscriberDoesNotHoldUpTheOthers(t *testing.T) {
	h := startKernel(t)
	stalled := rawPeer(t, h.k.Connection().IOPubPort, "SUB")
	if err := stalled.SetReadBuffer(4096); err != nil {
		t.Fatal(err)
	}
	if _, err := stalled.Write([]byte{0, 1, 1}); err != nil { // subscribe to everything
		t.Fatal(err)
	}
	// Once it has received something, it is subscribed; from now on it
	// reads nothing.
	got := make(chan error, 1)
	go func() { _, err := stalled.Read(make([]byte, 1)); got <- err }()
	for subscribed := false; !subscribed; {
		h.c.request(h.c.shell, "kernel_info_request", map[string]any{})
		select {
		case err := <-got:
			if err != nil {
				t.Fatal(err)
			}
			subscribed = true
		case <-time.After(100 * time.Millisecond):
		}
	}

	const lines = 200_000
	cell := h.c.send(h.c.shell, "execute_request", map[string]any{"code": fmt.Sprintf("wide:%d", lines)})
	reply := h.c.recv(h.c.shell, 2*time.Minute)
	mustEqual(t, "status", content(t, reply)["status"], "ok")
	var out, errOut strings.Builder
	for _, m := range h.c.iopubUntilIdle(cell.MsgID, 2*time.Minute) {
		if m.Header.MsgType == "stream" {
			c := content(t, m)
			if c["name"] == "stdout" {
				out.WriteString(c["text"].(string))
			} else {
				errOut.WriteString(c["text"].(string))
			}
		}
	}
	var want strings.Builder
	for i := range lines {
		want.WriteString(wideLine(i))
	}
	if out.String() != want.String() {
		t.Errorf("the reading client got %d bytes of stdout, want %d", out.Len(), want.Len())
	}
	if errOut.Len() > 0 {
		t.Errorf("stderr: %.200q", errOut.String())
	}
}

// TestAStalledHeartbeatPeerDoesNotStopTheHeartbeat: a process that sends
// heartbeat pings and never reads the echoes (no key needed) must not
// make the kernel look dead to the others.
func TestAStalledHeartbeatPeerDoesNotStopTheHeartbeat(t *testing.T) {
	h := startKernel(t)
	port := h.k.Connection().HBPort
	flooder := rawPeer(t, port, "REQ")
	if err := flooder.SetReadBuffer(4096); err != nil {
		t.Fatal(err)
	}
	// Pings as a REQ sends them (an empty delimiter, then the payload),
	// of 64 KiB, so that the echoes fill the kernel's socket buffers
	// quickly, until the kernel takes no more: its echoes to this peer
	// wait.
	ping := append([]byte{1, 0, 2}, binary.BigEndian.AppendUint64(nil, 64<<10)...)
	ping = append(ping, make([]byte, 64<<10)...)
	for {
		_ = flooder.SetWriteDeadline(time.Now().Add(time.Second))
		if _, err := flooder.Write(ping); err != nil {
			break // a timeout, or the kernel gave up on this peer
		}
	}

	req := zmq4.NewReq(t.Context())
	defer req.Close()
	if err := req.Dial(fmt.Sprintf("tcp://127.0.0.1:%d", port)); err != nil {
		t.Fatal(err)
	}
	if err := req.Send(zmq4.NewMsgString("alive?")); err != nil {
		t.Fatal(err)
	}
	echo := make(chan zmq4.Msg, 1)
	go func() {
		if m, err := req.Recv(); err == nil {
			echo <- m
		}
	}()
	select {
	case m := <-echo:
		mustEqual(t, "echo", string(m.Frames[0]), "alive?")
	case <-time.After(5 * time.Second):
		t.Fatal("no heartbeat echo while another peer stalls its connection")
	}
}

// TestPeersCannotTogetherAnnounceMoreThanTheCap: three processes (no key
// needed) each announce a 120 MiB frame on shell, under the cap for one
// message; together they are over the cap for all incoming messages, so
// one of them is disconnected, and the kernel goes on answering.
func TestPeersCannotTogetherAnnounceMoreThanTheCap(t *testing.T) {
	h := startKernel(t)
	announce := binary.BigEndian.AppendUint64([]byte{0x02}, 120<<20) // a long frame, the last of its message
	ended := make(chan int, 3)
	for i := range 3 {
		p := rawPeer(t, h.k.Connection().ShellPort, "DEALER")
		if _, err := p.Write(announce); err != nil {
			t.Fatal(err)
		}
		go func() {
			if _, err := io.Copy(io.Discard, p); err == nil { // the end
				ended <- i
			}
		}()
	}
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("three peers holding 360 MiB of announced frames were all kept")
	}
	reply, _ := h.c.request(h.c.shell, "kernel_info_request", map[string]any{})
	mustEqual(t, "kernel_info status", content(t, reply)["status"], "ok")
}

// TestAMalformedHandshakeDoesNotKillTheKernel: a READY command whose
// metadata is cut short (no key needed) made zmq4 panic, and the
// kernel with it.
func TestAMalformedHandshakeDoesNotKillTheKernel(t *testing.T) {
	h := startKernel(t)
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", h.k.Connection().ShellPort))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(hello([]byte("\x05READY\x0bSocket-Type"))); err != nil { // and no value
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.Copy(io.Discard, c); err != nil {
		t.Fatalf("the peer was not disconnected: %v", err)
	}
	reply, _ := h.c.request(h.c.shell, "kernel_info_request", map[string]any{})
	mustEqual(t, "kernel_info status", content(t, reply)["status"], "ok")
}
