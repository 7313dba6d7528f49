package asyncio

import (
	"fmt"
	"strings"
)

// TimeoutError is the failure of WaitFor and Timeout when the deadline
// passes first.
type TimeoutError struct{}

// Error returns "TimeoutError".
func (e *TimeoutError) Error() string { return "TimeoutError" }

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
