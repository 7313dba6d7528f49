package interp

import (
	"github.com/goawait/goawait/language"
)

// runShell runs a script with shell in the kernel's working directory,
// for a magic. Its output streams to the cell as it comes (through the
// session's stdout and stderr pipes); an interrupt kills the command and
// its children. status is the exit status of a command that failed.
func (s *Session) runShell(shell, script string) (status string, _ *language.ExecError) {
	if s.run.interrupted.Load() {
		return "", interruptedError("")
	}
	status, interrupted, err := s.shells.Run(shell, script, s.stdout.File(), s.stderr.File(), s.run.interruptChan(), gracePeriod)
	s.flushOutput()
	if err != nil {
		return "", shellError(err)
	}
	if interrupted {
		return "", interruptedError("the command was killed")
	}
	return status, nil
}

// shellError is the error of a command that could not be run.
func shellError(err error) *language.ExecError {
	return &language.ExecError{Name: "ShellError", Value: err.Error(), Traceback: []string{"ShellError: " + err.Error()}}
}
