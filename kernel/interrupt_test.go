package kernel

import (
	"context"
	"testing"
	"time"

	"github.com/goawait/goawait/language"
)

func TestInterruptMethodInterruptsTheCell(t *testing.T) {
	h := startKernel(t)
	cell := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "block"})
	h.k.Interrupt()
	reply := h.c.recv(h.c.shell, 5*time.Second)
	mustEqual(t, "parent", parentID(reply), cell.MsgID)
	mustEqual(t, "Interrupt interrupts the cell", content(t, reply)["ename"], "Interrupted")
}

func TestInterruptBeforeTheInterpreterStartsDoesNothing(t *testing.T) {
	release := make(chan struct{})
	fake := newFakeInterp()
	k, err := New(Config{
		Connection:     ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: testKey},
		NewInterpreter: func() (language.Interpreter, error) { <-release; return fake, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := k.Serve(context.Background()); done <- err }()
	k.Interrupt() // the interpreter does not exist yet: nothing to interrupt, no panic
	close(release)
	c := dialKernel(t, k.Connection())
	defer c.close()
	c.waitReady()
	// The kernel serves as usual afterwards.
	c.send(c.shell, "execute_request", map[string]any{"code": "print:ran"})
	reply := c.recv(c.shell, 5*time.Second)
	mustEqual(t, "status", content(t, reply)["status"], "ok")
	k.stop(false)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
