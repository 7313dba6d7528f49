package display

import (
	"encoding/base64"
	"encoding/xml"
	"image"
	"image/color"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/goawait/goawait/language"
)

// pub records displays and clears.
type pub struct {
	mu       sync.Mutex
	displays []language.Display
	clears   []bool
}

func (p *pub) Display(d language.Display) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.displays = append(p.displays, d)
}

func (p *pub) ClearOutput(wait bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clears = append(p.clears, wait)
}

func newDisplay() (*Display, *pub) {
	p := &pub{}
	return New(func() Publisher { return p }), p
}

func call(t *testing.T, d *Display, name string, args ...any) {
	t.Helper()
	f, ok := d.Symbols()[name]
	if !ok {
		t.Fatalf("no symbol %s", name)
	}
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		in[i] = reflect.ValueOf(a)
	}
	f.Call(in)
}

func TestEachDisplayTypeHasItsMIMEAndATextFallback(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	cases := []struct {
		fn   string
		arg  any
		mime string
		text string
	}{
		{"HTML", "<p>Hello <b>world</b> &amp; you</p>", "text/html", "Hello world & you"},
		{"Markdown", "# Title", "text/markdown", "# Title"},
		{"LaTeX", `$x^2$`, "text/latex", `$x^2$`},
		{"SVG", `<svg width="10" height="20"></svg>`, "image/svg+xml", "[SVG image 10x20]"},
		{"Text", "plain", "text/plain", "plain"},
		{"JSON", map[string]any{"a": []int{1, 2}}, "application/json", "{\n  \"a\": [\n    1,\n    2\n  ]\n}"},
		{"Image", image.Image(img), "image/png", "[PNG image 3x2]"},
	}
	for _, tc := range cases {
		d, p := newDisplay()
		call(t, d, tc.fn, tc.arg)
		if len(p.displays) != 1 {
			t.Fatalf("%s: %d displays", tc.fn, len(p.displays))
		}
		got := p.displays[0]
		if got.Data[tc.mime] == nil || got.Data["text/plain"] != tc.text || got.Metadata == nil || got.Update || got.Result {
			t.Errorf("%s: display = %+v, want %s and text %q", tc.fn, got, tc.mime, tc.text)
		}
	}
}

func TestBinaryImagesAreBase64(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 4, 5))
	o, err := JPEGImageOutput(img, 0)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := o.Data["image/jpeg"].(string)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) < 2 || b[0] != 0xFF || b[1] != 0xD8 {
		t.Fatalf("image/jpeg is not base64 JPEG: %q", s)
	}
	if text := o.withFallback().Data["text/plain"]; text != "[JPEG image 4x5]" {
		t.Fatalf("fallback = %q", text)
	}
}

func TestBundleKeepsMetadataAndEncodesBytes(t *testing.T) {
	d, p := newDisplay()
	call(t, d, "Bundle", map[string]any{"image/png": []byte{1, 2, 3}, "text/html": "<i>x</i>"},
		map[string]any{"image/png": map[string]any{"width": 40, "height": 30}})
	got := p.displays[0]
	if got.Data["image/png"] != base64.StdEncoding.EncodeToString([]byte{1, 2, 3}) {
		t.Fatalf("png = %v", got.Data["image/png"])
	}
	if got.Metadata["image/png"].(map[string]any)["width"] != 40 || got.Data["text/plain"] != "x" {
		t.Fatalf("display = %+v", got)
	}
}

func TestClearOutputAndHandles(t *testing.T) {
	d, p := newDisplay()
	call(t, d, "ClearOutput", true)
	h := d.NewHandle()
	h.Display(HTMLOutput("<b>1</b>"))
	h.Update(TextOutput("2"))
	if len(p.clears) != 1 || !p.clears[0] {
		t.Fatalf("clears = %v", p.clears)
	}
	if len(p.displays) != 2 || p.displays[0].Update || !p.displays[1].Update ||
		p.displays[0].Transient["display_id"] != h.ID() || p.displays[1].Transient["display_id"] != h.ID() || h.ID() == "" {
		t.Fatalf("displays = %+v", p.displays)
	}
	if p.displays[1].Data["text/plain"] != "2" {
		t.Fatalf("update = %+v", p.displays[1])
	}
}

func TestNoPublisherDropsOutput(t *testing.T) {
	d := New(func() Publisher { return nil })
	d.Show(TextOutput("x"))
	d.ClearOutput(false)
}

func TestProgressUpdatesInPlaceAndEndsOnTheTotal(t *testing.T) {
	d, p := newDisplay()
	bar := d.Progress(100)
	for i := 0; i < 100; i++ {
		bar.Add(1)
	}
	if len(p.displays) < 2 || len(p.displays) > 25 {
		t.Fatalf("%d displays for 100 steps (want throttled updates)", len(p.displays))
	}
	first, last := p.displays[0], p.displays[len(p.displays)-1]
	if first.Update || first.Data["text/plain"] != "[                    ] 0/100" {
		t.Fatalf("first = %+v", first)
	}
	if !last.Update || last.Transient["display_id"] != first.Transient["display_id"] || last.Data["text/plain"] != "[====================] 100/100" {
		t.Fatalf("last = %+v", last)
	}
	if html, _ := last.Data["text/html"].(string); !strings.Contains(html, `<progress value="100" max="100"`) {
		t.Fatalf("html = %q", html)
	}
	bar.Set(50)
	bar.SetLabel("half")
	if got := p.displays[len(p.displays)-1].Data["text/plain"]; got != "half [==========          ] 50/100" || bar.Value() != 50 {
		t.Fatalf("after Set/SetLabel: %q", got)
	}
}

