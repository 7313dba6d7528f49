package yaegix

import (
	"reflect"
	"runtime"
)

// Recovered returns the value a cell's panic was called with, given what
// recover() returned in the interpreter: yaegi panics with the
// reflect.Value of the argument, which its recover hands back as is. As
// in Go, panic(nil) is recovered as a *runtime.PanicNilError.
//
// A value of a type declared in a cell comes back as the interpreter
// stores it, without its methods: r.(T) works, r.(error) does not.
func Recovered(r any) any {
	v, ok := r.(reflect.Value)
	if !ok {
		return r
	}
	if !v.IsValid() || (v.Kind() == reflect.Interface && v.IsNil()) {
		return new(runtime.PanicNilError)
	}
	if !v.CanInterface() {
		return nil
	}
	return v.Interface()
}

// RecoveredAt is Recovered for a recover() made by a deferred function
// while the panic's frames are still on the goroutine's stack, whose
// trace is stack (runtime/debug.Stack's): it also gives the run-time
// errors Go raises where the interpreter raises a reflect panic (NilDeref).
func RecoveredAt(r any, stack func() []byte) any {
	r = Recovered(r)
	if s, ok := r.(string); ok && boundsPanics[s] {
		return NilDeref(s, stack())
	}
	if ve, ok := r.(*reflect.ValueError); ok {
		return NilDeref(ve, stack())
	}
	return r
}
