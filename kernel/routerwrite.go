package kernel

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	"github.com/go-zeromq/zmq4"
)

// Replies in one write.
//
// zmq4's ROUTER socket (v0.17.0) sends a message to its peer frame by
// frame, with two write system calls per frame (the multipart flag is
// dropped on the way, router.go NewMsgFrom), from a goroutine it starts
// for each message and waits for. A Jupyter reply has six frames after the
// peer's identity: measured in the kernel, sending execute_reply took
// about 150 µs, a third of a trivial cell's time in the kernel. A router
// channel therefore encodes the frames itself and writes them to the
// peer's connection in one call, under the lock zmq4's own writer holds,
// so the two never interleave. The connections (routerSocket.sck.w.ws,
// guarded by w.mu) are reached by reflection; if zmq4's insides change,
// routerWriter returns an error and the channel sends through zmq4 (the
// probe test fails first).

// routerWriter returns a function that sends one message of a zmq4
// v0.17.0 ROUTER socket: frames[0] is the peer's identity, and every
// connection with that identity gets the message. It reports false when
// no connection has it (the peer went away), as zmq4 drops such a
// message.
func routerWriter(sock zmq4.Socket) (func(frames [][]byte) (bool, error), error) {
	fail := func(what string) (func([][]byte) (bool, error), error) {
		return nil, fmt.Errorf("zmq4 ROUTER connections not found (%s): replies are sent frame by frame", what)
	}
	pw, err := socketWriter(sock, "routerSocket", "routerMWriter")
	if err != nil {
		return fail(err.Error())
	}
	mu := pw.Elem().FieldByName("mu")
	ws := pw.Elem().FieldByName("ws")
	if !mu.IsValid() || mu.Type() != reflect.TypeFor[sync.Mutex]() ||
		!ws.IsValid() || ws.Type() != reflect.TypeFor[[]*zmq4.Conn]() {
		return fail("mu, ws")
	}
	lock := (*sync.Mutex)(unsafe.Pointer(mu.UnsafeAddr()))
	conns := (*[]*zmq4.Conn)(unsafe.Pointer(ws.UnsafeAddr()))
	var buf []byte // guarded by lock
	return func(frames [][]byte) (bool, error) {
		lock.Lock()
		defer lock.Unlock()
		id := string(frames[0])
		sent := false
		var errs []error
		// Every connection with the identity gets the message, as with
		// zmq4: clients that share a session (jupyter_client's
		// KernelManager.client()) connect with the same identity.
		for _, c := range *conns {
			if c.Peer.Meta[zmtpIdentity] != id {
				continue
			}
			if !sent {
				buf = appendFrames(buf[:0], frames[1:])
				sent = true
			}
			if _, err := c.Write(buf); err != nil {
				errs = append(errs, err)
			}
		}
		if cap(buf) > 1<<20 {
			buf = nil // keep no large reply around
		}
		return sent, errors.Join(errs...)
	}, nil
}

// zmtpIdentity is the metadata key of a peer's routing identity (zmq4's
// sysSockID).
const zmtpIdentity = "Identity"

// appendFrames appends the ZMTP 3 encoding of a multipart message: each
// frame is a flags byte (more, long), its size in one byte or eight, and
// its body. Jupyter's sockets use the NULL security mechanism, whose
// frames are sent as they are.
func appendFrames(b []byte, frames [][]byte) []byte {
	for i, f := range frames {
		var flags byte
		if i < len(frames)-1 {
			flags |= 0x01 // more
		}
		if len(f) > 255 {
			b = append(b, flags|0x02) // long
			b = binary.BigEndian.AppendUint64(b, uint64(len(f)))
		} else {
			b = append(b, flags, byte(len(f)))
		}
		b = append(b, f...)
	}
	return b
}
