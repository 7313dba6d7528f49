package interp

import (
	"strings"
	"testing"
)

func TestEveryCompileErrorNamesTheUsersCell(t *testing.T) {
	r := newRunner(t)
	for _, tc := range []struct{ code, want string }{
		{"import \"fmt\"\nfmt.Printlncounter := 7", "cell[1]:2:1: "},
		{"x := 1\nx := 2", "cell[2]:2:"},
	} {
		_, err := r.fails(tc.code)
		text := err.Value + "\n" + strings.Join(err.Traceback, "\n")
		if !strings.HasPrefix(err.Value, tc.want) || strings.Contains(text, "_.go") || strings.Contains(text, "00001") {
			t.Errorf("%q: error %s: %s\n%s", tc.code, err.Name, err.Value, text)
		}
	}
}
