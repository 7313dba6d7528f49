package interp

import (
	"slices"
	"testing"
)

func TestCompletionInsideAsyncFuncsAndAfterAwait(t *testing.T) {
	r := newRunner(t)
	r.ok("import \"fmt\"\nasync func fetchData() map[string]int { return map[string]int{\"a\": 1} }\nresultCount := 3")
	for _, tc := range []struct{ code, want string }{
		{"async func g() {\n\tv := await fetchData()\n\tfmt.Pr", "fmt.Println"},
		{"async func g() {\n\tawait fetch", "fetchData"},
		{"x := await fetchData()\nresultC", "resultCount"},
		{"await asyncio.Sl", "asyncio.Sleep"},
	} {
		c := r.s.Complete(tc.code, len([]rune(tc.code)))
		if !slices.Contains(c.Matches, tc.want) {
			t.Errorf("Complete(%q) = %v, want %s among them", tc.code, c.Matches, tc.want)
		}
	}
}
