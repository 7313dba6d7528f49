package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/google/uuid"
)

const testKey = "secret-test-key"

// testClient is a minimal Jupyter client: DEALER sockets on shell,
// control and stdin (sharing one identity, as jupyter_client does) and a
// SUB on iopub.
type testClient struct {
	t                     *testing.T
	shell, control, stdin zmq4.Socket
	iopub                 zmq4.Socket
	signer                *signer
	session               string
	iopubMsgs             chan Message
	stdinMsgs             chan Message
}

// harness is a running kernel with a fake interpreter and a client.
type harness struct {
	k      *Kernel
	fake   *fakeInterp
	c      *testClient
	done   chan struct{}
	result struct {
		restart bool
		err     error
	}
}

// startKernel starts a kernel on random ports with its history in
// memory, connects a client and waits until iopub delivers.
func startKernel(t *testing.T, options ...func(*Config)) *harness {
	t.Helper()
	fake := newFakeInterp()
	cfg := Config{
		Connection:            ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: testKey, SignatureScheme: "hmac-sha256"},
		Interpreter:           fake,
		Logger:                slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		ImplementationVersion: "0.0.1-test",
	}
	for _, o := range options {
		o(&cfg)
	}
	k, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h := &harness{k: k, fake: fake, done: make(chan struct{})}
	go func() {
		defer close(h.done)
		h.result.restart, h.result.err = k.Serve(context.Background())
	}()
	h.c = dialKernel(t, k.Connection())
	t.Cleanup(func() {
		h.c.close()
		k.stop(false)
		select {
		case <-h.done:
		case <-time.After(5 * time.Second):
			t.Errorf("kernel did not stop")
		}
	})
	h.c.waitReady()
	return h
}

func dialKernel(t *testing.T, info ConnectionInfo) *testClient {
	t.Helper()
	ctx := context.Background()
	id := zmq4.SocketIdentity(uuid.NewString())
	c := &testClient{
		t:         t,
		shell:     zmq4.NewDealer(ctx, zmq4.WithID(id)),
		control:   zmq4.NewDealer(ctx, zmq4.WithID(id)),
		stdin:     zmq4.NewDealer(ctx, zmq4.WithID(id)),
		iopub:     zmq4.NewSub(ctx),
		signer:    newSigner(info.Key),
		session:   uuid.NewString(),
		iopubMsgs: make(chan Message, 100000),
		stdinMsgs: make(chan Message, 16),
	}
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{c.shell, info.ShellPort}, {c.control, info.ControlPort}, {c.stdin, info.StdinPort}, {c.iopub, info.IOPubPort}} {
		if err := d.s.Dial(info.endpoint(d.port)); err != nil {
			t.Fatalf("dial: %v", err)
		}
	}
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	go c.pump(c.iopub, c.iopubMsgs)
	go c.pump(c.stdin, c.stdinMsgs)
	return c
}

// pump decodes messages from s into ch until s is closed.
func (c *testClient) pump(s zmq4.Socket, ch chan Message) {
	for {
		raw, err := s.Recv()
		if err != nil {
			return
		}
		m, err := decodeMessage(raw.Frames, c.signer)
		if err != nil {
			c.t.Errorf("client cannot decode a kernel message: %v", err)
			continue
		}
		ch <- m
	}
}

func (c *testClient) close() {
	for _, s := range []zmq4.Socket{c.shell, c.control, c.stdin, c.iopub} {
		s.Close()
	}
}

// send sends a request on s and returns its header.
func (c *testClient) send(s zmq4.Socket, msgType string, content any) Header {
	c.t.Helper()
	h := newHeader(c.session, msgType)
	h.Username = "tester"
	frames, err := encodeMessage(outgoing{header: h, content: content}, c.signer)
	if err != nil {
		c.t.Fatalf("encode: %v", err)
	}
	if err := s.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatalf("send %s: %v", msgType, err)
	}
	return h
}

// recv reads one message from s within timeout.
func (c *testClient) recv(s zmq4.Socket, timeout time.Duration) Message {
	c.t.Helper()
	type result struct {
		m   Message
		err error
	}
	ch := make(chan result, 1)
	go func() {
		raw, err := s.Recv()
		if err != nil {
			ch <- result{err: err}
			return
		}
		m, err := decodeMessage(raw.Frames, c.signer)
		ch <- result{m, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			c.t.Fatalf("recv: %v", r.err)
		}
		return r.m
	case <-time.After(timeout):
		c.t.Fatalf("no reply within %v", timeout)
	}
	return Message{}
}

// parentID is the msg_id of m's parent header.
func parentID(m Message) string {
	var p struct {
		MsgID string `json:"msg_id"`
	}
	json.Unmarshal(m.ParentHeader, &p)
	return p.MsgID
}

// content decodes m's content into a map.
func content(t *testing.T, m Message) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(m.Content, &v); err != nil {
		t.Fatalf("content of %s: %v", m.Header.MsgType, err)
	}
	return v
}

// iopubUntilIdle collects the iopub messages whose parent is msgID, from
// busy to idle included.
func (c *testClient) iopubUntilIdle(msgID string, timeout time.Duration) []Message {
	c.t.Helper()
	var got []Message
	deadline := time.After(timeout)
	for {
		select {
		case m := <-c.iopubMsgs:
			if parentID(m) != msgID {
				continue
			}
			got = append(got, m)
			if m.Header.MsgType == "status" && content(c.t, m)["execution_state"] == "idle" {
				return got
			}
		case <-deadline:
			c.t.Fatalf("no idle for %s within %v; got %d messages", msgID, timeout, len(got))
		}
	}
}

// waitReady polls kernel_info until iopub delivers its idle, as Jupyter
// clients do (PUB drops what is sent before SUB joins).
func (c *testClient) waitReady() {
	c.t.Helper()
	for i := 0; i < 50; i++ {
		h := c.send(c.shell, "kernel_info_request", map[string]any{})
		c.recv(c.shell, 5*time.Second)
		deadline := time.After(200 * time.Millisecond)
	wait:
		for {
			select {
			case m := <-c.iopubMsgs:
				if parentID(m) == h.MsgID && m.Header.MsgType == "status" && content(c.t, m)["execution_state"] == "idle" {
					return
				}
			case <-deadline:
				break wait
			}
		}
	}
	c.t.Fatal("iopub never delivered")
}

// request sends a request on s and returns the reply and the iopub
// messages it caused (busy ... idle).
func (c *testClient) request(s zmq4.Socket, msgType string, body any) (Message, []Message) {
	c.t.Helper()
	h := c.send(s, msgType, body)
	reply := c.recv(s, 5*time.Second)
	if parentID(reply) != h.MsgID {
		c.t.Fatalf("reply parent %s, want %s", parentID(reply), h.MsgID)
	}
	return reply, c.iopubUntilIdle(h.MsgID, 5*time.Second)
}

// execute runs code with default options.
func (c *testClient) execute(code string) (Message, []Message) {
	c.t.Helper()
	return c.request(c.shell, "execute_request", map[string]any{"code": code, "silent": false, "store_history": true, "allow_stdin": false})
}

// types lists the msg_types of msgs.
func types(msgs []Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Header.MsgType
	}
	return out
}

// mustEqual fails when got != want (as printed).
func mustEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// zmqMsg wraps frames in a zmq4 message.
func zmqMsg(frames [][]byte) zmq4.Msg { return zmq4.NewMsgFrom(frames...) }

// itoa formats i in base 10.
func itoa(i int) string { return fmt.Sprint(i) }
