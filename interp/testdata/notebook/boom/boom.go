// Package boom panics in compiled code.
package boom

// Now panics with msg.
func Now(msg string) { panic(msg) }
