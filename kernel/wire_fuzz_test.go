package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzDecode feeds decodeMessage arbitrary multipart messages. The input is
// split into frames at every 0xff byte (a byte that valid UTF-8, and so
// every JSON frame, never holds). Each message is decoded three ways:
// unsigned, signed with its own correct signature (which must not change
// the outcome) and replayed (which must be refused). Decoding must never
// panic, and a message it accepts must be one the kernel can use: a
// msg_type, and header, parent_header and content that are JSON objects.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		frames := bytes.Split(data, []byte{0xff})
		m, err := decodeMessage(frames, newSigner(""))
		if err == nil {
			checkDecoded(t, m)
		} else if m.Header.MsgType != "" && len(m.RawHeader) == 0 {
			t.Errorf("error %v came with a msg_type but no raw header", err)
		}

		// Sign the frames after the delimiter properly, as a client with
		// the key would: the outcome must be the same as unsigned.
		at := -1
		for i, fr := range frames {
			if bytes.Equal(fr, delimiter) {
				at = i
				break
			}
		}
		if at < 0 || len(frames)-at-1 < 5 {
			if _, kerr := decodeMessage(frames, newSigner("k")); kerr == nil {
				t.Fatalf("a message without delimiter or signed frames was accepted with a key")
			}
			return
		}
		signed := append([][]byte(nil), frames...)
		s := newSigner("k")
		signed[at+1] = []byte(s.sign(signed[at+2 : at+6]...))
		ks := newSigner("k")
		km, kerr := decodeMessage(signed, ks)
		if (err == nil) != (kerr == nil) {
			t.Fatalf("signing changed the outcome: unsigned err %v, signed err %v", err, kerr)
		}
		if kerr == nil {
			checkDecoded(t, km)
			if _, rerr := decodeMessage(signed, ks); !errors.Is(rerr, errReplayed) {
				t.Fatalf("replay accepted: err = %v", rerr)
			}
		}
		// A signature that differs in one digit is refused. (The HMAC
		// covers the frames' concatenation, as the protocol says, so a
		// signature of other frames with the same concatenation is valid.)
		bad := append([][]byte(nil), signed...)
		sig := []byte(s.sign(signed[at+2 : at+6]...))
		if sig[len(sig)-1] == '0' {
			sig[len(sig)-1] = '1'
		} else {
			sig[len(sig)-1] = '0'
		}
		bad[at+1] = sig
		if _, berr := decodeMessage(bad, newSigner("k")); !errors.Is(berr, errBadSignature) {
			t.Fatalf("wrong signature: err = %v", berr)
		}
	})
}

// checkDecoded checks what the handlers rely on in an accepted message.
func checkDecoded(t *testing.T, m Message) {
	t.Helper()
	if m.Header.MsgType == "" {
		t.Fatal("accepted a message without msg_type")
	}
	for name, raw := range map[string][]byte{"header": m.RawHeader, "parent_header": m.ParentHeader, "content": m.Content} {
		var v map[string]any
		if err := json.Unmarshal(raw, &v); err != nil || v == nil {
			t.Fatalf("accepted %s %q that is not a JSON object: %v", name, raw, err)
		}
	}
	if framesSize([][]byte{m.RawHeader, m.ParentHeader, m.Content}) > maxMessageSize {
		t.Fatal("accepted a message over the size limit")
	}
	// What the kernel sends back about it can always be encoded.
	if _, err := encodeMessage(outgoing{identities: m.Identities, header: newHeader("s", "x_reply"), parent: m.RawHeader, content: map[string]any{}}, newSigner("k")); err != nil {
		t.Fatalf("cannot encode a reply to an accepted message: %v", err)
	}
}
