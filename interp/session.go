package interp

import (
	"fmt"
	"log"
	"path"
	"reflect"
	"strings"
	"sync"

	"github.com/goawait/goawait/autoawait/asyncio"
	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/internal/modload"
	"github.com/goawait/goawait/interp/internal/capture"
	"github.com/goawait/goawait/interp/internal/lookup"
	"github.com/goawait/goawait/interp/internal/plan"
	"github.com/goawait/goawait/interp/internal/rich"
	"github.com/goawait/goawait/interp/internal/shell"
	"github.com/goawait/goawait/interp/internal/stdlib"
	"github.com/goawait/goawait/interp/internal/yaegix"
	"github.com/goawait/goawait/interp/magic"
	"github.com/goawait/goawait/language"
)

// Options configures a Session. The zero value is a plain Go session.
type Options struct {
	// Rewrite, when set, transforms every parsed cell in place before the
	// session emits code for the interpreter (the async dialect).
	Rewrite func(c *cell.Cell) error
	// Run, when set, runs a cell's code: it must call fn once, on any
	// goroutine, and return when fn has returned (or with an error if fn
	// could not be run). owner is the cell's language.Publisher; self is
	// the calling goroutine's goid.Self token. Default: call fn directly.
	Run func(owner any, self uintptr, fn func()) error
	// OnInterrupt is called (on the Interrupt caller's goroutine) when the
	// running cell is interrupted, before anything else is done.
	OnInterrupt func()
	// OnAbandon is called when a cell that did not stop within the grace
	// period after an interrupt is abandoned.
	OnAbandon func()
	// NoAsync turns the async dialect and the event loop off: cells are
	// plain Go and run on a goroutine of their own.
	NoAsync bool
	// Env is passed to the interpreter (KEY=value entries); nil means the
	// process environment.
	Env []string
	// MaxStack is the stack in bytes a goroutine running cells' code may
	// use before the function it calls fails with a stack overflow panic
	// (Go's own limit ends the process). 0 means
	// stackguard.DefaultLimit (4 MiB, about 7,000 levels of recursion);
	// it is capped at 256 MiB.
	MaxStack int
	// Magics are the magics cells can use; nil means magic.Standard().
	Magics *magic.Registry
	// Modules, when set, lets cells import packages of any Go module
	// (`import "github.com/google/uuid"`): the session makes a
	// modload.Loader with these options at the first such import, and
	// from then on the process's os.Stdout and os.Stderr are the cells'
	// (compiled code writes to them). nil: cells import the standard
	// library and goawait's packages only. With Magics nil, the session's
	// magics include %go (magic.Go); a given registry should register it.
	Modules *modload.Options
}

// Session is one persistent Go interpreter holding a notebook's state. It
// implements language.Interpreter.
type Session struct {
	opt Options
	in  *yaegix.Interp

	route          capture.Router
	stdout, stderr *capture.Pipe
	stdin          *stdinReader

	mu         sync.Mutex               // guards the fields below
	panicLines []string                 // yaegi's panic trace lines of the running cell
	result     *string                  // text of the last value, set by the prelude
	marks      map[int]bool             // declarations the running chunk ran (rebind.go)
	seeds      map[string]reflect.Value // old values of the names the running chunk redeclares (rebind.go)
	started    bool

	state *plan.State // what earlier cells declared

	run *runState // interrupt machinery

	rich   rich.Collector  // the rich form of the last value
	magics *magic.Registry // the magics cells can use
	watch  magic.Stopwatch // the clock of %timeit's loops
	shells shell.Groups    // process groups of `!cmd` commands

	// bin maps an import path to the host symbols cells can use, and
	// pkgNames an import path to its package name.
	bin      map[string]map[string]reflect.Value
	pkgNames map[string]string
	docs     lookup.Docs // go/doc of standard packages, for Inspect

	// sources holds the text of every cell run, by name, for tracebacks.
	sources map[string]string
	// lines gives every cell its virtual lines and decodes them.
	lines *cell.Lines

	// loop is the event loop cells run on (nil with NoAsync).
	loop *asyncio.Runtime

	runner *cellRunner // the goroutine cells run on (execute.go); guarded by mu

	mods    modules     // module loading (modules.go)
	procOut *savedStdio // the process's stdout and stderr, while the session has them
}

var _ language.Interpreter = (*Session)(nil)

