package interp

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/goawait/goawait/language"
)

// resultDisplay returns the execute_result of a cell.
func resultDisplay(t *testing.T, p *fakePub) language.Display {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range p.displays {
		if d.Result {
			return d
		}
	}
	t.Fatalf("no execute_result; displays %+v", p.displays)
	return language.Display{}
}

func TestRichReprOfCellTypes(t *testing.T) {
	r := newRunner(t)
	r.ok(`import "fmt"

type Card struct{ Name string }

func (c Card) HTML() string     { return "<b>" + c.Name + "</b>" }
func (c Card) Markdown() string { return "**" + c.Name + "**" }
func (c Card) String() string   { return "Card " + c.Name }

type Formula struct{}

func (*Formula) LaTeX() string { return "$x^2$" }

type Blob struct{}

func (Blob) MIMEBundle() map[string]any {
	return map[string]any{"application/vnd.blob+json": map[string]any{"n": 1}, "text/plain": "a blob"}
}

type Pic struct{}

func (Pic) PNG() []byte { return []byte{137, 80} }
func (Pic) SVG() string { return fmt.Sprint("<svg/>") }
`)
	d := resultDisplay(t, r.ok(`Card{"ace"}`))
	if d.Data["text/html"] != "<b>ace</b>" || d.Data["text/markdown"] != "**ace**" || d.Data["text/plain"] != "Card ace" {
		t.Fatalf("Card: %+v", d.Data)
	}
	// Through a pointer too.
	d = resultDisplay(t, r.ok(`&Card{"king"}`))
	if d.Data["text/html"] != "<b>king</b>" {
		t.Fatalf("*Card: %+v", d.Data)
	}
	d = resultDisplay(t, r.ok(`&Formula{}`))
	if d.Data["text/latex"] != "$x^2$" {
		t.Fatalf("*Formula: %+v", d.Data)
	}
	// Formula, Blob and Pic have the same structure (struct{}): each
	// shows its own methods only.
	d = resultDisplay(t, r.ok(`Blob{}`))
	if d.Data["text/plain"] != "a blob" || d.Data["application/vnd.blob+json"] == nil || len(d.Data) != 2 {
		t.Fatalf("Blob: %+v", d.Data)
	}
	d = resultDisplay(t, r.ok(`Pic{}`))
	if d.Data["image/png"] != base64.StdEncoding.EncodeToString([]byte{137, 80}) || d.Data["image/svg+xml"] != "<svg/>" || len(d.Data) != 3 {
		t.Fatalf("Pic: %+v", d.Data)
	}
	// Plain values stay plain.
	d = resultDisplay(t, r.ok(`42`))
	if len(d.Data) != 1 || d.Data["text/plain"] != "42" {
		t.Fatalf("42: %+v", d.Data)
	}
}

func TestRichReprOfTypeDeclaredInTheSameCell(t *testing.T) {
	r := newRunner(t)
	d := resultDisplay(t, r.ok("type Note string\nfunc (n Note) Markdown() string { return \"> \" + string(n) }\nNote(\"hi\")"))
	if d.Data["text/markdown"] != "> hi" {
		t.Fatalf("Note: %+v", d.Data)
	}
}

func TestRichReprOfImagesAndHostValues(t *testing.T) {
	r := newRunner(t)
	r.ok("import (\n\t\"image\"\n\t\"image/color\"\n\t\"goawait/display\"\n)")
	d := resultDisplay(t, r.ok(`image.NewRGBA(image.Rect(0, 0, 4, 3))`))
	if d.Data["image/png"] == nil || d.Data["text/plain"] != "[PNG image 4x3]" {
		t.Fatalf("RGBA: %+v", d.Data)
	}
	// An image type declared in a cell.
	r.ok(`type Checker struct{ N int }

func (c Checker) ColorModel() color.Model { return color.GrayModel }
func (c Checker) Bounds() image.Rectangle  { return image.Rect(0, 0, c.N, c.N) }
func (c Checker) At(x, y int) color.Color {
	if (x+y)%2 == 0 {
		return color.White
	}
	return color.Black
}`)
	d = resultDisplay(t, r.ok(`Checker{8}`))
	if d.Data["image/png"] == nil || d.Data["text/plain"] != "[PNG image 8x8]" {
		t.Fatalf("Checker: %+v", d.Data)
	}
	// A display.Output as the last value is shown as what it holds.
	d = resultDisplay(t, r.ok(`display.HTMLOutput("<i>x</i>")`))
	if d.Data["text/html"] != "<i>x</i>" || d.Data["text/plain"] != "x" {
		t.Fatalf("Output: %+v", d.Data)
	}
}

