// Package kinds has an exported name of every kind a symbol table holds.
package kinds

import "fmt"

// Constants: untyped ones stay untyped (Huge does not fit an int64).
const (
	Huge          = 1 << 70
	Half          = 0.5
	Pi            = 3.14159265358979323846264338327950288419716939937510582097494459
	Greeting      = "hello"
	Yes           = true
	Typed    Unit = 3
)

// Unit is a defined type.
type Unit int

// Counter is a variable.
var Counter = 1

// Shape is an interface that interpreted types can implement.
type Shape interface {
	Area() float64
	Name() string
	Scale(factors ...float64) Shape
}

// Describe calls the methods of s.
func Describe(s Shape) string {
	return fmt.Sprintf("%s %.1f %.1f", s.Name(), s.Area(), s.Scale(2, 3).Area())
}

// Stringer has a String method that fmt calls.
type Stringer interface{ String() string }

// Show prints s with fmt, which calls its String method.
func Show(s Stringer) string { return fmt.Sprint(s) }

// Number is a type constraint.
type Number interface{ ~int | ~float64 }

// Sum is a generic function.
func Sum[T Number](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

// Pair is a generic type.
type Pair[K comparable, V any] struct {
	Key K
	Val V
}

// sealed has an unexported method: no other package can implement it.
type sealed interface{ seal() }

// Sealed is an exported interface with an unexported method.
type Sealed interface {
	sealed
	Open() string
}
