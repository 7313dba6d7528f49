package kernel

import (
	"testing"
	"time"
)

// TestOutputKeepsItsOrderAcrossCells: a task of an earlier cell prints,
// then the running cell does: the task's line arrives first, although
// each cell's publisher holds text back for a while to batch it.
func TestOutputKeepsItsOrderAcrossCells(t *testing.T) {
	h := startKernel(t)
	first, _ := h.c.execute("keep")
	firstID := parentID(first)

	// While a later cell runs.
	second := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "kept:early,late"})
	h.c.recv(h.c.shell, 5*time.Second)
	mustEqual(t, "while a cell runs", streamsUntil(t, h.c, second.MsgID, "late"),
		[]string{second.MsgID + "=execute_input", firstID + "=early", second.MsgID + "=late"})

	// Between cells: before the next cell's own messages.
	h.fake.keptPublisher().Stream("stdout", "between")
	third := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "print:next"})
	h.c.recv(h.c.shell, 5*time.Second)
	mustEqual(t, "between cells", streamsUntil(t, h.c, third.MsgID, "next"),
		[]string{firstID + "=between", third.MsgID + "=execute_input", third.MsgID + "=next"})
}

// streamsUntil lists the stream texts (and the execute_input of cell)
// arriving on iopub, as "parent=text", until cell's idle, and until last
// has arrived.
func streamsUntil(t *testing.T, c *testClient, cell, last string) []string {
	t.Helper()
	var got []string
	idle, seen := false, false
	deadline := time.After(5 * time.Second)
	for !idle || !seen {
		select {
		case m := <-c.iopubMsgs:
			switch {
			case m.Header.MsgType == "stream":
				text := content(t, m)["text"].(string)
				got = append(got, parentID(m)+"="+text)
				seen = seen || text == last
			case m.Header.MsgType == "execute_input" && parentID(m) == cell:
				got = append(got, cell+"=execute_input")
			case m.Header.MsgType == "status" && parentID(m) == cell && content(t, m)["execution_state"] == "idle":
				idle = true
			}
		case <-deadline:
			t.Fatalf("waiting for %q and the idle of %s, got %q", last, cell, got)
		}
	}
	return got
}
