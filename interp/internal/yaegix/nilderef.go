package yaegix

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"

	yaegi "github.com/traefik/yaegi/interp"
)

// NilDerefMessage is Go's run-time error for a nil pointer dereference.
const NilDerefMessage = "runtime error: invalid memory address or nil pointer dereference"

// NilDerefError is the panic a cell sees instead of the reflect panic the
// interpreter raises when the cell dereferences a nil pointer.
type NilDerefError struct {
	// Orig is what the interpreter raised.
	Orig string
}

// Error returns Go's message.
func (NilDerefError) Error() string { return NilDerefMessage }

// RuntimeError marks the error as a run-time error, as runtime.Error does.
func (NilDerefError) RuntimeError() {}

// zeroValueMethods are the reflect.Value methods the interpreter calls on
// the zero Value that Elem gives for a nil pointer (or nil interface),
// where compiled Go code dereferences it: Field and FieldByIndex (reading,
// writing or incrementing a field, and a method of a pointer receiver
// using one), Elem (through a nil pointer to a pointer), Index (a nil
// pointer to an array), Set (*p, and a method with a value receiver called
// on a nil pointer) and Interface (*p handed to a host function, a method
// call on a nil interface).
var zeroValueMethods = map[string]bool{
	"reflect.Value.Field":        true,
	"reflect.Value.FieldByIndex": true,
	"reflect.Value.Elem":         true,
	"reflect.Value.Index":        true,
	"reflect.Value.Set":          true,
	"reflect.Value.Interface":    true,
}

// BoundsError is the panic a cell sees instead of the reflect panic the
// interpreter raises when the cell indexes or slices out of range. Go's
// message also names the index and the length, which the interpreter's
// panic does not tell.
type BoundsError struct {
	// Orig is what the interpreter raised.
	Orig string
}

// Error returns Go's message, without the index and length.
func (e BoundsError) Error() string {
	if strings.Contains(e.Orig, "bounds") {
		return "runtime error: slice bounds out of range"
	}
	return "runtime error: index out of range"
}

// RuntimeError marks the error as a run-time error, as runtime.Error does.
func (BoundsError) RuntimeError() {}

// boundsPanics are reflect's panics for an index or slice out of range,
// and indexMethods the reflect.Value methods that raise them.
var (
	boundsPanics = map[string]bool{
		"reflect: slice index out of range":                     true,
		"reflect: array index out of range":                     true,
		"reflect: string index out of range":                    true,
		"reflect.Value.Slice: slice index out of bounds":        true,
		"reflect.Value.Slice: string slice index out of bounds": true,
		"reflect.Value.Slice3: slice index out of bounds":       true,
	}
	indexMethods = map[string]bool{"reflect.Value.Index": true, "reflect.Value.Slice": true, "reflect.Value.Slice3": true}
)

// nilFuncCall is reflect's panic for calling a nil function, which the
// interpreter raises when a cell calls a nil func value.
const nilFuncCall = "reflect.Value.Call: call of nil function"

// callMethods are the reflect.Value methods that raise nilFuncCall.
var callMethods = map[string]bool{"reflect.Value.Call": true, "reflect.Value.CallSlice": true}

// yaegiPkgPath is the import path of the interpreter's package.
var yaegiPkgPath = reflect.TypeOf(yaegi.Panic{}).PkgPath()

// NilDeref returns the panic Go code would have raised instead of v, a
// panic raised on a goroutine whose stack, in runtime/debug.Stack's
// format, is stack (taken while the panic is still going on): a nil
// pointer dereference (a NilDerefError) when v is reflect's panic for a call of one of
// zeroValueMethods on the zero Value, or for a call of a nil function,
// made by the interpreter itself, and an index out of range (a
// BoundsError) for reflect's panic of Index or Slice called by the
// interpreter. The same panic raised by a reflect call
// of the cell's own (through reflect.Value.Call) or of a host package is
// kept, as is any other value, and so is v when the trace elides the
// panic's origin (Go keeps 50 frames at each end; the interpreter adds two
// for every interpreted call the panic goes through, so about 20 nested
// calls).
func NilDeref(v any, stack []byte) any {
	var entries map[string]bool    // the reflect methods that may raise v
	var helper func(f string) bool // tells their unexported helpers
	switch x := v.(type) {
	case *reflect.ValueError:
		if x.Kind != reflect.Invalid || !zeroValueMethods[x.Method] {
			return v
		}
		entries = zeroValueMethods
		helper = func(f string) bool { return strings.HasPrefix(f, "reflect.flag.") || f == "reflect.valueInterface" }
	case string:
		if boundsPanics[x] {
			if calledByInterpreter(stackFuncs(stack), indexMethods, func(string) bool { return false }) {
				return BoundsError{Orig: x}
			}
			return v
		}
		if x != nilFuncCall {
			return v
		}
		entries = callMethods
		helper = func(f string) bool { return f == "reflect.Value.call" }
	default:
		return v
	}
	if calledByInterpreter(stackFuncs(stack), entries, helper) {
		return NilDerefError{Orig: fmt.Sprint(v)}
	}
	return v
}

// calledByInterpreter tells whether the innermost panic of a stack (funcs,
// innermost first) was raised by the interpreter's own call of a reflect
// method: the panic is followed by helpers of the method, then by one or
// more entry methods (FieldByIndex calls Field), then by a function of the
// interpreter's package.
func calledByInterpreter(funcs []string, entries map[string]bool, helper func(string) bool) bool {
	// The innermost panic is the last in the trace: the interpreter
	// re-panics above it at every interpreted call level.
	last := -1
	for i, f := range funcs {
		if f == "panic" {
			last = i
		}
	}
	if last < 0 {
		return false
	}
	rest := funcs[last+1:]
	for len(rest) > 0 && helper(rest[0]) {
		rest = rest[1:]
	}
	n := 0
	for len(rest) > 0 && entries[rest[0]] {
		rest, n = rest[1:], n+1
	}
	return n > 0 && len(rest) > 0 && strings.HasPrefix(rest[0], yaegiPkgPath+".")
}

// stackFuncs lists the functions of a goroutine's stack trace in
// runtime/debug.Stack's format, innermost first; the runtime's gopanic
// is "panic".
func stackFuncs(stack []byte) []string {
	var funcs []string
	for _, line := range bytes.Split(stack, []byte("\n")) {
		if len(line) == 0 || line[0] == '\t' || bytes.HasPrefix(line, []byte("goroutine ")) || bytes.HasPrefix(line, []byte("created by ")) {
			continue
		}
		if i := bytes.LastIndexByte(line, '('); i > 0 {
			line = line[:i]
		}
		funcs = append(funcs, string(line))
	}
	return funcs
}
