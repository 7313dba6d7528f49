package asyncio

import (
	"fmt"
	"reflect"
	"strings"
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

// TimeoutError is the failure of WaitFor and Timeout when the deadline
// passes first.
type TimeoutError struct{}

// Error returns "TimeoutError".
func (e *TimeoutError) Error() string { return "TimeoutError" }

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

// ValueError reports a bad value, such as releasing a BoundedSemaphore too
// many times.
type ValueError struct {
	// Msg describes the problem.
	Msg string
}

// Error returns the message unchanged.
func (e *ValueError) Error() string { return e.Msg }

// QueueEmpty is panicked by Queue.GetNowait on an empty queue.
type QueueEmpty struct{}

// Error returns "QueueEmpty".
func (e *QueueEmpty) Error() string { return "QueueEmpty" }

// QueueFull is panicked by Queue.PutNowait on a full queue.
type QueueFull struct{}

// Error returns "QueueFull".
func (e *QueueFull) Error() string { return "QueueFull" }

// PanicError presents a panic value that is not an error as an error (for
// Exception, GatherReturnExceptions and ExceptionGroup).
type PanicError struct {
	// Value is the original panic value.
	Value any
}

// Error formats the panic value.
func (e *PanicError) Error() string { return fmt.Sprint(e.Value) }

// ExceptionGroup is the failure of a TaskGroup: every error its tasks
// failed with, in the order they failed.
type ExceptionGroup struct {
	// Msg is the group's message.
	Msg string
	// Errors are the failures of the group's tasks.
	Errors []error
}

// Error returns asyncio's message, e.g.
// "unhandled errors in a TaskGroup (2 sub-exceptions)", followed by each
// sub-error.
func (e *ExceptionGroup) Error() string {
	var b strings.Builder
	word := "sub-exceptions"
	if len(e.Errors) == 1 {
		word = "sub-exception"
	}
	fmt.Fprintf(&b, "%s (%d %s)", e.Msg, len(e.Errors), word)
	for _, err := range e.Errors {
		b.WriteString("\n  ")
		b.WriteString(err.Error())
	}
	return b.String()
}

// Unwrap returns the sub-errors so errors.Is and errors.As look into them.
func (e *ExceptionGroup) Unwrap() []error { return e.Errors }

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
