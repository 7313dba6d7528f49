package kernel

import (
	"github.com/goawait/goawait/language"

	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestKernelInfoOnShellAndControl(t *testing.T) {
	h := startKernel(t)
	for _, s := range []struct {
		name string
		c    func() (Message, []Message)
	}{
		{"shell", func() (Message, []Message) { return h.c.request(h.c.shell, "kernel_info_request", map[string]any{}) }},
		{"control", func() (Message, []Message) { return h.c.request(h.c.control, "kernel_info_request", map[string]any{}) }},
	} {
		reply, iopub := s.c()
		mustEqual(t, s.name+" reply type", reply.Header.MsgType, "kernel_info_reply")
		mustEqual(t, s.name+" header version", reply.Header.Version, "5.5")
		c := content(t, reply)
		mustEqual(t, s.name+" protocol_version", c["protocol_version"], "5.5")
		mustEqual(t, s.name+" implementation", c["implementation"], "goawait")
		mustEqual(t, s.name+" implementation_version", c["implementation_version"], "0.0.1-test")
		mustEqual(t, s.name+" status", c["status"], "ok")
		li, _ := c["language_info"].(map[string]any)
		mustEqual(t, s.name+" language", li["name"], "go")
		mustEqual(t, s.name+" mimetype", li["mimetype"], "text/x-go")
		mustEqual(t, s.name+" iopub", strings.Join(types(iopub), ","), "status,status")
		mustEqual(t, s.name+" busy", content(t, iopub[0])["execution_state"], "busy")
		// The parent of busy/idle is the request header, byte for byte.
		if string(iopub[0].ParentHeader) != string(iopub[1].ParentHeader) {
			t.Errorf("busy and idle parents differ")
		}
		var parent Header
		json.Unmarshal(iopub[1].ParentHeader, &parent)
		mustEqual(t, s.name+" idle parent type", parent.MsgType, "kernel_info_request")
		mustEqual(t, s.name+" idle parent user", parent.Username, "tester")
	}
}

func TestExecuteOutputResultAndCount(t *testing.T) {
	h := startKernel(t)
	reply, iopub := h.c.execute("print:hello\n")
	mustEqual(t, "types", strings.Join(types(iopub), ","), "status,execute_input,stream,status")
	mustEqual(t, "stream text", content(t, iopub[2])["text"], "hello\n")
	mustEqual(t, "stream name", content(t, iopub[2])["name"], "stdout")
	mustEqual(t, "execute_input count", content(t, iopub[1])["execution_count"], 1)
	mustEqual(t, "execute_input code", content(t, iopub[1])["code"], "print:hello\n")
	c := content(t, reply)
	mustEqual(t, "status", c["status"], "ok")
	mustEqual(t, "count", c["execution_count"], 1)

	reply, iopub = h.c.execute("result:42")
	mustEqual(t, "types", strings.Join(types(iopub), ","), "status,execute_input,execute_result,status")
	r := content(t, iopub[2])
	mustEqual(t, "result count", r["execution_count"], 2)
	mustEqual(t, "result data", r["data"], map[string]any{"text/plain": "42"})
	mustEqual(t, "count", content(t, reply)["execution_count"], 2)

	_, iopub = h.c.execute("display:pic")
	mustEqual(t, "types", strings.Join(types(iopub), ","), "status,execute_input,display_data,clear_output,status")
	mustEqual(t, "display_id", content(t, iopub[2])["transient"], map[string]any{"display_id": "d1"})
}

func TestExecuteError(t *testing.T) {
	h := startKernel(t)
	reply, iopub := h.c.execute("error")
	mustEqual(t, "types", strings.Join(types(iopub), ","), "status,execute_input,error,status")
	e := content(t, iopub[2])
	mustEqual(t, "ename", e["ename"], "BoomError")
	mustEqual(t, "evalue", e["evalue"], "it broke")
	c := content(t, reply)
	mustEqual(t, "status", c["status"], "error")
	mustEqual(t, "ename", c["ename"], "BoomError")
	mustEqual(t, "traceback", c["traceback"], []any{"BoomError: it broke"})
}

func TestExecuteInterpreterPanicIsAnError(t *testing.T) {
	h := startKernel(t)
	reply, _ := h.c.execute("panic")
	c := content(t, reply)
	mustEqual(t, "status", c["status"], "error")
	mustEqual(t, "ename", c["ename"], "InternalError")
	// The kernel still works.
	reply, _ = h.c.execute("print:ok")
	mustEqual(t, "status after panic", content(t, reply)["status"], "ok")
}

func TestSilentAndStoreHistory(t *testing.T) {
	h := startKernel(t)
	h.c.execute("print:a")
	reply, iopub := h.c.request(h.c.shell, "execute_request", map[string]any{"code": "print:quiet", "silent": true})
	mustEqual(t, "silent iopub", strings.Join(types(iopub), ","), "status,status")
	mustEqual(t, "silent count", content(t, reply)["execution_count"], 1)
	reply, _ = h.c.request(h.c.shell, "execute_request", map[string]any{"code": "print:b", "store_history": false})
	mustEqual(t, "no-history count", content(t, reply)["execution_count"], 1)
	reply, _ = h.c.execute("print:c")
	mustEqual(t, "next count", content(t, reply)["execution_count"], 2)

	reply, _ = h.c.request(h.c.shell, "history_request", map[string]any{"hist_access_type": "tail", "n": 10, "output": false, "raw": true})
	hist := content(t, reply)["history"].([]any)
	mustEqual(t, "history", hist, []any{[]any{1, 1, "print:a"}, []any{1, 2, "print:c"}})
}

func TestStopOnErrorAbortsQueuedCells(t *testing.T) {
	h := startKernel(t)
	first := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "slowerror"})
	second := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "print:x"})
	third := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "print:y"})
	want := map[string]string{first.MsgID: "error", second.MsgID: "aborted", third.MsgID: "aborted"}
	for range 3 {
		reply := h.c.recv(h.c.shell, 5*time.Second)
		mustEqual(t, "status of "+parentID(reply), content(t, reply)["status"], want[parentID(reply)])
	}
	for _, c := range h.fake.executed() {
		if c.Code != "slowerror" && c.Code != "print:notqueued" {
			t.Errorf("aborted cell %q was run", c.Code)
		}
	}
	// A request sent after the failure runs normally.
	reply, _ := h.c.execute("print:after")
	mustEqual(t, "status after abort", content(t, reply)["status"], "ok")

	// stop_on_error false: queued cells run.
	h.c.send(h.c.shell, "execute_request", map[string]any{"code": "slowerror", "stop_on_error": false})
	next := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "print:z"})
	h.c.recv(h.c.shell, 5*time.Second)
	reply = h.c.recv(h.c.shell, 5*time.Second)
	mustEqual(t, "parent", parentID(reply), next.MsgID)
	mustEqual(t, "status without stop_on_error", content(t, reply)["status"], "ok")
}

