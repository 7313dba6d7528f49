// Package broken does not compile.
package broken

// F returns a string where an int is declared.
func F() int { return "two" }
