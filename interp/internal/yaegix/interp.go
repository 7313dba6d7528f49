// Package yaegix is goawait's one door into the yaegi interpreter: the
// session runs cells through an Interp and never imports yaegi itself.
//
// Besides running code, an Interp does what yaegi offers no API for and
// a long notebook session needs: it lets go of compiled cells nothing can
// run any more (Release), clears the slots yaegi gives the intermediate
// values of top-level code (MarkTemps, ClearTemps), keeps the variables
// that earlier code compiled against in step when a name is declared
// again (Slots, Settle), and reads yaegi's panics and messages (PanicOf,
// NilDeref, Recovered, IsDefinitionLoop, Diagnose). Those depend on yaegi's
// unexported state and message texts, pinned by go.mod: internals.go is
// the only file that reaches the unexported state, and TestProbe fails
// when its layout changes.
package yaegix

import (
	"errors"
	"fmt"
	"go/token"
	"io"
	"reflect"
	"regexp"
	"strings"

	"github.com/goawait/goawait/interp/internal/reserved"

	yaegi "github.com/traefik/yaegi/interp"
)

// Options configures an Interp.
type Options struct {
	// Stdin, Stdout and Stderr are the interpreted code's standard files.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Env holds the environment (KEY=value entries); nil means the
	// process's, which code may then change.
	Env []string
	// Args is the code's os.Args.
	Args []string
}

// Interp is one yaegi interpreter.
type Interp struct {
	in *yaegi.Interpreter
	// ins reaches yaegi's unexported state (nil if yaegi's layout is not
	// the one internals.go was written for: nothing is released or
	// cleared).
	ins *insides
	rel releaser
	// stale holds, by name, the slots of the global frame that earlier
	// declarations of a variable used: code compiled before a
	// redeclaration still uses them (slots.go).
	stale map[string][]reflect.Value
}

// New makes an interpreter.
func New(opt Options) *Interp {
	in := yaegi.New(yaegi.Options{
		Stdin:        opt.Stdin,
		Stdout:       opt.Stdout,
		Stderr:       opt.Stderr,
		Env:          opt.Env,
		Unrestricted: opt.Env == nil,
		Args:         opt.Args,
	})
	x := &Interp{in: in, stale: map[string][]reflect.Value{}}
	if ins, err := probe(in); err == nil {
		x.ins = ins
		x.rel = newReleaser(in.FileSet())
	}
	return x
}

// Use adds host symbols (yaegi's Exports shape: "importpath/name" -> name
// -> value) that code can import.
func (x *Interp) Use(exports map[string]map[string]reflect.Value) error {
	return x.in.Use(exports)
}

// CompilePackage compiles src, the source of a package other than main,
// which code can then import by its name.
func (x *Interp) CompilePackage(src string) error {
	if _, err := x.in.Compile(src); err != nil {
		return fmt.Errorf("compile package: %w", err)
	}
	return nil
}

// Eval compiles and runs src. A crash of yaegi's compiler (it panics on
// some invalid code) is returned as an error; a panic of the code is an
// error that PanicOf reads.
func (x *Interp) Eval(src string) (err error) {
	defer compilerCrash(&err, func(r any) error { return fmt.Errorf("the interpreter failed on this code (yaegi: %v)", r) })
	_, err = x.in.Eval(src)
	return err
}

// Compile compiles src without running it; a crash of yaegi's compiler
// is returned as an error.
func (x *Interp) Compile(src string) (err error) {
	defer compilerCrash(&err, func(r any) error { return fmt.Errorf("%v", r) })
	_, err = x.in.Compile(src)
	return err
}

// compilerCrash, deferred, sets *err to what wrap makes of a panic of
// yaegi's compiler.
func compilerCrash(err *error, wrap func(r any) error) {
	if r := recover(); r != nil {
		*err = wrap(r)
	}
}

// incompleteType matches yaegi's crash on an undefined name.
var incompleteType = regexp.MustCompile(`(\d+:\d+): incomplete type (\w+)`)

// Diagnose compiles statements inside a function, without running them,
// to get a better message than yaegi gives for the same statements at
// the top level (see IsDefinitionLoop).
func (x *Interp) Diagnose(stmts string) (err error) {
	defer compilerCrash(&err, func(r any) error {
		msg := fmt.Sprint(r)
		if m := incompleteType.FindStringSubmatch(msg); m != nil {
			return fmt.Errorf("%s: undefined: %s", m[1], m[2])
		}
		return fmt.Errorf("%s", msg)
	})
	_, err = x.in.Compile("func " + reserved.Prefix + "diag() {" + stmts + "\n}")
	return err
}

// IsDefinitionLoop tells whether err is yaegi's "definition loop", which
// it reports for an undefined name in a top-level `:=`: Diagnose gives
// the real message.
func IsDefinitionLoop(err error) bool {
	return strings.Contains(err.Error(), "definition loop")
}

// Globals returns the interpreter's global names; nil when yaegi fails to
// list them (it panics after some failed compilations: RepairFrame).
func (x *Interp) Globals() (g map[string]reflect.Value) {
	defer func() {
		if recover() != nil {
			g = nil
		}
	}()
	return x.in.Globals()
}

// FileSet returns the interpreter's file set: the sources of the code it
// holds.
func (x *Interp) FileSet() *token.FileSet { return x.in.FileSet() }

// PanicOf returns the value and the goroutine's stack of the panic err
// reports, if it reports one of the code's.
func PanicOf(err error) (value any, stack []byte, ok bool) {
	var p yaegi.Panic
	if !errors.As(err, &p) {
		return nil, nil, false
	}
	return p.Value, p.Stack, true
}

// IsPanic tells whether err reports a panic of the code.
func IsPanic(err error) bool {
	_, _, ok := PanicOf(err)
	return ok
}
