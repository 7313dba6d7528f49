package usage

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// fakeProc writes a proc tree with the given files (relative path -> content).
func fakeProc(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const meminfo = `MemTotal:       1000000 kB
MemFree:         200000 kB
MemAvailable:    600000 kB
Buffers:          50000 kB
Cached:          300000 kB
SwapCached:           0 kB
Active:          400000 kB
Inactive:        250000 kB
Shmem:            10000 kB
Slab:             40000 kB
SReclaimable:     30000 kB
HugePages_Total:      0
`

func TestSampleReadsProc(t *testing.T) {
	proc := fakeProc(t, map[string]string{
		"self/smaps_rollup": "00400000-7ffd [rollup]\nRss:  2048 kB\nPss:  1024 kB\nPss_Anon: 512 kB\n",
		"stat":              "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\n",
		"meminfo":           meminfo,
	})
	s := newSampler(proc)
	first := s.Sample()
	if first.KernelMemory == nil || *first.KernelMemory != 1024*1024 {
		t.Errorf("kernel_memory = %v, want the PSS, 1048576", first.KernelMemory)
	}
	if first.HostCPUPercent != nil {
		t.Errorf("host_cpu_percent in the first report: %v", *first.HostCPUPercent)
	}
	want := map[string]float64{
		"total": 1000000 * 1024, "available": 600000 * 1024, "percent": 40,
		"used": (1000000 - 200000 - 50000 - 300000 - 30000) * 1024,
		"free": 200000 * 1024, "active": 400000 * 1024, "inactive": 250000 * 1024,
		"buffers": 50000 * 1024, "cached": 330000 * 1024, "shared": 10000 * 1024, "slab": 40000 * 1024,
	}
	if len(first.HostVirtualMemory) != len(want) {
		t.Errorf("host_virtual_memory = %v, want %v", first.HostVirtualMemory, want)
	}
	for k, v := range want {
		if first.HostVirtualMemory[k] != v {
			t.Errorf("host_virtual_memory[%q] = %v, want %v", k, first.HostVirtualMemory[k], v)
		}
	}

	// 300 more ticks, 75 of them busy (user 50, system 25; idle 200, iowait 25).
	if err := os.WriteFile(filepath.Join(proc, "stat"), []byte("cpu  150 0 125 900 125 0 0 0 0 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := s.Sample()
	if second.HostCPUPercent == nil || *second.HostCPUPercent != 25 {
		t.Errorf("host_cpu_percent = %v, want 25", second.HostCPUPercent)
	}
}

func TestSampleWithoutProcLeavesFiguresOut(t *testing.T) {
	s := newSampler(filepath.Join(t.TempDir(), "missing"))
	r := s.Sample()
	if r.KernelMemory != nil || r.HostCPUPercent != nil || r.HostVirtualMemory != nil {
		t.Errorf("figures without /proc: %+v", r)
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var content map[string]any
	if err := json.Unmarshal(data, &content); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"kernel_memory", "host_cpu_percent", "host_virtual_memory"} {
		if _, ok := content[key]; ok {
			t.Errorf("%s present in %s", key, data)
		}
	}
	for _, key := range []string{"hostname", "pid", "kernel_cpu", "cpu_count"} {
		if _, ok := content[key]; !ok {
			t.Errorf("%s missing from %s", key, data)
		}
	}
}

func TestSampleMeasuresThisProcess(t *testing.T) {
	s := NewSampler()
	// Burn CPU until getrusage has counted some (it counts in ticks or
	// microseconds, depending on the system).
	before, err := processCPU()
	if err != nil {
		t.Fatal(err)
	}
	x := 0
	for {
		for i := range 1_000_000 {
			x += i
		}
		if now, _ := processCPU(); now > before {
			break
		}
	}
	r := s.Sample()
	if r.KernelCPU <= 0 {
		t.Errorf("kernel_cpu = %v after burning CPU (x=%d)", r.KernelCPU, x)
	}
	if r.PID != os.Getpid() || r.CPUCount != runtime.NumCPU() {
		t.Errorf("pid %d cpu_count %d, want %d and %d", r.PID, r.CPUCount, os.Getpid(), runtime.NumCPU())
	}
	if host, _ := os.Hostname(); r.Hostname != host {
		t.Errorf("hostname %q, want %q", r.Hostname, host)
	}
	if _, err := os.Stat("/proc/self/status"); err == nil && (r.KernelMemory == nil || *r.KernelMemory == 0) {
		t.Errorf("kernel_memory = %v on a system with /proc", r.KernelMemory)
	}
}
