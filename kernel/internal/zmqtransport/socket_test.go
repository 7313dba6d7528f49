package zmqtransport

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// kernelSockets are the three kinds of socket, listening as a kernel's
// do (on tcp or ipc), logging to log.
type kernelSockets struct {
	shell *Router
	iopub *Pub
	hb    *Heartbeat
}

func listenKernelSockets(t *testing.T, transport string, log *slog.Logger) *kernelSockets {
	t.Helper()
	dir := t.TempDir()
	endpoint := func(name string) string {
		if transport == "ipc" {
			return "ipc://" + filepath.Join(dir, name)
		}
		return "tcp://127.0.0.1:0"
	}
	opts := func(name string) Options { return Options{Name: name, Log: log, MaxMessage: maxWireMessageSize} }
	var s kernelSockets
	var err error
	if s.shell, err = ListenRouter(endpoint("shell"), opts("shell")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.shell.Close() })
	if s.iopub, err = ListenPub(endpoint("iopub"), opts("iopub")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.iopub.Close() })
	if s.hb, err = ListenHeartbeat(endpoint("hb"), opts("heartbeat")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.hb.Close() })
	return &s
}

// netAddr returns the network and address to dial a socket's listener
// with package net, and its ZeroMQ endpoint.
func netAddr(a net.Addr) (network, addr, endpoint string) {
	if a.Network() == "unix" {
		return "unix", a.String(), "ipc://" + a.String()
	}
	return "tcp", a.String(), "tcp://" + a.String()
}

// dialZMTP connects to addr as a ZMTP peer of socketType, with package
// net, and does the NULL handshake: it sends its greeting and READY and
// reads the socket's. The connection is closed when the test ends.
func dialZMTP(t *testing.T, network, addr, socketType string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout(network, addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(newZMTPStream().ready(socketType).Bytes()); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, make([]byte, zmtpGreetingLen)); err != nil {
		t.Fatalf("no greeting: %v", err)
	}
	ready, command, err := newFrameReader(c).next()
	if err != nil || !command || !bytes.HasPrefix(ready[0], []byte("\x05READY")) {
		t.Fatalf("no READY: %q, %v", ready, err)
	}
	_ = c.SetDeadline(time.Time{})
	return c
}

// attack connects to addr as a ZMTP peer of socketType without any key,
// completes the handshake and announces a 2**50-byte frame. It returns
// once the kernel has closed the connection.
func attack(t *testing.T, network, addr, socketType string) {
	t.Helper()
	c := dialZMTP(t, network, addr, socketType)
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(new(zmtpStream).header(0, 1<<50, true).Bytes()); err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, c); err != nil {
		t.Fatalf("the kernel did not close the connection: %v", err)
	}
}

// TestBoundSocketsRefuseHugeFramesAndKeepServing listens as the kernel
// does (tcp and ipc), attacks the sockets, and checks that they still
// exchange messages with zmq4 clients, and that the refusals are logged.
func TestBoundSocketsRefuseHugeFramesAndKeepServing(t *testing.T) {
	for _, transport := range []string{"tcp", "ipc"} {
		t.Run(transport, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var logged syncBuffer
			s := listenKernelSockets(t, transport, slog.New(slog.NewTextHandler(&logged, nil)))

			// On the heartbeat, during the handshake on iopub, then on
			// shell.
			network, addr, _ := netAddr(s.hb.Addr())
			attack(t, network, addr, "REQ")
			network, addr, _ = netAddr(s.iopub.Addr())
			c, err := net.Dial(network, addr)
			if err != nil {
				t.Fatal(err)
			}
			hello := newZMTPStream().header(0x04, 1<<40, true)
			if _, err := c.Write(hello.Bytes()); err != nil {
				t.Fatal(err)
			}
			_ = c.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := io.Copy(io.Discard, c); err != nil {
				t.Fatalf("iopub did not close the connection: %v", err)
			}
			c.Close()
			logged.waitFor(t, "socket=heartbeat")
			logged.waitFor(t, "socket=iopub")
			network, addr, _ = netAddr(s.shell.Addr())
			attack(t, network, addr, "DEALER")
			text := logged.waitFor(t, "socket=shell")
			for _, want := range []string{"level=WARN", "announced a frame of 1125899906842624 bytes", strconv.Itoa(maxWireMessageSize)} {
				if !strings.Contains(text, want) {
					t.Errorf("%q not in the log:\n%s", want, text)
				}
			}

			// Plain zmq4 clients still get through.
			dealer := zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("client")))
			defer dealer.Close()
			_, _, ep := netAddr(s.shell.Addr())
			if err := dealer.Dial(ep); err != nil {
				t.Fatal(err)
			}
			big := bytes.Repeat([]byte("z"), 1<<20)
			if err := dealer.SendMulti(zmq4.NewMsgFrom([]byte("<IDS|MSG>"), []byte("sig"), big)); err != nil {
				t.Fatal(err)
			}
			msg, err := s.shell.Recv()
			if err != nil {
				t.Fatal(err)
			}
			if len(msg) != 4 || string(msg[0]) != "client" || !bytes.Equal(msg[3], big) {
				t.Fatalf("shell received %d frames", len(msg))
			}
			if _, err := s.shell.Send([][]byte{[]byte("client"), []byte("reply")}); err != nil {
				t.Fatal(err)
			}
			back, err := dealer.Recv()
			if err != nil || string(back.Frames[0]) != "reply" {
				t.Fatalf("dealer got %v, %v", back.Frames, err)
			}

			req := zmq4.NewReq(ctx)
			defer req.Close()
			_, _, ep = netAddr(s.hb.Addr())
			if err := req.Dial(ep); err != nil {
				t.Fatal(err)
			}
			if err := req.Send(zmq4.NewMsgString("ping")); err != nil {
				t.Fatal(err)
			}
			pong, err := req.Recv()
			if err != nil || string(pong.Frames[0]) != "ping" {
				t.Fatalf("heartbeat echoed %v, %v", pong.Frames, err)
			}
		})
	}
}

func TestParseEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"tcp://127.0.0.1:5001":   "tcp 127.0.0.1:5001",
		"tcp://*:*":              "tcp :0",
		"ipc:///run/kernel-x-1":  "unix /run/kernel-x-1",
		"inproc://x":             "",
		"127.0.0.1:5001":         "",
		"tcp+capped://127.0.0.1": "",
		"tcp://127.0.0.1":        "",
		"ipc://":                 "",
	} {
		network, addr, err := parseEndpoint(in)
		got := network + " " + addr
		if err != nil {
			got = ""
		}
		if (err != nil) != (want == "") || got != want {
			t.Errorf("parseEndpoint(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// BenchmarkRouterRecv sends messages from a zmq4 DEALER to a zmq4 ROUTER
// and, for comparison, to a Router.
func BenchmarkRouterRecv(b *testing.B) {
	for _, size := range []int{1 << 10, 1 << 20} {
		for _, kind := range []string{"zmq4", "Router"} {
			b.Run(fmt.Sprintf("size=%d/%s", size, kind), func(b *testing.B) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var addr net.Addr
				var recv func() error
				if kind == "zmq4" {
					router := zmq4.NewRouter(ctx)
					defer router.Close()
					if err := router.Listen("tcp://127.0.0.1:0"); err != nil {
						b.Fatal(err)
					}
					addr = router.Addr()
					recv = func() error { _, err := router.Recv(); return err }
				} else {
					router, err := ListenRouter("tcp://127.0.0.1:0", Options{Name: "bench", MaxMessage: maxWireMessageSize})
					if err != nil {
						b.Fatal(err)
					}
					defer router.Close()
					addr = router.Addr()
					recv = func() error { _, err := router.Recv(); return err }
				}
				dealer := zmq4.NewDealer(ctx)
				defer dealer.Close()
				if err := dealer.Dial("tcp://" + addr.String()); err != nil {
					b.Fatal(err)
				}
				payload := bytes.Repeat([]byte("p"), size)
				b.SetBytes(int64(size))
				go func() {
					for ctx.Err() == nil {
						if err := dealer.SendMulti(zmq4.NewMsgFrom([]byte("<IDS|MSG>"), payload)); err != nil {
							return
						}
					}
				}()
				for b.Loop() {
					if err := recv(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func TestASilentPeerDoesNotHoldUpOthers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	router, err := ListenRouter("tcp://127.0.0.1:0", Options{Name: "shell", MaxMessage: maxWireMessageSize, Handshake: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer router.Close()
	addr := router.Addr().String()
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	// The kernel's greeting: the silent peer was accepted, and its
	// handshake waits for a greeting that never comes.
	if _, err := io.ReadFull(silent, make([]byte, zmtpGreetingLen)); err != nil {
		t.Fatal(err)
	}

	dealer := zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("late")))
	defer dealer.Close()
	if err := dealer.Dial("tcp://" + addr); err != nil {
		t.Fatal(err)
	}
	if err := dealer.Send(zmq4.NewMsgString("hello")); err != nil {
		t.Fatal(err)
	}
	got := make(chan [][]byte, 1)
	go func() {
		if m, err := router.Recv(); err == nil {
			got <- m
		}
	}()
	select {
	case m := <-got:
		if string(m[len(m)-1]) != "hello" {
			t.Fatalf("router got %q", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a peer that never sent its greeting kept a later client out")
	}
	// The silent peer was dropped.
	_ = silent.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := io.Copy(io.Discard, silent); err != nil { // the end
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Error("the silent peer's connection was not closed")
		}
	}
}

// writeSyscalls returns how many write system calls this process made
// (syscw in /proc/self/io).
func writeSyscalls() (int, bool) {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "syscw: "); ok {
			n, err := strconv.Atoi(v)
			return n, err == nil
		}
	}
	return 0, false
}

// TestAMalformedReadyDoesNotKillTheSocket: zmq4 v0.17.0 indexes past the
// end of a READY command whose metadata is cut short, and panics; a peer
// that sends one is disconnected, and the socket serves the others.
func TestAMalformedReadyDoesNotKillTheSocket(t *testing.T) {
	r, err := ListenRouter("tcp://127.0.0.1:0", Options{Name: "shell", MaxMessage: maxWireMessageSize})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, ready := range []string{"\x05READY\x0bSocket-Type", "\x05READY\x0bSocket", "\x05READY\x0b"} {
		c, err := net.Dial("tcp", r.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.Write(newZMTPStream().frame(zmtpFlagCommand, []byte(ready), false).Bytes()); err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, c); err != nil { // the greeting and READY, then the end
			t.Fatalf("READY %q: the connection was not closed: %v", ready, err)
		}
		c.Close()
	}
	dealer := zmq4.NewDealer(t.Context(), zmq4.WithID(zmq4.SocketIdentity("after")))
	defer dealer.Close()
	if err := dealer.Dial("tcp://" + r.Addr().String()); err != nil {
		t.Fatal(err)
	}
	if err := dealer.Send(zmq4.NewMsgString("still here")); err != nil {
		t.Fatal(err)
	}
	if m, err := r.Recv(); err != nil || string(m[1]) != "still here" {
		t.Fatalf("Recv = %q, %v", m, err)
	}
}
