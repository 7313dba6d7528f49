// Package display is the rich-output API of goawait cells, imported in a
// cell as "goawait/display":
//
//	display.HTML("<b>hi</b>")
//	display.Markdown("# Title")
//	display.Image(img)            // any image.Image, sent as PNG
//	h := display.NewHandle()
//	h.Display(display.TextOutput("0%"))
//	h.Update(display.TextOutput("100%"))
//	p := display.Progress(100)    // a bar updated in place
//	display.LineChart(xs, ys)     // an SVG chart
//
// Each function that takes content sends it at once and returns nothing;
// the Output type and the builders named ...Output build outputs for
// handles and for Show. Every output carries a text/plain fallback, so
// that a notebook read as text (nbconvert, a terminal) still says
// something. Outputs go to the publisher of the cell (or task) that is
// running when they are sent. The kernel builds one Display per session
// with New and exports its functions to the interpreter with Symbols:
// there is no global state.
package display

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/goawait/goawait/language"
)

// ImportPath is the import path of this package in cells.
const ImportPath = "goawait/display"

// Publisher is the part of language.Publisher that displays use.
type Publisher interface {
	Display(d language.Display)
	ClearOutput(wait bool)
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
	o = o.withFallback()
	p.Display(language.Display{Data: o.Data, Metadata: o.Metadata, Transient: transient, Update: update})
}

// Show sends an output.
func (d *Display) Show(o Output) { d.send(o, nil, false) }

// ClearOutput clears the cell's output; with wait, only when the next
// output arrives (which avoids flicker when redrawing).
func (d *Display) ClearOutput(wait bool) {
	if p := d.current(); p != nil {
		p.ClearOutput(wait)
	}
}

// Handle is an output that can be updated in place (a display_id).
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

// Display shows o as the handle's output (display_data with the handle's
// display_id). It may be called more than once: every copy is updated.
func (h *Handle) Display(o Output) {
	h.d.send(o, map[string]any{"display_id": h.id}, false)
}

// Update replaces every output shown with this handle by o
// (update_display_data), wherever it is in the notebook.
func (h *Handle) Update(o Output) {
	h.d.send(o, map[string]any{"display_id": h.id}, true)
}
