//go:build unix

package gateway

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"
)

func TestOtherSignalsGoToTheProcess(t *testing.T) {
	got := make(chan os.Signal, 1)
	signal.Notify(got, syscall.SIGUSR1)
	defer signal.Stop(got)
	addr, k, _ := serveFake(t)
	send(t, addr, fmt.Sprintf(`{"signum": %d}`, syscall.SIGUSR1))
	if s := <-got; s != syscall.SIGUSR1 {
		t.Fatalf("got %v", s)
	}
	select {
	case c := <-k.calls:
		t.Errorf("SIGUSR1 also did %s", c)
	default:
	}
}
