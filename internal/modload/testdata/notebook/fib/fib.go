// Package fib is a notebook's own package: compiled, it is fast.
package fib

// Fib returns the nth Fibonacci number, the slow way.
func Fib(n int) int {
	if n < 2 {
		return n
	}
	return Fib(n-1) + Fib(n-2)
}
