// Package display is the rich-output API of goawait cells, imported in a
// cell as "goawait/display":
//
//	display.HTML("<b>hi</b>")
//	display.Markdown("# Title")
//	display.Image(img)            // any image.Image, sent as PNG
//	h := display.NewHandle()
//	h.Display(display.Text("0%"))
//	h.Update(display.Text("100%"))
//
// Each function that takes content sends it at once and returns nothing;
// the Bundle type and the Mime helpers build outputs for handles. Outputs go
// to the publisher of the cell (or task) that is running when they are
// sent. The kernel builds one Display per session with New and exports its
// functions to the interpreter with Symbols: there is no global state.
package display

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"reflect"

	"github.com/goawait/goawait/kernel"
)

// ImportPath is the import path of this package in cells.
const ImportPath = "goawait/display"

// Publisher is the part of kernel.Publisher that displays use.
type Publisher interface {
	Display(d kernel.Display)
	ClearOutput(wait bool)
}

// Output is one rich output: a MIME bundle and its metadata.
type Output struct {
	Data     map[string]any
	Metadata map[string]any
}

// Display sends outputs to the current publisher of a session.
type Display struct {
	current func() Publisher
}

// New returns a Display that sends to whatever current returns at the time
// of each output (nil: the output is dropped).
func New(current func() Publisher) *Display {
	return &Display{current: current}
}

func (d *Display) send(o Output, transient map[string]any, update bool) {
	p := d.current()
	if p == nil {
		return
	}
	p.Display(kernel.Display{Data: o.Data, Metadata: o.Metadata, Transient: transient, Update: update})
}

// Show sends an output.
func (d *Display) Show(o Output) { d.send(o, nil, false) }

// ClearOutput clears the cell's output; with wait, only when the next
// output arrives.
func (d *Display) ClearOutput(wait bool) {
	if p := d.current(); p != nil {
		p.ClearOutput(wait)
	}
}

// Handle is an output that can be updated in place (display_id).
type Handle struct {
	d  *Display
	id string
}

// NewHandle returns a handle with a fresh display id.
func (d *Display) NewHandle() *Handle {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return &Handle{d: d, id: hex.EncodeToString(b[:])}
}

// ID returns the handle's display id.
func (h *Handle) ID() string { return h.id }

// Display shows o as the handle's output.
func (h *Handle) Display(o Output) {
	h.d.send(o, map[string]any{"display_id": h.id}, false)
}

// Update replaces every output shown with this handle by o.
func (h *Handle) Update(o Output) {
	h.d.send(o, map[string]any{"display_id": h.id}, true)
}

// Mime returns an output with one MIME type.
func Mime(mimeType string, content any) Output {
	return Output{Data: map[string]any{mimeType: content}}
}

// HTMLOutput returns a text/html output.
func HTMLOutput(s string) Output { return Mime("text/html", s) }

// MarkdownOutput returns a text/markdown output.
func MarkdownOutput(s string) Output { return Mime("text/markdown", s) }

// SVGOutput returns an image/svg+xml output.
func SVGOutput(s string) Output { return Mime("image/svg+xml", s) }

// TextOutput returns a text/plain output.
func TextOutput(s string) Output { return Mime("text/plain", s) }

// LaTeXOutput returns a text/latex output.
func LaTeXOutput(s string) Output { return Mime("text/latex", s) }

// PNGOutput returns an image/png output of encoded PNG bytes.
func PNGOutput(b []byte) Output { return Mime("image/png", b) }

// JPEGOutput returns an image/jpeg output of encoded JPEG bytes.
func JPEGOutput(b []byte) Output { return Mime("image/jpeg", b) }

// JSONOutput returns an application/json output of v, which must be
// encodable as JSON.
func JSONOutput(v any) (Output, error) {
	// Round-trip so that the kernel sends plain JSON values.
	b, err := json.Marshal(v)
	if err != nil {
		return Output{}, fmt.Errorf("display.JSON: %w", err)
	}
	var plain any
	if err := json.Unmarshal(b, &plain); err != nil {
		return Output{}, fmt.Errorf("display.JSON: %w", err)
	}
	return Mime("application/json", plain), nil
}

// ImageOutput returns an image/png output of img.
func ImageOutput(img image.Image) (Output, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Output{}, fmt.Errorf("display.Image: %w", err)
	}
	return PNGOutput(buf.Bytes()), nil
}

// BundleOutput returns an output of a full MIME bundle.
func BundleOutput(data, metadata map[string]any) Output {
	return Output{Data: data, Metadata: metadata}
}

// Symbols returns the package as cells see it, bound to d: functions that
// send at once (HTML, Markdown, SVG, PNG, JPEG, JSON, Text, LaTeX, Image,
// Bundle, ClearOutput), NewHandle, and the Output builders (the same names
// with an Output suffix) for handles.
func (d *Display) Symbols() map[string]reflect.Value {
	show := func(o Output) { d.Show(o) }
	must := func(o Output, err error) {
		if err != nil {
			panic(err)
		}
		d.Show(o)
	}
	return map[string]reflect.Value{
		"HTML":        reflect.ValueOf(func(s string) { show(HTMLOutput(s)) }),
		"Markdown":    reflect.ValueOf(func(s string) { show(MarkdownOutput(s)) }),
		"SVG":         reflect.ValueOf(func(s string) { show(SVGOutput(s)) }),
		"Text":        reflect.ValueOf(func(s string) { show(TextOutput(s)) }),
		"LaTeX":       reflect.ValueOf(func(s string) { show(LaTeXOutput(s)) }),
		"PNG":         reflect.ValueOf(func(b []byte) { show(PNGOutput(b)) }),
		"JPEG":        reflect.ValueOf(func(b []byte) { show(JPEGOutput(b)) }),
		"JSON":        reflect.ValueOf(func(v any) { must(JSONOutput(v)) }),
		"Image":       reflect.ValueOf(func(img image.Image) { must(ImageOutput(img)) }),
		"Bundle":      reflect.ValueOf(func(data, metadata map[string]any) { show(BundleOutput(data, metadata)) }),
		"ClearOutput": reflect.ValueOf(d.ClearOutput),
		"NewHandle":   reflect.ValueOf(d.NewHandle),
		"Show":        reflect.ValueOf(d.Show),

		"Mime":           reflect.ValueOf(Mime),
		"HTMLOutput":     reflect.ValueOf(HTMLOutput),
		"MarkdownOutput": reflect.ValueOf(MarkdownOutput),
		"SVGOutput":      reflect.ValueOf(SVGOutput),
		"TextOutput":     reflect.ValueOf(TextOutput),
		"LaTeXOutput":    reflect.ValueOf(LaTeXOutput),
		"PNGOutput":      reflect.ValueOf(PNGOutput),
		"JPEGOutput":     reflect.ValueOf(JPEGOutput),
		"JSONOutput":     reflect.ValueOf(JSONOutput),
		"ImageOutput":    reflect.ValueOf(ImageOutput),
		"BundleOutput":   reflect.ValueOf(BundleOutput),

		"Output": reflect.ValueOf((*Output)(nil)),
		"Handle": reflect.ValueOf((*Handle)(nil)),
	}
}
