package zmqtransport

import (
	"bytes"
	"fmt"
	"testing"
)

// TestFrameReaderReadsWhatArrivesInPieces: messages and commands of
// every size class (short, long, around the growth step), encoded by
// appendFrames and appendCommand, are read back unchanged whatever the
// pieces they arrive in.
func TestFrameReaderReadsWhatArrivesInPieces(t *testing.T) {
	var want [][][]byte
	var stream []byte
	const step = 1000 // growStep, smaller: the pieces may be single bytes
	for i, size := range []int{0, 1, 255, 256, step - 1, step, step + 1, 3*step + 5, 100 * step} {
		body := bytes.Repeat([]byte{byte('a' + i)}, size)
		msg := [][]byte{[]byte("topic"), {}, body}
		want = append(want, msg)
		stream = appendFrames(stream, msg)
	}
	stream = appendCommand(stream, cmdPing, []byte{0, 1, 'c', 't', 'x'})
	for name, next := range sizes(8) {
		fr := newFrameReader(&chunkReader{data: stream, next: next})
		fr.step = step
		for i, msg := range want {
			got, command, err := fr.next()
			if err != nil || command {
				t.Fatalf("%s: message %d: command %t, %v", name, i, command, err)
			}
			if fmt.Sprint(got) != fmt.Sprint(msg) {
				t.Fatalf("%s: message %d differs", name, i)
			}
		}
		got, command, err := fr.next()
		if err != nil || !command {
			t.Fatalf("%s: command: %q, %t, %v", name, got, command, err)
		}
		if p := pong(got[0]); !bytes.Equal(p, appendCommand(nil, cmdPong, []byte("ctx"))) {
			t.Errorf("%s: PONG %q", name, p)
		}
		if _, _, err := fr.next(); err == nil {
			t.Errorf("%s: a message after the end of the stream", name)
		}
	}
	if got := framesSize(want[8]); got != len(appendFrames(nil, want[8])) {
		t.Errorf("framesSize = %d, want %d", got, len(appendFrames(nil, want[8])))
	}
}

func TestParseCommand(t *testing.T) {
	for in, want := range map[string]string{
		"\x04PINGxy":    "PING xy",
		"\x09SUBSCRIBE": "SUBSCRIBE ",
		"":              "error",
		"\x05PING":      "error",
	} {
		name, data, err := parseCommand([]byte(in))
		got := name + " " + string(data)
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("parseCommand(%q) = %q, want %q", in, got, want)
		}
	}
	if pong([]byte("\x04PONG")) != nil || pong([]byte("\x04PING\x00")) != nil {
		t.Error("a PONG or a PING without its TTL is answered")
	}
}