// New makes a session with the standard library, the display package and
// goawait's runtime helpers. Exports the event loop adds go in with Use
// before the first cell.
func New(opt Options) (*Session, error) {
	s := &Session{opt: opt, state: plan.NewState(), run: newRunState(), magics: opt.Magics,
		bin: map[string]map[string]reflect.Value{}, pkgNames: map[string]string{}, sources: map[string]string{}, lines: cell.NewLines(),
		mods: modules{opt: opt.Modules}}
	if s.magics == nil {
		s.magics = magic.Standard()
		if opt.Modules != nil {
			s.magics.Register(magic.Go())
		}
	}
	var err error
	s.stdout, err = capture.New("stdout", &s.route, nil)
	if err != nil {
		return nil, err
	}
	s.stderr, err = capture.New("stderr", &s.route, s.addPanicLine)
	if err != nil {
		s.stdout.Close()
		return nil, err
	}
	s.stdin = &stdinReader{route: &s.route}
	env := opt.Env
	s.in = yaegix.New(yaegix.Options{
		Stdin:  s.stdin,
		Stdout: s.stdout.File(),
		Stderr: s.stderr.File(),
		Env:    env,
		Args:   []string{"goawait"},
	})
	s.addBin(stdlib.Symbols)
	if err := s.in.Use(stdlib.Symbols); err != nil {
		s.Shutdown()
		return nil, fmt.Errorf("load standard library symbols: %w", err)
	}
	for _, src := range stdlib.Sources {
		if err := s.in.CompilePackage(src); err != nil {
			s.Shutdown()
			return nil, fmt.Errorf("load standard library sources: %w", err)
		}
	}
	host := s.hostExports()
	s.addBin(host)
	if err := s.in.Use(host); err != nil {
		s.Shutdown()
		return nil, fmt.Errorf("load goawait symbols: %w", err)
	}
	if err := s.in.Use(s.extraExports()); err != nil {
		s.Shutdown()
		return nil, fmt.Errorf("load display and magic symbols: %w", err)
	}
	// Standard-library code that cells call logs through the process's
	// log package (net/http reports a handler's panic that way): that is
	// the cell's stderr, not the kernel's own log. The log package is one
	// per process, so the last session made owns it.
	log.SetOutput(s.stderr.File())
	if err := s.enableAsync(); err != nil {
		s.Shutdown()
		return nil, fmt.Errorf("load the asyncio library: %w", err)
	}
	return s, nil
}

// Use adds host symbols (yaegi's Exports shape: "importpath/name" -> name
// -> value) that cells can import. Call it before the first cell.
func (s *Session) Use(exports map[string]map[string]reflect.Value) error {
	if err := s.in.Use(exports); err != nil {
		return fmt.Errorf("use exports: %w", err)
	}
	s.addBin(exports)
	return nil
}

// packageName returns the name a package is known by when imported
// without an alias.
func (s *Session) packageName(importPath string) string {
	if n, ok := s.pkgNames[importPath]; ok {
		return n
	}
	base := path.Base(importPath)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		base = path.Base(path.Dir(importPath))
	}
	return base
}

// addBin records host symbols for completion and result counting.
func (s *Session) addBin(exports map[string]map[string]reflect.Value) {
	for k, syms := range exports {
		p, name := path.Dir(k), path.Base(k)
		if p == "." {
			continue
		}
		if s.bin[p] == nil {
			s.bin[p] = map[string]reflect.Value{}
		}
		for n, v := range syms {
			s.bin[p][n] = v
		}
		s.pkgNames[p] = name
	}
}

// SetOutput routes captured output to owner, which must be a
// language.Publisher (anything else is ignored): output written before the
// call is first handed to the previous publisher. The event loop calls it
// when it switches to a task of another cell.
func (s *Session) SetOutput(owner any) {
	p, ok := owner.(language.Publisher)
	if !ok {
		return
	}
	if s.route.Get() == p {
		return
	}
	s.flushOutput()
	s.route.Set(p)
}

// flushOutput waits until all that the interpreter wrote so far has been
// forwarded.
func (s *Session) flushOutput() {
	s.stdout.Flush()
	s.stderr.Flush()
}

func (s *Session) addPanicLine(line string) {
	s.mu.Lock()
	s.panicLines = append(s.panicLines, line)
	s.mu.Unlock()
}

func (s *Session) takePanicLines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.panicLines
	s.panicLines = nil
	return l
}

// Shutdown stops what the session can stop and closes its pipes.
func (s *Session) Shutdown() {
	s.run.shutdown()
	// Before the pipes close: a stray holds their write ends.
	s.shells.KillStrays()
	if s.loop != nil {
		s.loop.Close()
	}
	s.stopRunner()
	s.restoreProcessOutput()
	if s.stdout != nil {
		s.stdout.Close()
	}
	if s.stderr != nil {
		s.stderr.Close()
	}
}
