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

// The cell's own frame in a traceback names the cell (yaegi places it in
// the function it wraps a chunk in, before any of the cell's positions)
// and, when the panic came out of an await, that await's line.
func TestTracebackCellFrame(t *testing.T) {
	r := newRunner(t)
	r.ok("async func failing() { panic(\"boom\") }\nfunc plain() { panic(\"plain\") }")
	for _, tc := range []struct{ code, frame string }{
		{"plain()", "  cell[2], line 1, in cell\n    plain()"},
		{"x := 1\nawait failing()", "  cell[3], line 2, in cell\n    await failing()"},
		{"x := 2\ny := await asyncio.Gather(asyncio.CreateTask(failing()))\n_, _ = x, y", "  cell[4], line 2, in cell\n    y := await asyncio.Gather(asyncio.CreateTask(failing()))"},
	} {
		_, err := r.fails(tc.code)
		tb := strings.Join(err.Traceback, "\n")
		if !strings.HasSuffix(tb, tc.frame) {
			t.Errorf("%q: traceback\n%s\nwant it to end with\n%s", tc.code, tb, tc.frame)
		}
	}
}