func TestInterruptWhileCellBlocks(t *testing.T) {
	h := startKernel(t)
	cell := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "block"})
	time.Sleep(100 * time.Millisecond)

	// Control answers while the cell runs.
	start := time.Now()
	reply, _ := h.c.request(h.c.control, "kernel_info_request", map[string]any{})
	mustEqual(t, "control reply", reply.Header.MsgType, "kernel_info_reply")
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("control answered after %v while a cell ran", d)
	}

	reply, _ = h.c.request(h.c.control, "interrupt_request", map[string]any{})
	mustEqual(t, "interrupt reply", reply.Header.MsgType, "interrupt_reply")
	mustEqual(t, "interrupt status", content(t, reply)["status"], "ok")
	cellReply := h.c.recv(h.c.shell, 5*time.Second)
	mustEqual(t, "cell parent", parentID(cellReply), cell.MsgID)
	mustEqual(t, "cell ename", content(t, cellReply)["ename"], "Interrupted")
}

func TestInputRoundTrip(t *testing.T) {
	h := startKernel(t)
	cell := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "input", "allow_stdin": true})
	var req Message
	select {
	case req = <-h.c.stdinMsgs:
	case <-time.After(5 * time.Second):
		t.Fatal("no input_request")
	}
	mustEqual(t, "stdin type", req.Header.MsgType, "input_request")
	mustEqual(t, "prompt", content(t, req)["prompt"], "name? ")
	mustEqual(t, "input_request parent", parentID(req), cell.MsgID)

	hdr := newHeader(h.c.session, "input_reply")
	frames, _ := encodeMessage(outgoing{header: hdr, parent: req.RawHeader, content: map[string]any{"value": "Ada"}}, h.c.signer)
	if err := h.c.stdin.SendMulti(zmqMsg(frames)); err != nil {
		t.Fatal(err)
	}
	reply := h.c.recv(h.c.shell, 5*time.Second)
	mustEqual(t, "status", content(t, reply)["status"], "ok")
	iopub := h.c.iopubUntilIdle(cell.MsgID, 5*time.Second)
	var text string
	for _, m := range iopub {
		if m.Header.MsgType == "stream" {
			text += content(t, m)["text"].(string)
		}
	}
	mustEqual(t, "printed", text, "got Ada")
}

