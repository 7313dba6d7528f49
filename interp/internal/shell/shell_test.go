package shell

import (
	"os"
	"syscall"
	"testing"
)

// TestProcStatReadsOwnProcess: procStat finds the fields KillStrays
// relies on (after the command name, which may hold spaces and ")").
func TestProcStatReadsOwnProcess(t *testing.T) {
	me, ok := procStat(os.Getpid())
	if !ok {
		t.Skip("no /proc")
	}
	if me.state == 0 || me.ppid != os.Getppid() || me.pgrp != syscall.Getpgrp() {
		t.Fatalf("procStat(self) = %+v", me)
	}
}
