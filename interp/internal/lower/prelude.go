package lower

// Prelude is compiled into the interpreter's main package before the
// first cell: the generic helpers that Transform's rewrites call (min,
// max, the shims of slices and maps), and the deferred handler of
// goroutines. The names it imports and declares are reserved.
const Prelude = `import (
	__gort "goawait/internal/rt"
	__gofmt "fmt"
	__gosort "sort"
	__goerrors "errors"
)

type __goawait_ordered interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string
}

func __goawait_min[T __goawait_ordered](x T, y ...T) T {
	for _, v := range y {
		if v < x || v != v {
			x = v
		}
	}
	return x
}

func __goawait_max[T __goawait_ordered](x T, y ...T) T {
	for _, v := range y {
		if v > x || v != v {
			x = v
		}
	}
	return x
}

func __goawait_id[T any](x T) T { return x }

func __goawait_new[T any](x T) *T { return &x }

func __goawait_gorecover(r any) {
	if r != nil {
		__gort.GoPanic(r, __gofmt.Sprint(r))
	}
}

func __goawait_slices_Sort[E __goawait_ordered](x []E) {
	__gosort.Slice(x, func(i, j int) bool { return x[i] < x[j] })
}

func __goawait_slices_SortFunc[E any](x []E, cmp func(a, b E) int) {
	__gosort.SliceStable(x, func(i, j int) bool { return cmp(x[i], x[j]) < 0 })
}

func __goawait_slices_SortStableFunc[E any](x []E, cmp func(a, b E) int) {
	__gosort.SliceStable(x, func(i, j int) bool { return cmp(x[i], x[j]) < 0 })
}

func __goawait_slices_IsSorted[E __goawait_ordered](x []E) bool {
	for i := 1; i < len(x); i++ {
		if x[i] < x[i-1] {
			return false
		}
	}
	return true
}

func __goawait_slices_BinarySearch[E __goawait_ordered](x []E, target E) (int, bool) {
	i := __gosort.Search(len(x), func(i int) bool { return x[i] >= target })
	return i, i < len(x) && x[i] == target
}

func __goawait_slices_Min[E __goawait_ordered](x []E) E {
	if len(x) == 0 {
		panic("slices.Min: empty list")
	}
	return __goawait_min(x[0], x[1:]...)
}

func __goawait_slices_Max[E __goawait_ordered](x []E) E {
	if len(x) == 0 {
		panic("slices.Max: empty list")
	}
	return __goawait_max(x[0], x[1:]...)
}

func __goawait_slices_Collect[E any](seq func(yield func(E) bool)) []E {
	var out []E
	seq(func(e E) bool {
		out = append(out, e)
		return true
	})
	return out
}

func __goawait_slices_Sorted[E __goawait_ordered](seq func(yield func(E) bool)) []E {
	out := __goawait_slices_Collect(seq)
	__goawait_slices_Sort(out)
	return out
}

func __goawait_slices_SortedFunc[E any](seq func(yield func(E) bool), cmp func(a, b E) int) []E {
	out := __goawait_slices_Collect(seq)
	__goawait_slices_SortFunc(out, cmp)
	return out
}

func __goawait_slices_Values[E any](x []E) func(yield func(E) bool) {
	return func(yield func(E) bool) {
		for _, v := range x {
			if !yield(v) {
				return
			}
		}
	}
}

func __goawait_maps_Keys[K comparable, V any](m map[K]V) func(yield func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func __goawait_maps_Values[K comparable, V any](m map[K]V) func(yield func(V) bool) {
	return func(yield func(V) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

func __goawait_errors_AsType[E error](err error) (E, bool) {
	var e E
	ok := __goerrors.As(err, &e)
	return e, ok
}

func __goawait_slices_Equal[E comparable](x, y []E) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

func __goawait_slices_Compare[E __goawait_ordered](x, y []E) int {
	for i := 0; i < len(x) && i < len(y); i++ {
		switch {
		case x[i] != x[i] && y[i] == y[i]:
			return -1
		case x[i] == x[i] && y[i] != y[i]:
			return +1
		case x[i] < y[i]:
			return -1
		case x[i] > y[i]:
			return +1
		}
	}
	switch {
	case len(x) < len(y):
		return -1
	case len(x) > len(y):
		return +1
	}
	return 0
}

func __goawait_slices_MinFunc[E any](x []E, cmp func(a, b E) int) E {
	if len(x) == 0 {
		panic("slices.MinFunc: empty list")
	}
	m := x[0]
	for _, v := range x[1:] {
		if cmp(v, m) < 0 {
			m = v
		}
	}
	return m
}

func __goawait_slices_MaxFunc[E any](x []E, cmp func(a, b E) int) E {
	if len(x) == 0 {
		panic("slices.MaxFunc: empty list")
	}
	m := x[0]
	for _, v := range x[1:] {
		if cmp(v, m) > 0 {
			m = v
		}
	}
	return m
}

func __goawait_slices_Repeat[E any](x []E, count int) []E {
	if count < 0 {
		panic("cannot be negative")
	}
	out := make([]E, 0, len(x)*count)
	for i := 0; i < count; i++ {
		out = append(out, x...)
	}
	return out
}

func __goawait_maps_Equal[K, V comparable](x, y map[K]V) bool {
	if len(x) != len(y) {
		return false
	}
	for k, v := range x {
		if w, ok := y[k]; !ok || v != w {
			return false
		}
	}
	return true
}

func __goawait_maps_EqualFunc[K comparable, V1, V2 any](x map[K]V1, y map[K]V2, eq func(V1, V2) bool) bool {
	if len(x) != len(y) {
		return false
	}
	for k, v := range x {
		if w, ok := y[k]; !ok || !eq(v, w) {
			return false
		}
	}
	return true
}
`
