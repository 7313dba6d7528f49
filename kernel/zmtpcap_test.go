package kernel

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// zmtpStream builds the ZMTP 3.x byte stream a peer sends.
type zmtpStream struct{ bytes.Buffer }

// newZMTPStream starts a stream with a NULL-mechanism greeting.
func newZMTPStream() *zmtpStream {
	s := &zmtpStream{}
	g := make([]byte, zmtpGreetingLen)
	g[0], g[9], g[10] = 0xff, 0x7f, 3
	copy(g[12:], "NULL")
	s.Write(g)
	return s
}

// frame appends a frame with body; a body over 255 bytes, or long, gets
// the 8-byte size.
func (s *zmtpStream) frame(flags byte, body []byte, long bool) *zmtpStream {
	s.header(flags, uint64(len(body)), long)
	s.Write(body)
	return s
}

// header appends only a frame header announcing size.
func (s *zmtpStream) header(flags byte, size uint64, long bool) *zmtpStream {
	if long || size > 255 {
		s.WriteByte(flags | zmtpFlagLong)
		s.Write(binary.BigEndian.AppendUint64(nil, size))
	} else {
		s.WriteByte(flags)
		s.WriteByte(byte(size))
	}
	return s
}

// ready appends the READY command of a socket type (NULL handshake).
func (s *zmtpStream) ready(socketType string) *zmtpStream {
	body := append([]byte("\x05READY\x0bSocket-Type"), binary.BigEndian.AppendUint32(nil, uint32(len(socketType)))...)
	return s.frame(0x04, append(body, socketType...), false)
}

// chunkReader returns its data in reads of at most next() bytes.
type chunkReader struct {
	data []byte
	next func() int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := min(r.next(), len(p), len(r.data))
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// fakeConn is a net.Conn reading from r; only Read, Close and RemoteAddr
// may be used.
type fakeConn struct {
	net.Conn
	r      io.Reader
	closed bool
}

func (c *fakeConn) Read(p []byte) (int, error) { return c.r.Read(p) }
func (c *fakeConn) Close() error               { c.closed = true; return nil }
func (c *fakeConn) RemoteAddr() net.Addr       { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4242} }

// sizes are ways of cutting a stream into reads.
func sizes(seed int64) map[string]func() int {
	rng := rand.New(rand.NewSource(seed))
	return map[string]func() int{
		"1 byte":    func() int { return 1 },
		"1 to 13":   func() int { return 1 + rng.Intn(13) },
		"1 to 4099": func() int { return 1 + rng.Intn(4099) },
		"64 KiB":    func() int { return 64 << 10 },
	}
}

// readResult is what readThrough saw.
type readResult struct {
	got  []byte      // the bytes read
	err  error       // that ended reading; nil for io.EOF
	c    *cappedConn // read from
	fake *fakeConn   // under c
}

// readThrough reads data through a cappedConn with the given limit: the
// fake connection hands it out in chunks of src() bytes, and the reader
// asks for dst() bytes at a time.
func readThrough(data []byte, limit uint64, src, dst func() int) readResult {
	r := readResult{fake: &fakeConn{r: &chunkReader{data: data, next: src}}}
	r.c = newCappedConn(r.fake, &zmtpLimits{socket: "test", limit: limit})
	buf := make([]byte, 64<<10)
	for {
		n, err := r.c.Read(buf[:dst()])
		r.got = append(r.got, buf[:n]...)
		if err != nil {
			if err != io.EOF {
				r.err = err
			}
			return r
		}
	}
}

// exchange is a normal client stream: handshake, a request with short,
// long, empty and long-flagged short frames, and commands.
func exchange() []byte {
	big := bytes.Repeat([]byte("0123456789abcdef"), 70000/16)
	s := newZMTPStream().ready("DEALER")
	s.frame(zmtpFlagMore, []byte("<IDS|MSG>"), false)
	s.frame(zmtpFlagMore, bytes.Repeat([]byte("f"), 64), false)
	s.frame(zmtpFlagMore, []byte(`{"msg_type":"execute_request"}`), false)
	s.frame(zmtpFlagMore, nil, false)
	s.frame(zmtpFlagMore, []byte("{}"), true) // long size, short body
	s.frame(zmtpFlagMore, bytes.Repeat([]byte("x"), 255), false)
	s.frame(zmtpFlagMore, bytes.Repeat([]byte("y"), 256), false)
	s.frame(0, big, false)
	s.frame(0x04, []byte("\x04PING\x00\x00"), false)
	s.frame(0x04, append([]byte("\x09SUBSCRIBE"), bytes.Repeat([]byte("t"), 300)...), false)
	s.frame(0, nil, false)
	s.frame(0, []byte("last"), false)
	return s.Bytes()
}