func TestInputNotAllowed(t *testing.T) {
	h := startKernel(t)
	reply, _ := h.c.request(h.c.shell, "execute_request", map[string]any{"code": "input", "allow_stdin": false})
	c := content(t, reply)
	mustEqual(t, "ename", c["ename"], "InputError")
	mustEqual(t, "evalue", c["evalue"], errNoStdin.Error())
}

func TestInterruptWhileWaitingForInput(t *testing.T) {
	h := startKernel(t)
	cell := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "input", "allow_stdin": true})
	select {
	case <-h.c.stdinMsgs:
	case <-time.After(5 * time.Second):
		t.Fatal("no input_request")
	}
	h.c.request(h.c.control, "interrupt_request", map[string]any{})
	reply := h.c.recv(h.c.shell, 5*time.Second)
	mustEqual(t, "parent", parentID(reply), cell.MsgID)
	mustEqual(t, "evalue", content(t, reply)["evalue"], errInputInterrupted.Error())
}

func TestStreamCoalescing(t *testing.T) {
	h := startKernel(t)
	const n = 100000
	reply, iopub := h.c.execute("many:100000")
	mustEqual(t, "status", content(t, reply)["status"], "ok")
	var b strings.Builder
	streams := 0
	for _, m := range iopub {
		if m.Header.MsgType == "stream" {
			streams++
			b.WriteString(content(t, m)["text"].(string))
		}
	}
	if streams > 50 {
		t.Errorf("%d stream messages for %d writes, want at most 50", streams, n)
	}
	var want strings.Builder
	for i := range n {
		want.WriteString("line " + itoa(i) + "\n")
	}
	if b.String() != want.String() {
		t.Errorf("streamed text differs from what was written (%d bytes, want %d)", b.Len(), want.Len())
	}
}

func TestStdoutStderrOrderKept(t *testing.T) {
	h := startKernel(t)
	_, iopub := h.c.execute("mixed")
	var got []string
	for _, m := range iopub {
		if m.Header.MsgType == "stream" {
			c := content(t, m)
			got = append(got, c["name"].(string)+"="+c["text"].(string))
		}
	}
	mustEqual(t, "streams", got, []string{"stdout=ab", "stderr=c", "stdout=d"})
}

func TestBackgroundOutputGoesToItsCell(t *testing.T) {
	h := startKernel(t)
	bg := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "background"})
	h.c.recv(h.c.shell, 5*time.Second)
	h.c.execute("print:other")
	deadline := time.After(3 * time.Second)
	for {
		select {
		case m := <-h.c.iopubMsgs:
			if m.Header.MsgType == "stream" && content(t, m)["text"] == "late" {
				mustEqual(t, "late output parent", parentID(m), bg.MsgID)
				return
			}
		case <-deadline:
			t.Fatal("background output never arrived")
		}
	}
}

