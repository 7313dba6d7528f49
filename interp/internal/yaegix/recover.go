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