func TestCappedConnPassesAnExchangeUnchanged(t *testing.T) {
	want := exchange()
	for srcName, src := range sizes(1) {
		for dstName, dst := range sizes(2) {
			r := readThrough(want, maxWireMessageSize, src, dst)
			got, err, c, fc := r.got, r.err, r.c, r.fake
			if err != nil {
				t.Fatalf("%s from the peer, %s read: %v", srcName, dstName, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s from the peer, %s read: %d bytes differ from the %d sent", srcName, dstName, len(got), len(want))
			}
			// It followed the frames: the stream ends between two.
			if c.zmtp.state != inFlags || c.zmtp.total != 0 || fc.closed {
				t.Fatalf("%s/%s: tracker ends in state %d, total %d, closed %t", srcName, dstName, c.zmtp.state, c.zmtp.total, fc.closed)
			}
		}
	}
}

func TestCappedConnRefusesAHugeSize(t *testing.T) {
	const huge = 1 << 50
	s := &zmtpStream{}
	s.Write(exchange())
	data := s.header(0, huge, true).Bytes()
	for srcName, src := range sizes(3) {
		for dstName, dst := range sizes(4) {
			r := readThrough(data, maxWireMessageSize, src, dst)
			got, err, c, fc := r.got, r.err, r.c, r.fake
			var tooLarge *frameTooLargeError
			if !errors.As(err, &tooLarge) {
				t.Fatalf("%s/%s: err = %v, want a frameTooLargeError", srcName, dstName, err)
			}
			for _, s := range []string{strconv.Itoa(huge), strconv.Itoa(maxWireMessageSize), "127.0.0.1:4242"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%s/%s: %q does not name %s", srcName, dstName, err, s)
				}
			}
			// Everything up to the byte that completes the size, and
			// not that byte: zmq4 never learns the size.
			if !bytes.Equal(got, data[:len(data)-1]) {
				t.Fatalf("%s/%s: read %d bytes, want the %d before the last size byte", srcName, dstName, len(got), len(data)-1)
			}
			if !fc.closed {
				t.Errorf("%s/%s: the connection is not closed", srcName, dstName)
			}
			var ne net.Error
			if !errors.As(err, &ne) || ne.Timeout() {
				t.Errorf("%s/%s: %v is not a net.Error that is not a timeout (zmq4 would keep the connection)", srcName, dstName, err)
			}
			if n, again := c.Read(make([]byte, 10)); n != 0 || again != err {
				t.Errorf("read after the refusal: %d, %v", n, again)
			}
		}
	}
}

