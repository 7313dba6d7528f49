package magic

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

// timing returns the magics that time code: %time, %timeit and %%time.
func timing() []Magic {
	return []Magic{
		{Name: "time", Usage: "%time <statement>", Doc: "run the statement once and print how long it took (its value is shown as usual)", ShowsValue: true, Run: timeLine},
		{Name: "timeit", Usage: "%timeit <statement>", Doc: "run the statement many times and print the mean time per run", ShowsValue: true, Run: timeit},
		{Name: "time", Cell: true, Usage: "%%time", Doc: "run the cell and print how long it took", Run: timeCell},
	}
}

// Stopwatch is the host side of the loops %timeit runs in the
// interpreter: the loop reads the clock with Now before it starts and
// hands the start to Lap when it ends (the code runs in the interpreter;
// the host reads the clock). Its zero value is ready to use.
type Stopwatch struct {
	mu  sync.Mutex
	lap time.Duration
}

// Exports returns the functions the loop calls, to add to the runtime
// helpers (reserved.Runtime) by name.
func (w *Stopwatch) Exports() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Now": reflect.ValueOf(time.Now),
		"Lap": reflect.ValueOf(func(t0 time.Time) {
			d := time.Since(t0)
			w.mu.Lock()
			w.lap = d
			w.mu.Unlock()
		}),
	}
}

// last returns the last lap.
func (w *Stopwatch) last() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lap
}

func timeLine(c *Call) *language.ExecError {
	if c.Arg == "" {
		return c.UsageError("%time", "%%time needs a statement")
	}
	start := time.Now()
	if err := c.Session.RunGo(c.Cell, c.GoCode(c.Arg)); err != nil {
		return err
	}
	c.Stdout("Wall time: %s\n", formatDuration(float64(time.Since(start))))
	return nil
}

func timeCell(c *Call) *language.ExecError {
	_, body, _ := strings.Cut(c.Arg, "\n")
	start := time.Now()
	if err := c.Registry.Run(c.Session, c.Cell, c.GoCode(body), c.Out, c.Result); err != nil {
		return err
	}
	c.Stdout("Wall time: %s\n", formatDuration(float64(time.Since(start))))
	return nil
}

// timeitTarget is how long one timed run of %timeit should last.
const timeitTarget = 200 * time.Millisecond

// timeitLoop runs stmt n times inside the interpreter and returns the
// time the loop took.
func (c *Call) timeitLoop(stmt string, n int) (time.Duration, *language.ExecError) {
	code := fmt.Sprintf("%[1]st0 := %[2]s.Now(); for %[1]si := 0; %[1]si < %[3]d; %[1]si++ { %[4]s\n}; %[2]s.Lap(%[1]st0)", reserved.Prefix, reserved.Runtime, n, stmt)
	if err := c.Session.RunGo(c.Cell, c.GoCode(code)); err != nil {
		return 0, err
	}
	c.Session.DropResult()
	return c.Session.Stopwatch().last(), nil
}

// timeit times a statement as IPython's %timeit does: loops long enough
// to measure (at least 200 ms, in 1-2-5 steps), repeated.
func timeit(c *Call) *language.ExecError {
	if c.Arg == "" {
		return c.UsageError("%timeit", "%%timeit needs a statement")
	}
	first, err := c.timeitLoop(c.Arg, 1)
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
		d, err := c.timeitLoop(c.Arg, n)
		if err != nil {
			return err
		}
		per = append(per, float64(d)/float64(n))
	}
	c.Stdout("%s", timeitReport(per, n))
	return nil
}

// timeitReport is %timeit's line for the times per loop of each run, n
// loops each.
func timeitReport(per []float64, n int) string {
	mean, sd := meanStd(per)
	loops := "loops"
	if n == 1 {
		loops = "loop"
	}
	return fmt.Sprintf("%s ± %s per loop (mean ± std. dev. of %d runs, %s %s each)\n",
		formatDuration(mean), formatDuration(sd), len(per), strconv.Itoa(n), loops)
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