func TestCompleteInspectIsComplete(t *testing.T) {
	h := startKernel(t)
	reply, _ := h.c.request(h.c.shell, "complete_request", map[string]any{"code": "fmt.Pr", "cursor_pos": 6})
	c := content(t, reply)
	mustEqual(t, "matches", c["matches"], []any{"Println", "Printf"})
	mustEqual(t, "cursor_start", c["cursor_start"], 4)
	mustEqual(t, "cursor_end", c["cursor_end"], 6)
	mustEqual(t, "status", c["status"], "ok")

	reply, _ = h.c.request(h.c.shell, "inspect_request", map[string]any{"code": "Println", "cursor_pos": 3, "detail_level": 0})
	c = content(t, reply)
	mustEqual(t, "found", c["found"], true)
	mustEqual(t, "data", c["data"], map[string]any{"text/plain": "func Println"})

	reply, _ = h.c.request(h.c.shell, "is_complete_request", map[string]any{"code": "func f() {"})
	c = content(t, reply)
	mustEqual(t, "is_complete", c["status"], "incomplete")
	mustEqual(t, "indent", c["indent"], "\t")
	reply, _ = h.c.request(h.c.shell, "is_complete_request", map[string]any{"code": "x := 1"})
	mustEqual(t, "is_complete", content(t, reply)["status"], "complete")
}

func TestCommsAndUnknownMessages(t *testing.T) {
	h := startKernel(t)
	reply, _ := h.c.request(h.c.shell, "comm_info_request", map[string]any{})
	mustEqual(t, "comms", content(t, reply)["comms"], map[string]any{})

	open := h.c.send(h.c.shell, "comm_open", map[string]any{"comm_id": "c1", "target_name": "jupyter.widget", "data": map[string]any{}})
	iopub := h.c.iopubUntilIdle(open.MsgID, 5*time.Second)
	mustEqual(t, "comm_open iopub", strings.Join(types(iopub), ","), "status,comm_close,status")
	mustEqual(t, "closed comm", content(t, iopub[1])["comm_id"], "c1")

	reply, _ = h.c.request(h.c.shell, "frobnicate_request", map[string]any{})
	mustEqual(t, "unknown reply type", reply.Header.MsgType, "frobnicate_reply")
	c := content(t, reply)
	mustEqual(t, "unknown status", c["status"], "error")
	mustEqual(t, "unknown ename", c["ename"], "UnknownMessageType")

	// Requests that enter the interpreter are not served on control,
	// where they would run beside a cell.
	reply, _ = h.c.request(h.c.control, "execute_request", map[string]any{"code": "print:x"})
	mustEqual(t, "execute on control", content(t, reply)["status"], "error")
	if len(h.fake.executed()) != 0 {
		t.Errorf("execute_request on control ran a cell")
	}

	// Wrong content types get an error reply, not a crash.
	reply, _ = h.c.request(h.c.shell, "complete_request", map[string]any{"code": 5})
	mustEqual(t, "bad content status", content(t, reply)["status"], "error")
	reply, _ = h.c.request(h.c.shell, "kernel_info_request", map[string]any{})
	mustEqual(t, "still alive", content(t, reply)["status"], "ok")
}

func TestBadSignatureIsDropped(t *testing.T) {
	h := startKernel(t)
	hdr := newHeader(h.c.session, "kernel_info_request")
	frames, _ := encodeMessage(outgoing{header: hdr, content: map[string]any{}}, newSigner("wrong key"))
	if err := h.c.shell.SendMulti(zmqMsg(frames)); err != nil {
		t.Fatal(err)
	}
	// Replay a correctly signed message: answered once only.
	good := newHeader(h.c.session, "kernel_info_request")
	frames, _ = encodeMessage(outgoing{header: good, content: map[string]any{}}, h.c.signer)
	h.c.shell.SendMulti(zmqMsg(frames))
	h.c.shell.SendMulti(zmqMsg(frames))
	reply := h.c.recv(h.c.shell, 5*time.Second)
	mustEqual(t, "answered", parentID(reply), good.MsgID)
	// Nothing else comes: the next reply is for a fresh request.
	next, _ := h.c.request(h.c.shell, "kernel_info_request", map[string]any{})
	mustEqual(t, "reply type", next.Header.MsgType, "kernel_info_reply")
}

