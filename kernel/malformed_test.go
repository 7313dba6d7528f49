package kernel

import (
	"strings"
	"testing"
	"time"
)

// TestMalformedRequestGetsErrorReply checks that a signed request whose
// header is good but whose content is not JSON is answered with an error
// reply (wrapped in busy/idle) instead of being dropped in silence, and
// that the kernel goes on answering.
func TestMalformedRequestGetsErrorReply(t *testing.T) {
	h := startKernel(t)
	for _, tc := range []struct{ name, frame string }{
		{"content", `{"code": `},
		{"parent_header", `"not an object"`},
		{"metadata", `[1, 2]`},
	} {
		hdr := newHeader(h.c.session, "execute_request")
		frames, err := encodeMessage(outgoing{header: hdr, content: map[string]any{"code": "print:x"}}, h.c.signer)
		if err != nil {
			t.Fatal(err)
		}
		// frames: delimiter, signature, header, parent, metadata, content.
		at := map[string]int{"parent_header": 3, "metadata": 4, "content": 5}[tc.name]
		frames[at] = []byte(tc.frame)
		frames[1] = []byte(h.c.signer.sign(frames[2], frames[3], frames[4], frames[5]))
		if err := h.c.shell.SendMulti(zmqMsg(frames)); err != nil {
			t.Fatal(err)
		}
		reply := h.c.recv(h.c.shell, 5*time.Second)
		mustEqual(t, tc.name+": reply parent", parentID(reply), hdr.MsgID)
		mustEqual(t, tc.name+": reply type", reply.Header.MsgType, "execute_reply")
		c := content(t, reply)
		mustEqual(t, tc.name+": status", c["status"], "error")
		if ev, _ := c["evalue"].(string); !strings.Contains(ev, tc.name) {
			t.Errorf("%s: evalue %q does not name the bad frame", tc.name, ev)
		}
		iopub := h.c.iopubUntilIdle(hdr.MsgID, 5*time.Second)
		mustEqual(t, tc.name+": iopub", strings.Join(types(iopub), ","), "status,status")
	}
	if n := len(h.fake.executed()); n != 0 {
		t.Errorf("%d malformed execute_requests ran", n)
	}
	// A malformed message that is not a request has nobody to answer:
	// it is dropped, and the kernel still answers.
	hdr := newHeader(h.c.session, "comm_msg")
	frames, _ := encodeMessage(outgoing{header: hdr}, h.c.signer)
	frames[5] = []byte("{")
	frames[1] = []byte(h.c.signer.sign(frames[2], frames[3], frames[4], frames[5]))
	h.c.shell.SendMulti(zmqMsg(frames))
	reply, _ := h.c.request(h.c.shell, "kernel_info_request", map[string]any{})
	mustEqual(t, "kernel_info after malformed", content(t, reply)["status"], "ok")
}

// TestDecodeKeepsHeaderOfMalformedMessage checks what decodeMessage hands
// back with an error: the header when it is good, nothing when it is not.
func TestDecodeKeepsHeaderOfMalformedMessage(t *testing.T) {
	s := newSigner("")
	good := encodeForTest(t, s, "id")
	bad := append([][]byte(nil), good...)
	bad[6] = []byte("nope") // content
	m, err := decodeMessage(bad, s)
	if err == nil {
		t.Fatal("bad content accepted")
	}
	mustEqual(t, "msg_type", m.Header.MsgType, "execute_request")
	mustEqual(t, "identity", string(m.Identities[0]), "id")
	if len(m.RawHeader) == 0 {
		t.Error("raw header not kept")
	}
	// A header whose msg_type is good but another field has the wrong type
	// is not trusted at all.
	bad = append([][]byte(nil), good...)
	bad[3] = []byte(`{"msg_type": "execute_request", "msg_id": 5}`)
	m, err = decodeMessage(bad, s)
	if err == nil || m.Header.MsgType != "" || m.RawHeader != nil {
		t.Errorf("bad header: err=%v msg_type=%q raw=%s", err, m.Header.MsgType, m.RawHeader)
	}
}

// TestOversizedMessageIsRefused checks that a message over maxMessageSize
// is refused with an error that keeps its header (so it can be answered).
func TestOversizedMessageIsRefused(t *testing.T) {
	s := newSigner("k")
	hdr := newHeader("sess", "execute_request")
	big := strings.Repeat("x", maxMessageSize)
	frames, err := encodeMessage(outgoing{header: hdr, content: map[string]any{"code": "//" + big}}, s)
	if err != nil {
		t.Fatal(err)
	}
	m, err := decodeMessage(frames, newSigner("k"))
	if err == nil || !strings.Contains(err.Error(), "more than the limit") {
		t.Fatalf("err = %v, want the size limit", err)
	}
	mustEqual(t, "msg_id kept", m.Header.MsgID, hdr.MsgID)
	// Just under the limit is fine.
	frames, _ = encodeMessage(outgoing{header: hdr, content: map[string]any{"code": big[:maxMessageSize-1000]}}, s)
	if _, err := decodeMessage(frames, newSigner("k")); err != nil {
		t.Errorf("message under the limit: %v", err)
	}
}
