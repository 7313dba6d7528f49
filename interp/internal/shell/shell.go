// Package shell runs the shell commands a notebook cell asks for (`!cmd`
// lines and %%bash cells) and ends, when the kernel shuts down, the
// processes such commands and cells left running.
//
// Every command runs in its own process group, so that an interrupt kills
// the command and all its children; Groups remembers those groups.
package shell

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Run runs script with shell (e.g. "/bin/sh") in the current working
// directory, in a process group of its own that g remembers. The
// command's output goes to stdout and stderr as it comes. A value on
// interrupt kills the command's group; Run then waits up to grace for
// the command to end and reports interrupted. status is the exit status
// of a command that failed ("exit status 2"), empty if it succeeded; err
// is set when the command could not be run.
func (g *Groups) Run(shell, script string, stdout, stderr io.Writer, interrupt <-chan struct{}, grace time.Duration) (status string, interrupted bool, err error) {
	cmd := exec.Command(shell, "-c", script)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.Stdin = nil
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return "", false, err
	}
	g.add(cmd.Process.Pid)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-interrupt:
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		select {
		case <-done:
		case <-time.After(grace):
		}
		return "", true, nil
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ProcessState.String(), false, nil
	}
	if err != nil {
		return "", false, err
	}
	return "", false, nil
}

// Groups remembers the process groups of `!cmd` and %%bash commands
// (each runs in its own group), so that KillStrays can end what they left
// running in the background (`!sleep 1000 &`).
type Groups struct {
	mu    sync.Mutex
	pgids map[int]bool
}

// add records a new group and forgets the groups that have no process
// left.
func (g *Groups) add(pgid int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.pgids == nil {
		g.pgids = map[int]bool{}
	}
	for p := range g.pgids {
		if syscall.Kill(-p, 0) == syscall.ESRCH {
			delete(g.pgids, p)
		}
	}
	g.pgids[pgid] = true
}

func (g *Groups) list() []int {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []int
	for p := range g.pgids {
		out = append(out, p)
	}
	return out
}

// strayGrace is how long processes get to end after SIGTERM at shutdown
// before they are killed.
const strayGrace = 500 * time.Millisecond

// KillStrays ends, at shutdown, the processes the commands and cells left
// running: SIGTERM, then SIGKILL to what is still there after strayGrace.
// Which processes:
//
//   - every process of the kernel's session, if the kernel leads one
//     (jupyter_client starts kernels with start_new_session): children
//     started with os/exec, their children, and `!cmd` groups;
//   - every process of the kernel's process group, if it leads it (a
//     kernel started by hand from a shell);
//   - the process groups of `!cmd` commands, in the kernel's session.
//
// Out of reach: processes that left the session (setsid, daemons), and
// everything if the kernel is killed with SIGKILL (jupyter_client then
// kills the kernel's process group, which `!cmd` groups are not part of).
// Without /proc (not Linux), only `!cmd` groups are killed.
func (g *Groups) KillStrays() {
	self := os.Getpid()
	me, ok := procStat(self)
	if !ok {
		for _, g := range g.list() {
			_ = syscall.Kill(-g, syscall.SIGKILL)
		}
		return
	}
	groups := map[int]bool{}
	for _, g := range g.list() {
		groups[g] = true
	}
	strays := func() []int {
		var out []int
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || pid == self {
				continue
			}
			p, ok := procStat(pid)
			if !ok || p.state == 'Z' {
				continue
			}
			if (me.sid == self && p.sid == self) || (me.pgrp == self && p.pgrp == self) ||
				(p.sid == me.sid && groups[p.pgrp]) {
				out = append(out, pid)
			}
		}
		return out
	}
	left := strays()
	if len(left) == 0 {
		return
	}
	for _, pid := range left {
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
	deadline := time.Now().Add(strayGrace)
	for len(left) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		left = strays()
	}
	for _, pid := range left {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// procInfo is what KillStrays needs of /proc/PID/stat.
type procInfo struct {
	state           byte
	ppid, pgrp, sid int
}

func procStat(pid int) (procInfo, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procInfo{}, false
	}
	// "pid (comm) state ppid pgrp session ...": comm may hold anything.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return procInfo{}, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 4 || len(f[0]) != 1 {
		return procInfo{}, false
	}
	var p procInfo
	p.state = f[0][0]
	var e1, e2, e3 error
	p.ppid, e1 = strconv.Atoi(f[1])
	p.pgrp, e2 = strconv.Atoi(f[2])
	p.sid, e3 = strconv.Atoi(f[3])
	return p, e1 == nil && e2 == nil && e3 == nil
}
