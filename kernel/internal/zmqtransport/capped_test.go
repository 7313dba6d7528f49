package zmqtransport

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// maxWireMessageSize is the cap the kernel gives its sockets
// (Options.MaxMessage: twice the 64 MiB a Jupyter message may have).
const maxWireMessageSize = 128 << 20

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
