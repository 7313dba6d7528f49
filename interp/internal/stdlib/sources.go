package stdlib

// Sources holds, as Go source, the standard packages made of generic code
// only that yaegi's own copies (cmp, maps, slices) leave out: the
// interpreter compiles them once, before the first cell.
//
// iter has its two types; iter.Pull and iter.Pull2, which need
// coroutines, are not there (a cell calling them fails to compile).
var Sources = []string{iterSource}

const iterSource = `// Package iter defines the types of iterators over sequences.
package iter

// Seq is an iterator over sequences of individual values.
type Seq[V any] func(yield func(V) bool)

// Seq2 is an iterator over sequences of pairs of values.
type Seq2[K, V any] func(yield func(K, V) bool)
`
