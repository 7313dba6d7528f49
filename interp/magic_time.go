package interp

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goawait/goawait/interp/internal/reserved"
	"github.com/goawait/goawait/language"
)

func init() {
	lineMagics["time"] = magic{usage: "%time <statement>", doc: "run the statement once and print how long it took (its value is shown as usual)", run: timeMagic}
	lineMagics["timeit"] = magic{usage: "%timeit <statement>", doc: "run the statement many times and print the mean time per run", run: timeitMagic}
	cellMagics["time"] = magic{usage: "%%time", doc: "run the cell and print how long it took", run: timeCellMagic}
}

// stopwatch holds the last lap measured by timeit's loop (the code runs
// in the interpreter; the host reads the clock).
type stopwatch struct {
	mu  sync.Mutex
	lap time.Duration
}

// timeExports are the clock functions timeit's loop calls.
func (s *Session) timeExports() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Now": reflect.ValueOf(time.Now),
		"Lap": reflect.ValueOf(func(t0 time.Time) {
			d := time.Since(t0)
			s.watch.mu.Lock()
			s.watch.lap = d
			s.watch.mu.Unlock()
		}),
	}
}

func timeMagic(m *magicCall) *language.ExecError {
	if m.arg == "" {
		return usageError("%time", "%%time needs a statement")
	}
	start := time.Now()
	if err := m.s.execute(m.name, m.goCode(m.arg)); err != nil {
		return err
	}
	m.stdout("Wall time: %s\n", formatDuration(float64(time.Since(start))))
	return nil
}

func timeCellMagic(m *magicCall) *language.ExecError {
	_, body, _ := strings.Cut(m.arg, "\n")
	start := time.Now()
	if err := m.s.executeCell(m.name, strings.Repeat("\n", m.line-1)+body, m.out, m.res); err != nil {
		return err
	}
	m.stdout("Wall time: %s\n", formatDuration(float64(time.Since(start))))
	return nil
}

// timeitTarget is how long one timed run of %timeit should last.
const timeitTarget = 200 * time.Millisecond

// timeitLoop runs stmt n times inside the interpreter and returns the
// time the loop took.
func (m *magicCall) timeitLoop(stmt string, n int) (time.Duration, *language.ExecError) {
	code := fmt.Sprintf("%[1]st0 := %[2]s.Now(); for %[1]si := 0; %[1]si < %[3]d; %[1]si++ { %[4]s\n}; %[2]s.Lap(%[1]st0)", reserved.Prefix, reserved.Runtime, n, stmt)
	if err := m.s.execute(m.name, m.goCode(code)); err != nil {
		return 0, err
	}
	m.s.takeResult()
	m.s.watch.mu.Lock()
	defer m.s.watch.mu.Unlock()
	return m.s.watch.lap, nil
}

// timeitMagic times a statement as IPython's %timeit does: loops long
// enough to measure (at least 200 ms, in 1-2-5 steps), repeated.
func timeitMagic(m *magicCall) *language.ExecError {
	if m.arg == "" {
		return usageError("%timeit", "%%timeit needs a statement")
	}
	first, err := m.timeitLoop(m.arg, 1)
	if err != nil {
		return err
	}
	n, runs := 1, 5
	switch {
	case first >= 2*time.Second:
		runs = 1
	case first >= timeitTarget:
		runs = 3
	default:
		n = loopsFor(first)
	}
	var per []float64
	if runs == 1 {
		per = []float64{float64(first)}
	}
	for len(per) < runs {
		d, err := m.timeitLoop(m.arg, n)
		if err != nil {
			return err
		}
		per = append(per, float64(d)/float64(n))
	}
	mean, sd := meanStd(per)
	loops := "loops"
	if n == 1 {
		loops = "loop"
	}
	m.stdout("%s ± %s per loop (mean ± std. dev. of %d runs, %s %s each)\n",
		formatDuration(mean), formatDuration(sd), runs, strconv.Itoa(n), loops)
	return nil
}

// loopsFor returns the smallest 1-2-5 step count of loops whose total
// time reaches timeitTarget, given one loop's time.
func loopsFor(one time.Duration) int {
	if one <= 0 {
		one = 1
	}
	for n := 1; ; n *= 10 {
		for _, k := range []int{1, 2, 5} {
			if time.Duration(n*k)*one >= timeitTarget || n*k >= 100_000_000 {
				return n * k
			}
		}
	}
}

func meanStd(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)-1))
}

// formatDuration writes nanoseconds as Go does (ns, µs, ms, s) with three
// significant digits: 1.23µs, 45.6ms, 2.5s.
func formatDuration(ns float64) string {
	units := []struct {
		name string
		size float64
	}{{"s", 1e9}, {"ms", 1e6}, {"µs", 1e3}, {"ns", 1}}
	for _, u := range units {
		if ns >= u.size || u.size == 1 {
			v := ns / u.size
			return strconv.FormatFloat(v, 'f', max(0, 2-int(math.Floor(math.Log10(math.Max(v, 1))))), 64) + u.name
		}
	}
	return "0s"
}
