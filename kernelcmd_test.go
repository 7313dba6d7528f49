package main

import (
	"bytes"
	"strings"
	"testing"
)

// clearGatewayEnv empties the variables a remote launch reads.
func clearGatewayEnv(t *testing.T) {
	for _, name := range []string{"KERNEL_ID", "RESPONSE_ADDRESS", "EG_RESPONSE_ADDRESS", "PUBLIC_KEY", "EG_PUBLIC_KEY", "PORT_RANGE", "EG_PORT_RANGE"} {
		t.Setenv(name, "")
	}
}

func TestKernelCommandRefusesLaunchFlagsWithAConnectionFile(t *testing.T) {
	clearGatewayEnv(t)
	var out, errs bytes.Buffer
	code := run([]string{"kernel", "--kernel-id", "k", "--response-address", "127.0.0.1:1", "kernel-1.json"}, &out, &errs)
	if code != 2 || !strings.Contains(errs.String(), "Usage: goawait kernel <connection_file>") {
		t.Errorf("exit %d, stderr %q; want 2 and the usage", code, errs.String())
	}
}

func TestKernelCommandNamesWhatTheGatewayDidNotPass(t *testing.T) {
	clearGatewayEnv(t)
	t.Setenv("RESPONSE_ADDRESS", "10.0.0.1:8877") // as in a pod whose other variables are missing
	var out, errs bytes.Buffer
	code := run([]string{"kernel", "--port-range", "5000..4000"}, &out, &errs)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	for _, want := range []string{"no kernel id", "public key", "port range", "$KERNEL_ID"} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("stderr does not mention %q:\n%s", want, errs.String())
		}
	}
}

func TestKernelCommandWithoutArgumentsShowsUsage(t *testing.T) {
	clearGatewayEnv(t)
	var out, errs bytes.Buffer
	if code := run([]string{"kernel"}, &out, &errs); code != 2 || !strings.Contains(errs.String(), "--response-address HOST:PORT") {
		t.Errorf("exit %d, stderr %q", code, errs.String())
	}
}