func TestZMTPTrackerCap(t *testing.T) {
	const limit = 1000
	body := func(n int) []byte { return bytes.Repeat([]byte("b"), n) }
	for _, tc := range []struct {
		name   string
		stream *zmtpStream
		want   string // in the error; "" for none
	}{
		{"frame at the cap", newZMTPStream().frame(0, body(limit), false).frame(0, body(1), false), ""},
		{"frame over the cap", newZMTPStream().frame(0, body(limit+1), false), "announced a frame of 1001 bytes, over the cap of 1000 bytes"},
		{"command at the cap", newZMTPStream().frame(0x04, body(limit), false), ""},
		{"command over the cap", newZMTPStream().frame(0x04, body(limit+1), true), "1001 bytes"},
		{"message at the cap, twice", newZMTPStream().
			frame(zmtpFlagMore, body(400), false).frame(zmtpFlagMore, nil, false).frame(0, body(600), false).
			frame(zmtpFlagMore, body(999), false).frame(0, body(1), false), ""},
		{"message over the cap", newZMTPStream().
			frame(zmtpFlagMore, body(400), false).frame(0, body(601), false),
			"announced a frame of 601 bytes, making its message 1001 bytes, over the cap of 1000 bytes"},
		{"size that overflows a total", newZMTPStream().
			frame(zmtpFlagMore, body(10), false).header(0, ^uint64(0), true), "making its message 18446744073709551615 bytes"},
	} {
		data := tc.stream.Bytes()
		for srcName, src := range sizes(5) {
			r := readThrough(data, limit, src, func() int { return 1 << 16 })
			got, err := r.got, r.err
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("%s (%s): %v", tc.name, srcName, err)
			case tc.want == "" && !bytes.Equal(got, data):
				t.Errorf("%s (%s): the stream changed", tc.name, srcName)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("%s (%s): err = %v, want %q", tc.name, srcName, err, tc.want)
			}
		}
	}

	// The real cap: a frame announcing exactly maxWireMessageSize passes
	// (only its header and the start of its body are sent here).
	s := newZMTPStream().header(0, maxWireMessageSize, true)
	s.WriteString("start of the body")
	if err := readThrough(s.Bytes(), maxWireMessageSize, sizes(6)["1 to 13"], sizes(7)["1 byte"]).err; err != nil {
		t.Errorf("a frame of maxWireMessageSize: %v", err)
	}
	s = newZMTPStream().header(0, maxWireMessageSize+1, true)
	if err := readThrough(s.Bytes(), maxWireMessageSize, sizes(6)["1 to 13"], sizes(7)["1 byte"]).err; err == nil {
		t.Errorf("a frame of maxWireMessageSize+1 passes")
	}
}

