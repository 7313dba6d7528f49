package interp

import (
	"errors"
	"flag"
	"io"
	"reflect"

	"github.com/goawait/goawait/interp/internal/stdlib"
)

// cmdLine is the command line cells see: their own os.Args and
// flag.CommandLine, not the kernel's. flag's functions (flag.Int,
// flag.Parse, flag.Args...) work on the cells' flag.CommandLine, and
// flag.Parse parses the cells' os.Args.
type cmdLine struct {
	args []string
	// flags is the cells' flag.CommandLine (a cell may replace it); own
	// is the one the session made, which behaves as Go's ExitOnError.
	flags, own *flag.FlagSet
	exit       func(code int) // os.Exit
}

// newCmdLine makes a command line holding args, whose flag errors and
// usage go to stderr, and whose flag.Parse calls exit as Go's calls
// os.Exit.
func newCmdLine(args []string, stderr io.Writer, exit func(code int)) *cmdLine {
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	return &cmdLine{args: args, flags: fs, own: fs, exit: exit}
}

// exports returns the symbols of os and flag that replace the process's.
func (c *cmdLine) exports() map[string]map[string]reflect.Value {
	flags := map[string]reflect.Value{
		"CommandLine": reflect.ValueOf(&c.flags).Elem(),
		"Parse":       reflect.ValueOf(c.parse),
	}
	set := reflect.TypeOf(c.flags)
	for name, fn := range stdlib.Symbols["flag/flag"] {
		if _, done := flags[name]; done || fn.Kind() != reflect.Func {
			continue
		}
		m, ok := set.MethodByName(name)
		if !ok || !sameParams(m.Type, fn.Type()) {
			continue
		}
		flags[name] = reflect.MakeFunc(fn.Type(), func(in []reflect.Value) []reflect.Value {
			method := reflect.ValueOf(c.flags).MethodByName(name)
			if method.Type().IsVariadic() {
				return method.CallSlice(in)
			}
			return method.Call(in)
		})
	}
	return map[string]map[string]reflect.Value{
		"os/os":     {"Args": reflect.ValueOf(&c.args).Elem()},
		"flag/flag": flags,
	}
}

// sameParams tells whether method (with its receiver first) takes and
// returns what fn does.
func sameParams(method, fn reflect.Type) bool {
	if method.NumIn()-1 != fn.NumIn() || method.NumOut() != fn.NumOut() || method.IsVariadic() != fn.IsVariadic() {
		return false
	}
	for i := 0; i < fn.NumIn(); i++ {
		if method.In(i+1) != fn.In(i) {
			return false
		}
	}
	for i := 0; i < fn.NumOut(); i++ {
		if method.Out(i) != fn.Out(i) {
			return false
		}
	}
	return true
}

// parse is flag.Parse: it parses the cells' os.Args[1:] with their
// flag.CommandLine. On an error the session's own flag set does what Go's
// does (it has printed the error and the usage): it exits, with status 0
// for -h and 2 otherwise, which fails the cell as os.Exit does.
func (c *cmdLine) parse() {
	var args []string
	if len(c.args) > 0 {
		args = c.args[1:]
	}
	err := c.flags.Parse(args)
	if err == nil || c.flags != c.own {
		return
	}
	if errors.Is(err, flag.ErrHelp) {
		c.exit(0)
	}
	c.exit(2)
}
