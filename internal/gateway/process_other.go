//go:build !unix

package gateway

import "fmt"

// processGroup is 0 where processes have no group: the gateway then
// leaves the field out of its records.
func processGroup() int { return 0 }

// signalSelf fails: without Unix signals only interrupt, the liveness
// poll and termination (handled before this) can be done.
func signalSelf(signum int) error {
	return fmt.Errorf("signal %d cannot be delivered on this platform", signum)
}
