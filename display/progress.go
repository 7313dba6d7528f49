package display

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"time"
)

// progressWidth is the number of cells of a text progress bar.
const progressWidth = 20

// progressEvery is the least time between two updates of a bar whose
// drawing did not change (only the count did).
const progressEvery = 100 * time.Millisecond

// ProgressBar is a progress bar shown in a cell and updated in place. Its
// text form reads `label [==========          ] 50/100`; front ends that
// render HTML show a <progress> element. Updates are throttled: the bar
// is redrawn when its drawing changes, at most every 100 ms otherwise,
// and always when it reaches its total or Done is called. Methods are
// safe for concurrent use.
type ProgressBar struct {
	h *Handle

	mu    sync.Mutex
	n     int
	total int
	label string
	last  time.Time // of the last update sent
	shown string    // text/plain last sent
}

// Progress shows a progress bar counting to total (0 or less: a counter
// without bar) and returns it.
func (d *Display) Progress(total int) *ProgressBar {
	p := &ProgressBar{h: d.NewHandle(), total: total}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.shown = p.text()
	p.last = time.Now()
	p.h.Display(p.output())
	return p
}

// Add advances the bar by n.
func (p *ProgressBar) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n += n
	p.redraw(false)
}

// Set moves the bar to n.
func (p *ProgressBar) Set(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n = n
	p.redraw(false)
}

// SetLabel changes the text shown before the bar.
func (p *ProgressBar) SetLabel(label string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.label = label
	p.redraw(true)
}

// Done draws the bar's final state (whatever the throttling skipped).
func (p *ProgressBar) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.redraw(true)
}

// Value returns the current count.
func (p *ProgressBar) Value() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// String returns the bar's text form.
func (p *ProgressBar) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.text()
}

// redraw sends an update when something visible changed and the throttle
// allows it (force: always, if the text changed).
func (p *ProgressBar) redraw(force bool) {
	text := p.text()
	if text == p.shown {
		return
	}
	finished := p.total > 0 && p.n >= p.total
	if !force && !finished && p.filled() == p.filledOf(p.shown) && time.Since(p.last) < progressEvery {
		return
	}
	p.shown = text
	p.last = time.Now()
	p.h.Update(p.output())
}

// filled returns how many cells of the bar are full.
func (p *ProgressBar) filled() int {
	if p.total <= 0 {
		return 0
	}
	f := p.n * progressWidth / p.total
	return max(0, min(progressWidth, f))
}

// filledOf counts the full cells of a drawn bar.
func (p *ProgressBar) filledOf(text string) int { return strings.Count(text, "=") }

func (p *ProgressBar) text() string {
	var b strings.Builder
	if p.label != "" {
		b.WriteString(p.label)
		b.WriteString(" ")
	}
	if p.total <= 0 {
		fmt.Fprintf(&b, "%d", p.n)
		return b.String()
	}
	f := p.filled()
	fmt.Fprintf(&b, "[%s%s] %d/%d", strings.Repeat("=", f), strings.Repeat(" ", progressWidth-f), p.n, p.total)
	return b.String()
}

func (p *ProgressBar) output() Output {
	var h strings.Builder
	h.WriteString(`<div class="goawait-progress">`)
	if p.label != "" {
		fmt.Fprintf(&h, "%s ", html.EscapeString(p.label))
	}
	if p.total > 0 {
		fmt.Fprintf(&h, `<progress value="%d" max="%d" style="width: 20em; vertical-align: middle"></progress> %d/%d`, max(0, min(p.n, p.total)), p.total, p.n, p.total)
	} else {
		fmt.Fprintf(&h, "%d", p.n)
	}
	h.WriteString(`</div>`)
	return Output{Data: map[string]any{"text/plain": p.text(), "text/html": h.String()}}
}
