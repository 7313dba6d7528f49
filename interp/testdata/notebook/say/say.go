// Package say writes to the process's standard output and error, as
// compiled code does.
package say

import (
	"fmt"
	"os"
)

// Hello prints a line on stdout and one on stderr.
func Hello(name string) {
	fmt.Println("hello from compiled code,", name)
	fmt.Fprintln(os.Stderr, "compiled stderr")
}

// Later prints a line on stdout from a goroutine of its own, and closes
// done when it has.
func Later(text string, done chan struct{}) {
	go func() {
		fmt.Println(text)
		close(done)
	}()
}
