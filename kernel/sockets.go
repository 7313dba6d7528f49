package kernel

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/goawait/goawait/kernel/internal/zmqtransport"
)

// maxWireMessageSize bounds the frame sizes a peer may announce for one
// ZMTP message (a frame and the frames before it that had the MORE flag
// set). It is a multiple of maxMessageSize so that a message somewhat over
// the kernel's limit (identities, delimiter and signature are not counted
// by that limit) still arrives and is answered with an error reply by
// decodeMessage; only sizes no client would send close the connection.
const maxWireMessageSize = 2 * maxMessageSize

// maxInFlight bounds what all peers of all sockets may have announced
// for messages they have not finished sending: room for two messages of
// maxWireMessageSize, so that a peer holding one does not keep every
// large message out.
const maxInFlight = 2 * maxWireMessageSize

// skipSubscriberAfter is how long an iopub subscriber may take nothing
// before cell output stops waiting for it: the other front ends then
// pause this long at most. A front end that reads slowly, but reads,
// still slows the cell down to its speed.
const skipSubscriberAfter = time.Second

// sockets are the five sockets of a kernel.
type sockets struct {
	shell, control, stdin *zmqtransport.Router
	iopub                 *zmqtransport.Pub
	hb                    *zmqtransport.Heartbeat
	closers               []func() error // of the sockets bound
	inFlight              *zmqtransport.InFlight
}

// bindSockets creates and binds all sockets on the addresses of info.
// No peer can make the kernel hold more than maxWireMessageSize for one
// message, nor all of them more than maxInFlight; peers refused for that
// are logged to log. An iopub subscriber that takes nothing for
// skipSubscriberAfter (or stall, if shorter) no longer holds the others
// back. A new iopub subscription gets the message welcome makes.
func bindSockets(info ConnectionInfo, stall time.Duration, log *slog.Logger, welcome func(topic []byte) [][]byte) (*sockets, error) {
	s := &sockets{inFlight: zmqtransport.NewInFlight(maxInFlight)}
	opts := func(name string) zmqtransport.Options {
		return zmqtransport.Options{Name: name, Log: log, MaxMessage: maxWireMessageSize, InFlight: s.inFlight, Stall: min(stall, skipSubscriberAfter)}
	}
	var err error
	fail := func(name string) (*sockets, error) {
		s.close()
		return nil, fmt.Errorf("binding %s socket: %w", name, err)
	}
	if s.shell, err = zmqtransport.ListenRouter(info.endpoint(info.ShellPort), opts("shell")); err != nil {
		return fail("shell")
	}
	s.closers = append(s.closers, s.shell.Close)
	if s.control, err = zmqtransport.ListenRouter(info.endpoint(info.ControlPort), opts("control")); err != nil {
		return fail("control")
	}
	s.closers = append(s.closers, s.control.Close)
	if s.stdin, err = zmqtransport.ListenRouter(info.endpoint(info.StdinPort), opts("stdin")); err != nil {
		return fail("stdin")
	}
	s.closers = append(s.closers, s.stdin.Close)
	iopubOpts := opts("iopub")
	iopubOpts.Welcome = welcome
	if s.iopub, err = zmqtransport.ListenPub(info.endpoint(info.IOPubPort), iopubOpts); err != nil {
		return fail("iopub")
	}
	s.closers = append(s.closers, s.iopub.Close)
	if s.hb, err = zmqtransport.ListenHeartbeat(info.endpoint(info.HBPort), opts("heartbeat")); err != nil {
		return fail("heartbeat")
	}
	s.closers = append(s.closers, s.hb.Close)
	return s, nil
}

// close closes every socket that was bound.
func (s *sockets) close() error {
	var errs []error
	for _, c := range s.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// readLoop decodes messages arriving on c and hands them to deliver until
// c is closed. Messages that cannot be decoded or fail the signature
// check are dropped and logged; a signed request whose header is good but
// whose other frames are not is delivered with decodeErr set, to be
// answered with an error reply.
func (socks *sockets) readLoop(c *zmqtransport.Router, s *signer, log *slog.Logger, deliver func(Message)) {
	for {
		frames, err := c.Recv()
		if err != nil {
			return
		}
		large := isLarge(frames)
		msg, err := decodeMessage(frames, s)
		if err != nil {
			if _, request := replyType(msg.Header.MsgType); request {
				// Signed and addressed, but malformed: the handler
				// queue answers it with an error reply, in order.
				log.Warn("malformed request", "socket", c.Name(), "msg_type", msg.Header.MsgType, "msg_id", msg.Header.MsgID, "err", err)
				msg.decodeErr = err
				msg.received = time.Now()
				deliver(msg)
				continue
			}
			log.Warn("dropping message", "socket", c.Name(), "msg_type", msg.Header.MsgType, "err", err)
			if large {
				socks.inFlight.GiveBack()
			}
			continue
		}
		msg.received = time.Now()
		msg.large = large
		deliver(msg)
	}
}

// isLarge reports whether a message is large enough that its memory is
// worth giving back to the system once it has been dropped or handled.
func isLarge(frames [][]byte) bool {
	n := 0
	for _, f := range frames {
		n += len(f)
	}
	return n >= zmqtransport.GiveBackAtLeast
}
