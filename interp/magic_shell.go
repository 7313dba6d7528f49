package interp

import (
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/goawait/goawait/kernel"
)

func init() {
	cellMagics["bash"] = magic{usage: "%%bash", doc: "run the cell as a bash script", run: func(m *magicCall) *kernel.ExecError {
		_, body, _ := strings.Cut(m.arg, "\n")
		return m.s.runShell(m, "bash", body)
	}}
	cellMagics["sh"] = magic{usage: "%%sh", doc: "run the cell as a sh script", run: func(m *magicCall) *kernel.ExecError {
		_, body, _ := strings.Cut(m.arg, "\n")
		return m.s.runShell(m, "sh", body)
	}}
}

// shellMagic runs `!command` with sh.
func shellMagic(m *magicCall) *kernel.ExecError {
	if m.arg == "" {
		return &kernel.ExecError{Name: "UsageError", Value: "! needs a command, e.g. !ls -l", Traceback: []string{"UsageError: ! needs a command, e.g. !ls -l"}}
	}
	return m.s.runShell(m, "sh", m.arg)
}

// runShell runs a script with shell in the kernel's working directory.
// Its output streams to the cell as it comes (through the session's
// stdout and stderr pipes); a failure shows the exit status on stderr;
// an interrupt kills the command and its children.
func (s *Session) runShell(m *magicCall, shell, script string) *kernel.ExecError {
	cmd := exec.Command(shell, "-c", script)
	cmd.Stdout, cmd.Stderr = s.stdout.w, s.stderr.w
	cmd.Stdin = nil
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	s.run.begin()
	defer s.run.end()
	if err := cmd.Start(); err != nil {
		return &kernel.ExecError{Name: "ShellError", Value: err.Error(), Traceback: []string{"ShellError: " + err.Error()}}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	interrupted := false
	select {
	case err = <-done:
	case <-s.run.interruptChan():
		interrupted = true
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		select {
		case err = <-done:
		case <-time.After(gracePeriod):
		}
	}
	s.flushOutput()
	if interrupted {
		return interruptedError("the command was killed")
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		m.stderr("(%s)\n", exit.ProcessState.String())
		return nil
	}
	if err != nil {
		return &kernel.ExecError{Name: "ShellError", Value: err.Error(), Traceback: []string{"ShellError: " + err.Error()}}
	}
	return nil
}
