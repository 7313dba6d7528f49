//go:build unix

package gateway

import (
	"os"
	"syscall"
)

// processGroup is this process's group id, which the gateway signals when
// the communication port does not answer.
func processGroup() int { return syscall.Getpgrp() }

// signalSelf sends signal signum to this process, as the gateway's own
// launchers do for the signals a kernel does not handle itself.
func signalSelf(signum int) error {
	return syscall.Kill(os.Getpid(), syscall.Signal(signum))
}
