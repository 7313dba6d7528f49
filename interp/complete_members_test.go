package interp

import (
	"slices"
	"testing"
)

func TestCompleteFieldsAndMethodsOfVariables(t *testing.T) {
	r := newRunner(t)
	r.ok("import \"strings\"\ntype Point struct{ X, Y int }\nfunc (p Point) Norm1() int { return p.X + p.Y }\npt := Point{1, 2}\nvar sb strings.Builder")
	c := r.s.Complete("pt.", 3)
	for _, want := range []string{"pt.X", "pt.Y", "pt.Norm1"} {
		if !slices.Contains(c.Matches, want) {
			t.Errorf("pt. lacks %s: %v", want, c.Matches)
		}
	}
	if c.CursorStart != 0 {
		t.Errorf("cursor start = %d", c.CursorStart)
	}
	c = r.s.Complete("sb.Wr", 5)
	if len(c.Matches) == 0 || c.Matches[0] != "sb.Write" || !slices.Contains(c.Matches, "sb.WriteString") {
		t.Errorf("sb.Wr = %v", c.Matches)
	}
	for _, ty := range c.Types {
		if ty.Type != "method" {
			t.Errorf("kind of %s = %s", ty.Text, ty.Type)
		}
	}
}

func TestCompleteRanksExactPrefixFirstThenIgnoringCase(t *testing.T) {
	r := newRunner(t)
	r.ok("import \"fmt\"\nprinted := 1")
	c := r.s.Complete("fmt.print", 9)
	if len(c.Matches) == 0 || !slices.Contains(c.Matches, "fmt.Println") {
		t.Fatalf("fmt.print = %v", c.Matches)
	}
	c = r.s.Complete("Pr", 2)
	if !slices.Contains(c.Matches, "printed") || !slices.Contains(c.Matches, "println") {
		t.Fatalf("Pr = %v", c.Matches)
	}
	c = r.s.Complete("pri", 3)
	if c.Matches[0] != "print" || !slices.Contains(c.Matches, "printed") {
		t.Fatalf("pri = %v", c.Matches)
	}
}

func TestCompleteMagicNames(t *testing.T) {
	s := newSession(t)
	c := s.Complete("x := 1\n%ti", 10)
	if !slices.Equal(c.Matches, []string{"%time", "%timeit"}) || c.CursorStart != 7 || c.Types[0].Type != "magic" {
		t.Fatalf("%%ti = %+v", c)
	}
	c = s.Complete("%%ht", 4)
	if !slices.Equal(c.Matches, []string{"%%html"}) {
		t.Fatalf("%%%%ht = %+v", c)
	}
}
