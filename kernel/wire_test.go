package kernel

import (
	"errors"
	"strings"
	"testing"
)

func encodeForTest(t *testing.T, s *signer, ids ...string) [][]byte {
	t.Helper()
	var identities [][]byte
	for _, id := range ids {
		identities = append(identities, []byte(id))
	}
	frames, err := encodeMessage(outgoing{
		identities: identities,
		header:     newHeader("sess", "execute_request"),
		parent:     []byte(`{"msg_id":"p1"}`),
		metadata:   map[string]any{"cellId": "c"},
		content:    map[string]any{"code": "1"},
		buffers:    [][]byte{[]byte("buf")},
	}, s)
	if err != nil {
		t.Fatal(err)
	}
	return frames
}

func TestWireRoundTrip(t *testing.T) {
	s := newSigner("k")
	frames := encodeForTest(t, s, "id1", "id2")
	m, err := decodeMessage(frames, newSigner("k"))
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "identities", len(m.Identities), 2)
	mustEqual(t, "identity", string(m.Identities[1]), "id2")
	mustEqual(t, "msg_type", m.Header.MsgType, "execute_request")
	mustEqual(t, "version", m.Header.Version, "5.5")
	mustEqual(t, "session", m.Header.Session, "sess")
	mustEqual(t, "parent", string(m.ParentHeader), `{"msg_id":"p1"}`)
	mustEqual(t, "metadata", m.Metadata["cellId"], "c")
	mustEqual(t, "content", string(m.Content), `{"code":"1"}`)
	mustEqual(t, "buffers", len(m.Buffers), 1)
	mustEqual(t, "buffer", string(m.Buffers[0]), "buf")
	if len(m.Header.MsgID) != 36 {
		t.Errorf("msg_id %q is not a uuid", m.Header.MsgID)
	}
	if !strings.Contains(m.Header.Date, "T") || !(strings.HasSuffix(m.Header.Date, "Z") || strings.ContainsAny(m.Header.Date[19:], "+-")) {
		t.Errorf("date %q has no zone", m.Header.Date)
	}
}

func TestWireEmptyKeyNoSignature(t *testing.T) {
	frames := encodeForTest(t, newSigner(""))
	mustEqual(t, "signature frame", string(frames[1]), "")
	if _, err := decodeMessage(frames, newSigner("")); err != nil {
		t.Fatal(err)
	}
	// Decoding the same frames twice is fine without a key: no replay check.
	if _, err := decodeMessage(frames, newSigner("")); err != nil {
		t.Fatal(err)
	}
}

func TestWireSignatures(t *testing.T) {
	frames := encodeForTest(t, newSigner("k"))
	if len(frames[1]) != 64 {
		t.Errorf("signature %q is not hex sha256", frames[1])
	}
	if _, err := decodeMessage(frames, newSigner("other")); !errors.Is(err, errBadSignature) {
		t.Errorf("wrong key: err = %v", err)
	}
	tampered := append([][]byte(nil), frames...)
	tampered[5] = []byte(`{"code":"2"}`)
	if _, err := decodeMessage(tampered, newSigner("k")); !errors.Is(err, errBadSignature) {
		t.Errorf("tampered content: err = %v", err)
	}
	s := newSigner("k")
	if _, err := decodeMessage(frames, s); err != nil {
		t.Fatal(err)
	}
	if _, err := decodeMessage(frames, s); !errors.Is(err, errReplayed) {
		t.Errorf("replay: err = %v", err)
	}
}

func TestReplayWindowIsBounded(t *testing.T) {
	s := newSigner("k")
	first := []byte(s.sign([]byte("0")))
	if err := s.verify(first, []byte("0")); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= replayWindow; i++ {
		p := []byte(itoa(i))
		if err := s.verify([]byte(s.sign(p)), p); err != nil {
			t.Fatal(err)
		}
	}
	mustEqual(t, "remembered", len(s.seen), replayWindow)
	// The oldest signature has been forgotten.
	if err := s.verify(first, []byte("0")); err != nil {
		t.Errorf("oldest signature still remembered: %v", err)
	}
}

func TestWireMalformed(t *testing.T) {
	s := newSigner("")
	good := encodeForTest(t, s)
	replace := func(i int, v string) [][]byte {
		f := append([][]byte(nil), good...)
		f[i] = []byte(v)
		return f
	}
	for _, tc := range []struct {
		name   string
		frames [][]byte
		want   string
	}{
		{"no delimiter", [][]byte{[]byte("a"), []byte("{}")}, "no <IDS|MSG> delimiter"},
		{"missing frames", good[:4], "3 frames after the delimiter"},
		{"header not json", replace(2, "{nope"), "header"},
		{"header array", replace(2, "[]"), "header is not a JSON object"},
		{"msg_type wrong type", replace(2, `{"msg_type": 5}`), "header"},
		{"no msg_type", replace(2, `{"msg_id": "x"}`), "no msg_type"},
		{"parent not object", replace(3, `"x"`), "parent_header"},
		{"metadata not object", replace(4, `[1]`), "metadata"},
		{"content not object", replace(5, `null`), "content"},
		{"content invalid", replace(5, `{"a":}`), "content"},
	} {
		_, err := decodeMessage(tc.frames, s)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}