func TestProgressDoneShowsWhatThrottlingSkipped(t *testing.T) {
	d, p := newDisplay()
	bar := d.Progress(1000)
	bar.Add(1) // same drawing, within 100 ms: skipped
	if n := len(p.displays); n != 1 {
		t.Fatalf("%d displays", n)
	}
	bar.Done()
	if got := p.displays[len(p.displays)-1].Data["text/plain"]; got != "[                    ] 1/1000" {
		t.Fatalf("after Done: %q", got)
	}
	counter := d.Progress(0)
	counter.Add(7)
	counter.Done()
	if got := p.displays[len(p.displays)-1].Data["text/plain"]; got != "7" || counter.String() != "7" {
		t.Fatalf("counter: %q", got)
	}
}

func TestRichHostValues(t *testing.T) {
	if _, ok := Rich(42); ok {
		t.Fatal("an int is not rich")
	}
	o, ok := Rich(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	if !ok || o.Data["image/png"] == nil {
		t.Fatalf("image: %+v", o)
	}
	o, ok = Rich(HTMLOutput("<b>x</b>"))
	if !ok || o.Data["text/html"] != "<b>x</b>" {
		t.Fatalf("output: %+v", o)
	}
	o, ok = Rich(richThing{})
	if !ok || o.Data["text/html"] != "<b>t</b>" || o.Data["text/markdown"] != "*t*" || o.Data["text/latex"] != "$t$" ||
		o.Data["image/svg+xml"] != "<svg/>" || o.Data["application/x-thing"] != "x" || o.Data["image/png"] != "AQ==" {
		t.Fatalf("rich thing: %+v", o)
	}
}

type richThing struct{}

func (richThing) HTML() string               { return "<b>t</b>" }
func (richThing) Markdown() string           { return "*t*" }
func (richThing) LaTeX() string              { return "$t$" }
func (richThing) SVG() string                { return "<svg/>" }
func (richThing) PNG() []byte                { return []byte{1} }
func (richThing) MIMEBundle() map[string]any { return map[string]any{"application/x-thing": "x"} }

func TestChartsAreWellFormedSVGWithAxesAndTicks(t *testing.T) {
	xs := []float64{0, 1, 2, 3, 4}
	ys := []float64{0, 1, 4, 9, 16}
	for name, svg := range map[string]string{
		"line":    LineChartSVG(xs, ys, ChartOptions{Title: "Squares & more", XLabel: "x", YLabel: "x²"}),
		"scatter": ScatterChartSVG(xs, ys),
		"bar":     BarChartSVG([]string{"a", "b", "c"}, []float64{3, -1, 2.5}),
	} {
		dec := xml.NewDecoder(strings.NewReader(svg))
		for {
			_, err := dec.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Fatalf("%s: not well-formed XML: %v\n%s", name, err, svg)
				}
				break
			}
		}
		if !strings.HasPrefix(svg, `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="300"`) {
			t.Errorf("%s: %.80s", name, svg)
		}
	}
	line := LineChartSVG(xs, ys, ChartOptions{Title: "Squares & more"})
	for _, want := range []string{"<polyline", ">Squares &amp; more</text>", ">20</text>", ">0</text>", ">4</text>"} {
		if !strings.Contains(line, want) {
			t.Errorf("line chart lacks %q", want)
		}
	}
	bar := BarChartSVG([]string{"a", "b"}, []float64{3, -1})
	if strings.Count(bar, "<rect") != 3 || !strings.Contains(bar, ">-1</text>") || !strings.Contains(bar, ">a</text>") {
		t.Errorf("bar chart: %s", bar)
	}
}

func TestTicksAreNice(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   string
	}{
		{0, 16, "0 5 10 15 20"},
		{0, 1, "0.0 0.2 0.4 0.6 0.8 1.0"},
		{-3, 7, "-4 -2 0 2 4 6 8"},
		{5, 5, "2 3 4 5 6 7 8"},
	} {
		ts := ticks(tc.lo, tc.hi, 5)
		var got []string
		for _, v := range ts {
			got = append(got, tickLabel(v, ts))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("ticks(%v, %v) = %v, want %s", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestChartOutputsAndMismatchedLengths(t *testing.T) {
	o := LineChartOutput([]float64{1, 2}, []float64{3, 4}, ChartOptions{Title: "T"})
	if o.Data["text/plain"] != `[line chart "T", 2 points]` || o.Data["image/svg+xml"] == nil {
		t.Fatalf("output = %+v", o.Data["text/plain"])
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "2 x values but 1 y values") {
			t.Fatalf("recover = %v", r)
		}
	}()
	LineChartSVG([]float64{1, 2}, []float64{1})
}
