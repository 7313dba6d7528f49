package interp

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// alive reports whether pid is a live (not zombie) process.
func alive(pid int) bool {
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil {
		// "pid (comm) state ...": comm may hold anything.
		i := bytes.LastIndexByte(b, ')')
		return i < 0 || !bytes.HasPrefix(b[i+1:], []byte(" Z"))
	}
	return syscall.Kill(pid, 0) == nil
}

// TestShutdownKillsWhatShellCommandsLeftRunning: `!cmd &` leaves a process
// in the command's group after the cell ends; Shutdown ends it, SIGKILLing
// one that ignores SIGTERM, within a second. (The test binary leads no
// session or group, so this is the `!cmd` group rule alone.)
func TestShutdownKillsWhatShellCommandsLeftRunning(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{t: t, s: s}
	pids := map[string]int{}
	for name, cmd := range map[string]string{
		"sleep":        "!sleep 1000 & echo $!",
		"ignores TERM": `!sh -c 'trap "" TERM; while :; do sleep 1; done' & echo $!`,
	} {
		out := strings.TrimSpace(r.ok(cmd).out("stdout"))
		pid, err := strconv.Atoi(out)
		if err != nil {
			s.Shutdown()
			t.Fatalf("%s: printed %q", name, out)
		}
		pids[name] = pid
		t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	}
	time.Sleep(100 * time.Millisecond) // let the trap be set
	for name, pid := range pids {
		if !alive(pid) {
			t.Fatalf("%s (%d) is not running after its cell", name, pid)
		}
	}
	start := time.Now()
	s.Shutdown()
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Shutdown took %v", took)
	}
	deadline := time.Now().Add(time.Second)
	for name, pid := range pids {
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if alive(pid) {
			t.Errorf("%s (%d) still runs after Shutdown", name, pid)
		}
	}
}
