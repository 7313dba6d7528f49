package kernel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// sendTimeout bounds how long a send on a ROUTER socket may block (for
// example when the peer of an input_request is gone).
const sendTimeout = 10 * time.Second

// channel is one of the kernel's sockets with its writes serialized.
type channel struct {
	name string
	sock zmq4.Socket
	// direct sends a ROUTER message in one write (routerwrite.go); nil:
	// through zmq4.
	direct func(frames [][]byte) (bool, error)

	mu sync.Mutex // serializes writes
}

// newRouterChannel makes a ROUTER channel that sends its messages in one
// write when zmq4's insides allow it (log says when they do not).
func newRouterChannel(ctx context.Context, name string, log *slog.Logger) *channel {
	c := &channel{name: name, sock: zmq4.NewRouter(ctx, zmq4.WithTimeout(sendTimeout))}
	direct, err := routerWriter(c.sock)
	if err != nil {
		log.Warn("replies go through zmq4", "socket", name, "err", err)
	}
	c.direct = direct
	return c
}

// send writes one multipart message (for a ROUTER, frames[0] is the
// peer's identity; a message to a peer that is gone is dropped).
func (c *channel) send(frames [][]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	if c.direct != nil {
		_, err = c.direct(frames)
	} else {
		err = c.sock.SendMulti(zmq4.NewMsgFrom(frames...))
	}
	if err != nil {
		return fmt.Errorf("sending on %s: %w", c.name, err)
	}
	return nil
}

// port is the TCP port the socket listens on, or 0.
func (c *channel) port() int {
	if a, ok := c.sock.Addr().(*net.TCPAddr); ok {
		return a.Port
	}
	return 0
}

// sockets are the five sockets of a kernel.
type sockets struct {
	shell, control, stdin, iopub, hb *channel
}

// bindSockets creates and binds all sockets; they live until ctx is
// cancelled and close is called. They listen on the address of info's
// transport (tcp or ipc) through its capped variant (see zmtpcap.go), so
// that no peer can make the kernel allocate more than maxWireMessageSize
// for one message; clients see plain ZMTP over tcp or ipc. Peers refused
// for that are logged to log.
func bindSockets(ctx context.Context, info ConnectionInfo, log *slog.Logger) (*sockets, error) {
	if err := registerCappedTransports(); err != nil {
		return nil, err
	}
	limited := func(name string) context.Context {
		return withZMTPLimits(ctx, &zmtpLimits{socket: name, limit: maxWireMessageSize, log: log})
	}
	s := &sockets{
		shell:   newRouterChannel(limited("shell"), "shell", log),
		control: newRouterChannel(limited("control"), "control", log),
		stdin:   newRouterChannel(limited("stdin"), "stdin", log),
		iopub:   &channel{name: "iopub", sock: zmq4.NewPub(limited("iopub"))},
		hb:      &channel{name: "heartbeat", sock: zmq4.NewRep(limited("heartbeat"), zmq4.WithTimeout(sendTimeout))},
	}
	binds := []struct {
		c    *channel
		port int
	}{{s.shell, info.ShellPort}, {s.control, info.ControlPort}, {s.stdin, info.StdinPort}, {s.iopub, info.IOPubPort}, {s.hb, info.HBPort}}
	for _, b := range binds {
		ep, err := cappedEndpoint(info.endpoint(b.port))
		if err == nil {
			err = b.c.sock.Listen(ep)
		}
		if err != nil {
			s.close()
			return nil, fmt.Errorf("binding %s socket: %w", b.c.name, err)
		}
	}
	return s, nil
}

// all lists the sockets.
func (s *sockets) all() []*channel {
	return []*channel{s.shell, s.control, s.stdin, s.iopub, s.hb}
}

// close closes every socket.
func (s *sockets) close() error {
	var errs []error
	for _, c := range s.all() {
		if err := c.sock.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing %s: %w", c.name, err))
		}
	}
	return errors.Join(errs...)
}

// heartbeat echoes every heartbeat ping until ctx is done.
func heartbeat(ctx context.Context, hb *channel, log *slog.Logger) {
	for {
		msg, err := hb.sock.Recv()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Debug("heartbeat receive failed", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if err := hb.sock.Send(msg); err != nil && ctx.Err() == nil {
			log.Debug("heartbeat echo failed", "err", err)
		}
	}
}

// readLoop decodes messages arriving on c and hands them to deliver until
// ctx is done. Messages that cannot be decoded or fail the signature
// check are dropped and logged; a signed request whose header is good but
// whose other frames are not is delivered with decodeErr set, to be
// answered with an error reply.
func readLoop(ctx context.Context, c *channel, s *signer, log *slog.Logger, deliver func(Message)) {
	for {
		raw, err := c.sock.Recv()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Debug("receive failed", "socket", c.name, "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		msg, err := decodeMessage(raw.Frames, s)
		if err != nil {
			if _, request := replyType(msg.Header.MsgType); request {
				// Signed and addressed, but malformed: the handler
				// queue answers it with an error reply, in order.
				log.Warn("malformed request", "socket", c.name, "msg_type", msg.Header.MsgType, "msg_id", msg.Header.MsgID, "err", err)
				msg.decodeErr = err
				msg.received = time.Now()
				deliver(msg)
				continue
			}
			log.Warn("dropping message", "socket", c.name, "msg_type", msg.Header.MsgType, "err", err)
			continue
		}
		msg.received = time.Now()
		deliver(msg)
	}
}