func TestShutdown(t *testing.T) {
	for _, restart := range []bool{false, true} {
		h := startKernel(t)
		reply, _ := h.c.request(h.c.control, "shutdown_request", map[string]any{"restart": restart})
		mustEqual(t, "reply type", reply.Header.MsgType, "shutdown_reply")
		mustEqual(t, "restart echoed", content(t, reply)["restart"], restart)
		select {
		case <-h.done:
		case <-time.After(5 * time.Second):
			t.Fatal("Serve did not return after shutdown_request")
		}
		mustEqual(t, "Serve restart", h.result.restart, restart)
		if h.result.err != nil {
			t.Errorf("Serve: %v", h.result.err)
		}
		h.fake.mu.Lock()
		mustEqual(t, "interpreter shut down", h.fake.shutdown, true)
		h.fake.mu.Unlock()
	}
}

func TestShutdownOnShell(t *testing.T) {
	h := startKernel(t)
	reply, _ := h.c.request(h.c.shell, "shutdown_request", map[string]any{"restart": false})
	mustEqual(t, "reply type", reply.Header.MsgType, "shutdown_reply")
	select {
	case <-h.done:
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
}

func TestServeStopsWhenContextDone(t *testing.T) {
	k, err := New(Config{Connection: ConnectionInfo{IP: "127.0.0.1"}, Interpreter: newFakeInterp()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := k.Serve(ctx)
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its context was cancelled")
	}
	if _, err := k.Serve(context.Background()); err == nil {
		t.Error("second Serve did not fail")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	if _, err := New(Config{Connection: ConnectionInfo{IP: "127.0.0.1"}}); err == nil {
		t.Error("New without an Interpreter did not fail")
	}
	both := Config{Connection: ConnectionInfo{IP: "127.0.0.1"}, Interpreter: newFakeInterp(),
		NewInterpreter: func() (language.Interpreter, error) { return newFakeInterp(), nil }}
	if _, err := New(both); err == nil {
		t.Error("New with both Interpreter and NewInterpreter did not fail")
	}
	if _, err := New(Config{Connection: ConnectionInfo{IP: "127.0.0.1", SignatureScheme: "hmac-sha1"}, Interpreter: newFakeInterp()}); err == nil {
		t.Error("New with hmac-sha1 did not fail")
	}
}

func TestRequestsWaitForAnInterpreterThatIsStarting(t *testing.T) {
	release := make(chan struct{})
	fake := newFakeInterp()
	k, err := New(Config{
		Connection: ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: testKey, SignatureScheme: "hmac-sha256"},
		NewInterpreter: func() (language.Interpreter, error) {
			<-release
			return fake, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := k.Serve(context.Background()); err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		k.stop(false)
		<-done
	})
	c := dialKernel(t, k.Connection())
	defer c.close()
	h := c.send(c.shell, "kernel_info_request", map[string]any{})
	time.Sleep(100 * time.Millisecond)
	close(release)
	reply := c.recv(c.shell, 5*time.Second)
	mustEqual(t, "reply parent", parentID(reply), h.MsgID)
	mustEqual(t, "reply type", reply.Header.MsgType, "kernel_info_reply")
}

func TestServeFailsWhenTheInterpreterCannotStart(t *testing.T) {
	k, err := New(Config{
		Connection:     ConnectionInfo{IP: "127.0.0.1"},
		NewInterpreter: func() (language.Interpreter, error) { return nil, errors.New("no symbols") },
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = k.Serve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no symbols") {
		t.Fatalf("Serve = %v, want the interpreter's error", err)
	}
}
