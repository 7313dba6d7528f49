package asyncio

import (
	"fmt"
	"reflect"
)

// CancelledError is the panic value that delivers a cancellation to the
// current Await of a task. Code may recover it and carry on.
type CancelledError struct {
	// Msg is the message given to Cancel, if any.
	Msg string
}

// Error returns the Cancel message, or "CancelledError" when there is none.
func (e *CancelledError) Error() string {
	if e.Msg == "" {
		return "CancelledError"
	}
	return e.Msg
}

// InvalidStateError reports an operation on a future in the wrong state,
// such as Result on a pending future or SetResult on a finished one.
type InvalidStateError struct {
	// Msg describes the problem.
	Msg string
}

// Error returns the message.
func (e *InvalidStateError) Error() string { return "InvalidStateError: " + e.Msg }

// RuntimeError reports a misuse of the library, such as awaiting a
// coroutine twice ("cannot reuse already awaited coroutine").
type RuntimeError struct {
	// Msg is the exact message.
	Msg string
}

// Error returns the message unchanged.
func (e *RuntimeError) Error() string { return e.Msg }

// TypeError reports a value of the wrong kind, such as awaiting something
// that is not awaitable.
type TypeError struct {
	// Msg describes the problem.
	Msg string
}

// Error returns the message unchanged.
func (e *TypeError) Error() string { return e.Msg }

// PanicError presents a panic value that is not an error as an error (for
// Exception, GatherReturnExceptions and ExceptionGroup).
type PanicError struct {
	// Value is the original panic value.
	Value any
}

// Error formats the panic value.
func (e *PanicError) Error() string { return fmt.Sprint(e.Value) }

// unwrapPanic turns a recovered value into the value the user panicked
// with: yaegi may hand panics of interpreted code over as reflect.Value.
func unwrapPanic(p any) any {
	if v, ok := p.(reflect.Value); ok && v.IsValid() && v.CanInterface() {
		return v.Interface()
	}
	return p
}

// asError presents a failure (a panic value) as an error.
func asError(p any) error {
	if err, ok := p.(error); ok {
		return err
	}
	return &PanicError{Value: p}
}

// isCancel reports whether a panic value is a cancellation.
func isCancel(p any) (*CancelledError, bool) {
	c, ok := p.(*CancelledError)
	return c, ok
}
