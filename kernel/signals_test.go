package kernel

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

func TestSignals(t *testing.T) {
	h := startKernel(t, func(c *Config) { c.HandleSignals = true })
	cell := h.c.send(h.c.shell, "execute_request", map[string]any{"code": "block"})
	time.Sleep(100 * time.Millisecond)
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	reply := h.c.recv(h.c.shell, 5*time.Second)
	mustEqual(t, "parent", parentID(reply), cell.MsgID)
	mustEqual(t, "SIGINT interrupts the cell", content(t, reply)["ename"], "Interrupted")

	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.done:
		mustEqual(t, "restart after SIGTERM", h.result.restart, false)
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not stop the kernel")
	}
}

func TestParentDeathStopsKernel(t *testing.T) {
	parent := exec.Command("sleep", "30")
	if err := parent.Start(); err != nil {
		t.Skipf("cannot start a stand-in parent: %v", err)
	}
	if !processAlive(parent.Process.Pid) {
		t.Fatal("live process reported dead")
	}
	h := startKernel(t, func(c *Config) { c.WatchParentPID = parent.Process.Pid })
	parent.Process.Kill()
	parent.Wait()
	if processAlive(parent.Process.Pid) {
		t.Fatal("dead process reported alive")
	}
	select {
	case <-h.done:
	case <-time.After(4 * time.Second):
		t.Fatal("kernel outlived its parent")
	}
}
