package gctune

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMemTotalAndCgroupLimitRead(t *testing.T) {
	dir := t.TempDir()
	meminfo := filepath.Join(dir, "meminfo")
	os.WriteFile(meminfo, []byte("MemFree:  100 kB\nMemTotal:       24683792 kB\n"), 0o600)
	if n, err := memTotal(meminfo); err != nil || n != 24683792<<10 {
		t.Errorf("memTotal = %d, %v", n, err)
	}
	for _, c := range []struct {
		text string
		n    uint64
		ok   bool
	}{{"max\n", 0, false}, {"1073741824\n", 1 << 30, true}, {"9223372036854771712\n", 0, false}} {
		p := filepath.Join(dir, "limit")
		os.WriteFile(p, []byte(c.text), 0o600)
		if n, ok := cgroupLimit(p); n != c.n || ok != c.ok {
			t.Errorf("cgroupLimit(%q) = %d, %v", c.text, n, ok)
		}
	}
	if avail, err := AvailableMemory(); err != nil || avail == 0 {
		t.Errorf("AvailableMemory() = %d, %v", avail, err)
	}
}
