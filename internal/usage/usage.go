// Package usage measures what the kernel's process and the machine it runs
// on use: CPU and memory. The kernel answers usage_request with it, the
// message that the jupyter-resource-usage extension sends to show a
// kernel's CPU and memory in JupyterLab.
//
// The figures come from the operating system: the process's CPU time from
// getrusage, its memory and the host's CPU and memory from Linux's /proc.
// Where /proc is missing (macOS), the figures that need it are left out of
// the report rather than guessed.
package usage

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Report is one measurement, with the field names of usage_reply.
type Report struct {
	Hostname string `json:"hostname"`
	PID      int    `json:"pid"`
	// KernelCPU is the process's CPU use in percent of one CPU (200 is
	// two CPUs busy) since the previous report, or since the Sampler was
	// made for the first one.
	KernelCPU float64 `json:"kernel_cpu"`
	// KernelMemory is the process's memory in bytes: its proportional set
	// size (PSS: shared pages divided among their users) where Linux
	// reports it, else its resident set size; absent when neither is known.
	KernelMemory *uint64 `json:"kernel_memory,omitempty"`
	// HostCPUPercent is how busy all the host's CPUs were, in percent of
	// all of them, since the previous report; absent in the first report.
	HostCPUPercent *float64 `json:"host_cpu_percent,omitempty"`
	// CPUCount is the number of logical CPUs the process may run on.
	CPUCount int `json:"cpu_count"`
	// HostVirtualMemory is the host's memory in bytes (total, available,
	// used, free, active, inactive, buffers, cached, shared, slab) and
	// "percent", the share of total that is not available; absent when
	// unknown.
	HostVirtualMemory map[string]float64 `json:"host_virtual_memory,omitempty"`
}

// Sampler measures the current process. Each Sample reports the CPU used
// since the one before; it is safe for concurrent use.
type Sampler struct {
	proc string // the proc file system's mount point

	mu       sync.Mutex
	lastWall time.Time
	lastCPU  time.Duration
	lastHost cpuTimes
}

// NewSampler returns a Sampler for the calling process; the first
// report's CPU use is averaged over the time since NewSampler.
func NewSampler() *Sampler {
	return newSampler("/proc")
}

func newSampler(proc string) *Sampler {
	cpu, _ := processCPU()
	return &Sampler{proc: proc, lastWall: time.Now(), lastCPU: cpu}
}

// Sample measures now.
func (s *Sampler) Sample() Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	host, _ := os.Hostname()
	r := Report{Hostname: host, PID: os.Getpid(), CPUCount: runtime.NumCPU()}

	now := time.Now()
	if cpu, err := processCPU(); err == nil {
		if wall := now.Sub(s.lastWall); wall > 0 {
			r.KernelCPU = round1(100 * float64(cpu-s.lastCPU) / float64(wall))
		}
		s.lastWall, s.lastCPU = now, cpu
	}
	if mem, err := s.processMemory(); err == nil {
		r.KernelMemory = &mem
	}
	if t, err := s.hostCPU(); err == nil {
		if busy, ok := t.busySince(s.lastHost); ok {
			r.HostCPUPercent = &busy
		}
		s.lastHost = t
	}
	if m, err := s.hostMemory(); err == nil {
		r.HostVirtualMemory = m
	}
	return r
}

func round1(x float64) float64 {
	return float64(int64(x*10+0.5)) / 10
}

// processCPU is the user and system CPU time of the process so far.
func processCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, fmt.Errorf("getrusage: %w", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// processMemory is the process's PSS, or its RSS, in bytes.
func (s *Sampler) processMemory() (uint64, error) {
	fields, err := readKB(filepath.Join(s.proc, "self", "smaps_rollup"))
	if err == nil {
		if pss, ok := fields["Pss"]; ok {
			return pss, nil
		}
		if rss, ok := fields["Rss"]; ok {
			return rss, nil
		}
	}
	status, err := readKB(filepath.Join(s.proc, "self", "status"))
	if err != nil {
		return 0, err
	}
	if rss, ok := status["VmRSS"]; ok {
		return rss, nil
	}
	return 0, fmt.Errorf("no VmRSS in %s/self/status", s.proc)
}

// readKB reads a /proc file of "Name:   123 kB" lines into bytes by name;
// lines of another form are skipped.
func readKB(path string) (map[string]uint64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]uint64{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		f := strings.Fields(rest)
		if !ok || len(f) != 2 || f[1] != "kB" {
			continue
		}
		if n, err := strconv.ParseUint(f[0], 10, 64); err == nil {
			out[name] = n * 1024
		}
	}
	return out, nil
}

// cpuTimes are the host's CPU times in clock ticks, all CPUs together.
type cpuTimes struct {
	busy, total uint64
}

// busySince is the share of time, in percent, that the CPUs were busy
// between earlier and t; false when there is no earlier measurement.
func (t cpuTimes) busySince(earlier cpuTimes) (float64, bool) {
	if earlier.total == 0 || t.total <= earlier.total {
		return 0, false
	}
	return round1(100 * float64(t.busy-earlier.busy) / float64(t.total-earlier.total)), true
}

// hostCPU reads the first line of /proc/stat: user nice system idle iowait
// irq softirq steal (guest time is counted in user already). Idle and
// iowait are not busy.
func (s *Sampler) hostCPU() (cpuTimes, error) {
	path := filepath.Join(s.proc, "stat")
	data, err := os.ReadFile(path)
	if err != nil {
		return cpuTimes{}, err
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 9 || f[0] != "cpu" {
		return cpuTimes{}, fmt.Errorf("%s: unexpected first line %q", path, line)
	}
	var t cpuTimes
	for i, v := range f[1:9] {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return cpuTimes{}, fmt.Errorf("%s: %w", path, err)
		}
		t.total += n
		if i != 3 && i != 4 { // idle, iowait
			t.busy += n
		}
	}
	return t, nil
}

// hostMemory reads /proc/meminfo. "used" is total minus free, buffers and
// cache (reclaimable slab included), as free(1) shows it.
func (s *Sampler) hostMemory() (map[string]float64, error) {
	path := filepath.Join(s.proc, "meminfo")
	m, err := readKB(path)
	if err != nil {
		return nil, err
	}
	total, ok := m["MemTotal"]
	if !ok || total == 0 {
		return nil, fmt.Errorf("%s: no MemTotal", path)
	}
	available, ok := m["MemAvailable"]
	if !ok {
		return nil, fmt.Errorf("%s: no MemAvailable", path)
	}
	cached := m["Cached"] + m["SReclaimable"]
	used := int64(total) - int64(m["MemFree"]) - int64(m["Buffers"]) - int64(cached)
	if used < 0 {
		used = int64(total) - int64(m["MemFree"])
	}
	return map[string]float64{
		"total":     float64(total),
		"available": float64(available),
		"percent":   round1(100 * float64(total-min(available, total)) / float64(total)),
		"used":      float64(used),
		"free":      float64(m["MemFree"]),
		"active":    float64(m["Active"]),
		"inactive":  float64(m["Inactive"]),
		"buffers":   float64(m["Buffers"]),
		"cached":    float64(cached),
		"shared":    float64(m["Shmem"]),
		"slab":      float64(m["Slab"]),
	}, nil
}
