package kernel

import (
	"testing"
	"time"
)

// A request sent after a failed cell's reply arrived is not one that was
// queued behind the failure: it runs.
func TestRequestSentAfterAFailedCellsReplyRuns(t *testing.T) {
	h := startKernel(t)
	for i := range 30 {
		h.c.send(h.c.shell, "execute_request", map[string]any{"code": "error"})
		mustEqual(t, "failed cell", content(t, h.c.recv(h.c.shell, 5*time.Second))["status"], "error")
		h.c.send(h.c.shell, "execute_request", map[string]any{"code": "print:x"})
		if got := content(t, h.c.recv(h.c.shell, 5*time.Second))["status"]; got != "ok" {
			t.Fatalf("round %d: the next cell's status is %v, want ok", i, got)
		}
	}
}