// syncBuffer is a bytes.Buffer for a log written from other goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until the log contains needle.
func (s *syncBuffer) waitFor(t *testing.T, needle string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if text := s.String(); strings.Contains(text, needle) {
			return text
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%q not logged:\n%s", needle, s.String())
	return ""
}

// attack connects to addr as a ZMTP peer of socketType without any key,
// completes the handshake and announces a 2**50-byte frame. It returns
// once the kernel has closed the connection.
func attack(t *testing.T, network, addr, socketType string) {
	t.Helper()
	c, err := net.DialTimeout(network, addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	hello := newZMTPStream().ready(socketType)
	if _, err := c.Write(hello.Bytes()); err != nil {
		t.Fatal(err)
	}
	// The kernel's greeting and READY, then the end of the connection.
	if _, err := io.ReadFull(c, make([]byte, zmtpGreetingLen)); err != nil {
		t.Fatalf("no greeting: %v", err)
	}
	if _, err := c.Write(new(zmtpStream).header(0, 1<<50, true).Bytes()); err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, c); err != nil {
		t.Fatalf("the kernel did not close the connection: %v", err)
	}
}

// TestBoundSocketsRefuseHugeFramesAndKeepServing binds the kernel's
// sockets (tcp and ipc), attacks them, and checks that they still
// exchange messages with zmq4 clients using the plain transports, and
// that the refusals are logged.
func TestBoundSocketsRefuseHugeFramesAndKeepServing(t *testing.T) {
	for _, transport := range []string{"tcp", "ipc"} {
		t.Run(transport, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			info := ConnectionInfo{Transport: "tcp", IP: "127.0.0.1"}
			if transport == "ipc" {
				info = ConnectionInfo{Transport: "ipc", IP: filepath.Join(t.TempDir(), "k"),
					ShellPort: 1, ControlPort: 2, StdinPort: 3, IOPubPort: 4, HBPort: 5}
			}
			var logged syncBuffer
			s, err := bindSockets(ctx, info, slog.New(slog.NewTextHandler(&logged, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer s.close()
			netAddr := func(c *channel, port int) (network, addr, endpoint string) {
				if transport == "ipc" {
					return "unix", fmt.Sprintf("%s-%d", info.IP, port), info.endpoint(port)
				}
				if c.port() == 0 {
					t.Fatalf("%s: no TCP port", c.name)
				}
				return "tcp", fmt.Sprintf("127.0.0.1:%d", c.port()), info.endpoint(c.port())
			}

			// On the heartbeat, during the handshake on iopub, then on
			// shell.
			network, addr, _ := netAddr(s.hb, info.HBPort)
			attack(t, network, addr, "REQ")
			network, addr, _ = netAddr(s.iopub, info.IOPubPort)
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
			network, addr, _ = netAddr(s.shell, info.ShellPort)
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
			_, _, ep := netAddr(s.shell, info.ShellPort)
			if err := dealer.Dial(ep); err != nil {
				t.Fatal(err)
			}
			big := bytes.Repeat([]byte("z"), 1<<20)
			if err := dealer.SendMulti(zmq4.NewMsgFrom([]byte("<IDS|MSG>"), []byte("sig"), big)); err != nil {
				t.Fatal(err)
			}
			msg, err := s.shell.sock.Recv()
			if err != nil {
				t.Fatal(err)
			}
			if len(msg.Frames) != 4 || string(msg.Frames[0]) != "client" || !bytes.Equal(msg.Frames[3], big) {
				t.Fatalf("shell received %d frames", len(msg.Frames))
			}
			if err := s.shell.send([][]byte{[]byte("client"), []byte("reply")}); err != nil {
				t.Fatal(err)
			}
			back, err := dealer.Recv()
			if err != nil || string(back.Frames[0]) != "reply" {
				t.Fatalf("dealer got %v, %v", back.Frames, err)
			}

			req := zmq4.NewReq(ctx)
			defer req.Close()
			_, _, ep = netAddr(s.hb, info.HBPort)
			if err := req.Dial(ep); err != nil {
				t.Fatal(err)
			}
			go heartbeat(ctx, s.hb, slog.New(slog.NewTextHandler(io.Discard, nil)))
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

func TestCappedEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"tcp://127.0.0.1:5001":   "tcp+capped://127.0.0.1:5001",
		"ipc:///run/kernel-x-1":  "ipc+capped:///run/kernel-x-1",
		"inproc://x":             "",
		"127.0.0.1:5001":         "",
		"tcp+capped://127.0.0.1": "",
	} {
		got, err := cappedEndpoint(in)
		if (err != nil) != (want == "") || got != want {
			t.Errorf("cappedEndpoint(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// BenchmarkZMTPRead reads a stream of messages through a cappedConn and,
// for comparison, straight from the connection, in the pattern zmq4 uses
// (a 2-byte header, the rest of a long size, then the body).
func BenchmarkZMTPRead(b *testing.B) {
	for _, frame := range []int{100, 4 << 10, 1 << 20} {
		s := &zmtpStream{}
		for range 64 {
			s.frame(zmtpFlagMore, []byte("<IDS|MSG>"), false)
			s.frame(zmtpFlagMore, bytes.Repeat([]byte("s"), 64), false)
			s.frame(0, bytes.Repeat([]byte("c"), frame), false)
		}
		stream := s.Bytes()
		for _, capped := range []bool{false, true} {
			b.Run(fmt.Sprintf("frame=%d/capped=%t", frame, capped), func(b *testing.B) {
				b.SetBytes(int64(len(stream)))
				hdr := make([]byte, 9)
				body := make([]byte, frame)
				src := &chunkReader{next: func() int { return 64 << 10 }}
				var r io.Reader = src
				var c *cappedConn
				if capped {
					c = newCappedConn(&fakeConn{r: src}, &zmtpLimits{limit: maxWireMessageSize})
					r = c
				}
				for b.Loop() {
					src.data = stream
					if c != nil {
						c.zmtp = newZMTPTracker(maxWireMessageSize)
						c.zmtp.need = 0 // no greeting in this stream
						c.zmtp.state = inFlags
					}
					for len(src.data) > 0 {
						if _, err := io.ReadFull(r, hdr[:2]); err != nil {
							b.Fatal(err)
						}
						size := uint64(hdr[1])
						if hdr[0]&zmtpFlagLong != 0 {
							if _, err := io.ReadFull(r, hdr[2:9]); err != nil {
								b.Fatal(err)
							}
							size = binary.BigEndian.Uint64(hdr[1:9])
						}
						if _, err := io.ReadFull(r, body[:size]); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}

// BenchmarkRouterRecv sends messages from a zmq4 DEALER to a ROUTER
// listening on zmq4's tcp and on the capped transport.
func BenchmarkRouterRecv(b *testing.B) {
	if err := registerCappedTransports(); err != nil {
		b.Fatal(err)
	}
	for _, size := range []int{1 << 10, 1 << 20} {
		for _, scheme := range []string{"tcp", cappedTCP} {
			b.Run(fmt.Sprintf("size=%d/%s", size, scheme), func(b *testing.B) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				router := zmq4.NewRouter(ctx)
				defer router.Close()
				if err := router.Listen(scheme + "://127.0.0.1:0"); err != nil {
					b.Fatal(err)
				}
				dealer := zmq4.NewDealer(ctx)
				defer dealer.Close()
				if err := dealer.Dial(fmt.Sprintf("tcp://127.0.0.1:%d", router.Addr().(*net.TCPAddr).Port)); err != nil {
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
					if _, err := router.Recv(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func TestASilentPeerDoesNotHoldUpOthers(t *testing.T) {
	if err := registerCappedTransports(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lim := &zmtpLimits{socket: "shell", limit: maxWireMessageSize, handshake: 300 * time.Millisecond}
	router := zmq4.NewRouter(withZMTPLimits(ctx, lim))
	defer router.Close()
	if err := router.Listen(cappedTCP + "://127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	addr := router.Addr().String()
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	time.Sleep(50 * time.Millisecond) // accepted: zmq4 now waits for its greeting

	dealer := zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("late")))
	defer dealer.Close()
	if err := dealer.Dial("tcp://" + addr); err != nil {
		t.Fatal(err)
	}
	if err := dealer.Send(zmq4.NewMsgString("hello")); err != nil {
		t.Fatal(err)
	}
	got := make(chan zmq4.Msg, 1)
	go func() {
		if m, err := router.Recv(); err == nil {
			got <- m
		}
	}()
	select {
	case m := <-got:
		if string(m.Frames[len(m.Frames)-1]) != "hello" {
			t.Fatalf("router got %q", m.Frames)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a peer that never sent its greeting kept a later client out")
	}
	// The silent peer was dropped.
	_ = silent.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := io.Copy(io.Discard, silent); err != nil { // the kernel's greeting, then the end
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Error("the silent peer's connection was not closed")
		}
	}
}

// TestCappedSocketsKeepVectoredWrites checks that TCP and Unix connections
// are wrapped in types embedding the concrete connection: zmq4 sends a
// message with net.Buffers.WriteTo, which finds writev through a method
// only the concrete types have (promoted by embedding). Wrapped behind
// net.Conn, a Jupyter message went out in 14 writes.
func TestCappedSocketsKeepVectoredWrites(t *testing.T) {
	lim := &zmtpLimits{limit: maxWireMessageSize}
	for _, network := range []string{"tcp", "unix"} {
		addr := "127.0.0.1:0"
		if network == "unix" {
			addr = filepath.Join(t.TempDir(), "s")
		}
		l, err := net.Listen(network, addr)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			if c, err := l.Accept(); err == nil {
				_, _ = io.Copy(io.Discard, c)
			}
		}()
		raw, err := net.Dial(network, l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c := capped(raw, lim, false)
		bufs := make(net.Buffers, 14) // 7 frames of a Jupyter message, each with its header
		for i := range bufs {
			bufs[i] = []byte("frame")
		}
		before, ok := writeSyscalls()
		if !ok {
			t.Fatal("no /proc/self/io: the write system calls cannot be counted")
		}
		if n, err := bufs.WriteTo(c); err != nil || n != 70 {
			t.Errorf("%s: WriteTo = %d, %v", network, n, err)
		}
		if after, _ := writeSyscalls(); after-before != 1 {
			t.Errorf("%s: 14 buffers took %d write system calls, want 1 (writev)", network, after-before)
		}
		c.Close()
		l.Close()
	}
	if _, ok := capped(&fakeConn{}, lim, false).(*cappedConn); !ok {
		t.Error("another net.Conn is not wrapped in a cappedConn")
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