func TestDisplayFunctionsInCells(t *testing.T) {
	r := newRunner(t)
	p := r.ok(`import "goawait/display"
display.Markdown("# T")
display.LaTeX("$y$")
display.JSON(map[string]int{"a": 1})
display.Bundle(map[string]any{"image/png": []byte{1}}, map[string]any{"image/png": map[string]any{"width": 10, "height": 5}})
display.ClearOutput(true)
display.BarChart([]string{"a", "b"}, []float64{1, 2}, display.ChartOptions{Title: "Bars"})
display.LineChart([]float64{1, 2}, []float64{3, 4})
pr := display.Progress(4)
for i := 0; i < 4; i++ {
	pr.Add(1)
}`)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.clears != 1 {
		t.Fatalf("clears = %d", p.clears)
	}
	want := []string{"text/markdown", "text/latex", "application/json", "image/png", "image/svg+xml", "image/svg+xml", "text/html"}
	if len(p.displays) < len(want) {
		t.Fatalf("displays = %+v", p.displays)
	}
	for i, m := range want {
		d := p.displays[i]
		if d.Data[m] == nil || d.Data["text/plain"] == nil {
			t.Errorf("display %d lacks %s or text/plain: %+v", i, m, d.Data)
		}
	}
	if md := p.displays[3].Metadata["image/png"].(map[string]any); md["width"] != 10 {
		t.Errorf("metadata = %+v", p.displays[3].Metadata)
	}
	if !strings.Contains(p.displays[4].Data["text/plain"].(string), `"Bars"`) {
		t.Errorf("bar chart text = %v", p.displays[4].Data["text/plain"])
	}
	last := p.displays[len(p.displays)-1]
	if !last.Update || last.Data["text/plain"] != "[====================] 4/4" {
		t.Errorf("progress = %+v", last)
	}
}

// orderPub records streams and displays in the order they arrive.
type orderPub struct {
	*fakePub
	events []string
}

func (p *orderPub) Stream(name, text string) {
	p.fakePub.Stream(name, text)
	p.mu.Lock()
	p.events = append(p.events, name+":"+text)
	p.mu.Unlock()
}

func (p *orderPub) Display(d language.Display) {
	p.fakePub.Display(d)
	p.mu.Lock()
	p.events = append(p.events, "display:"+d.Data["text/plain"].(string))
	p.mu.Unlock()
}

func TestDisplaysComeAfterTheOutputPrintedBeforeThem(t *testing.T) {
	s := newSession(t)
	for i := 0; i < 20; i++ {
		p := &orderPub{fakePub: newPub()}
		res := s.Execute(language.Cell{Code: "import \"fmt\"\nimport \"goawait/display\"\nfmt.Println(\"a\")\ndisplay.Text(\"b\")\nfmt.Println(\"c\")", ExecutionCount: i + 1}, p)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := strings.Join(p.events, "|"); got != "stdout:a\n|display:b|stdout:c\n" {
			t.Fatalf("run %d: events %q", i, got)
		}
	}
}

func TestRichReprOfAVariableAndOfAFunctionResult(t *testing.T) {
	r := newRunner(t)
	r.ok("type Badge string\nfunc (b Badge) HTML() string { return \"<span>\" + string(b) + \"</span>\" }\nfunc make1() Badge { return \"made\" }\nb := Badge(\"var\")")
	if d := resultDisplay(t, r.ok("b")); d.Data["text/html"] != "<span>var</span>" {
		t.Fatalf("variable: %+v", d.Data)
	}
	if d := resultDisplay(t, r.ok("make1()")); d.Data["text/html"] != "<span>made</span>" {
		t.Fatalf("call: %+v", d.Data)
	}
}
