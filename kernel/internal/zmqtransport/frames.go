package zmqtransport

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// frameReader reads the ZMTP 3 frames a peer sends after the handshake.
// The sizes it reads have been checked by the cappedConn below it.
type frameReader struct {
	r    *bufio.Reader
	step int // growStep
}

func newFrameReader(c io.Reader) *frameReader {
	return &frameReader{r: bufio.NewReaderSize(c, 32<<10), step: growStep}
}

// growStep is the buffer a large frame starts with: a peer's announced
// size is not allocated up front. The buffer doubles as the bytes arrive,
// and takes the whole size once an eighth of it has arrived (fewer
// copies, and less garbage, than doubling all the way).
const growStep = 1 << 20

// next reads one message (its frames) or one command (its body, with
// command set).
func (fr *frameReader) next() (frames [][]byte, command bool, err error) {
	for {
		flags, err := fr.r.ReadByte()
		if err != nil {
			return nil, false, err
		}
		var size uint64
		if flags&zmtpFlagLong != 0 {
			var b [8]byte
			if _, err := io.ReadFull(fr.r, b[:]); err != nil {
				return nil, false, err
			}
			size = binary.BigEndian.Uint64(b[:])
		} else {
			b, err := fr.r.ReadByte()
			if err != nil {
				return nil, false, err
			}
			size = uint64(b)
		}
		body, err := fr.body(size)
		if err != nil {
			return nil, false, err
		}
		if flags&zmtpFlagCommand != 0 {
			return [][]byte{body}, true, nil
		}
		frames = append(frames, body)
		if flags&zmtpFlagMore == 0 {
			return frames, false, nil
		}
	}
}

// body reads a frame body of size bytes, growing its buffer as the bytes
// arrive.
func (fr *frameReader) body(size uint64) ([]byte, error) {
	if size > uint64(maxInt) {
		return nil, fmt.Errorf("a frame of %d bytes", size)
	}
	n := int(size)
	b := make([]byte, 0, min(n, fr.step))
	for {
		got, err := io.ReadFull(fr.r, b[len(b):cap(b)])
		b = b[:len(b)+got]
		if err != nil {
			return nil, err
		}
		if len(b) == n {
			return b, nil
		}
		size := min(n, 2*cap(b))
		if len(b) >= n/8 {
			size = n
		}
		grown := make([]byte, len(b), size)
		copy(grown, b)
		b = grown
	}
}

const maxInt = int(^uint(0) >> 1)

// appendFrames appends the ZMTP 3 encoding of a multipart message: each
// frame is a flags byte (more, long), its size in one byte or eight, and
// its body. Jupyter's sockets use the NULL security mechanism, whose
// frames are sent as they are.
func appendFrames(b []byte, frames [][]byte) []byte {
	for i, f := range frames {
		var flags byte
		if i < len(frames)-1 {
			flags |= zmtpFlagMore
		}
		b = appendFrame(b, flags, f)
	}
	return b
}

// appendFrame appends one frame with the given flags (long is added
// when the body needs it).
func appendFrame(b []byte, flags byte, body []byte) []byte {
	if len(body) > 255 {
		b = append(b, flags|zmtpFlagLong)
		b = binary.BigEndian.AppendUint64(b, uint64(len(body)))
	} else {
		b = append(b, flags, byte(len(body)))
	}
	return append(b, body...)
}

// framesSize is the length of appendFrames(nil, frames).
func framesSize(frames [][]byte) int {
	n := 0
	for _, f := range frames {
		n += 2 + len(f)
		if len(f) > 255 {
			n += 7
		}
	}
	return n
}

// ZMTP 3.1 commands a peer may send after the handshake.
const (
	cmdPing      = "PING"
	cmdPong      = "PONG"
	cmdSubscribe = "SUBSCRIBE"
	cmdCancel    = "CANCEL"
)

// parseCommand splits a command body into its name and data.
func parseCommand(body []byte) (name string, data []byte, err error) {
	if len(body) == 0 || int(body[0]) > len(body)-1 {
		return "", nil, errors.New("malformed ZMTP command")
	}
	return string(body[1 : 1+body[0]]), body[1+body[0]:], nil
}

// appendCommand appends a command frame.
func appendCommand(b []byte, name string, data []byte) []byte {
	body := make([]byte, 0, 1+len(name)+len(data))
	body = append(body, byte(len(name)))
	body = append(body, name...)
	body = append(body, data...)
	return appendFrame(b, zmtpFlagCommand, body)
}

// pong is the PONG answering a PING command's data (a 2-byte TTL, then a
// context the PONG echoes), or nil if the command is no PING.
func pong(command []byte) []byte {
	name, data, err := parseCommand(command)
	if err != nil || name != cmdPing || len(data) < 2 {
		return nil
	}
	return appendCommand(nil, cmdPong, data[2:])
}
