package timeline

import (
	"fmt"
	"html"
	"math"
	"strings"
	"time"
)

// The picture of a TaskTimeline, in the style of goawait/display's
// charts: white background, sans-serif 11px, light grid, steel blue.

const (
	tlMaxRows  = 60  // rows drawn; the rest are counted in a note
	tlWidth    = 760 // pixels
	tlRowH     = 24  // pixels per task row
	tlBarH     = 14  // height of a bar
	tlCharW    = 6.2 // approximate width of a character at 11px
	tlSmallW   = 5.2 // approximate width of a character at 9px
	tlRunColor = "steelblue"
	tlWaitFill = "#dbe7f3"
	tlWaitLine = "#9fbcd9"
	tlReady    = "#f1f1f1"
)

// tlEnd is how an end state is drawn: symbol, colour, legend word.
var tlEnd = map[string]struct{ sym, color, word string }{
	"done":      {"✓", "#2e7d32", "done"},
	"cancelled": {"⊘", "#e07b00", "cancelled"},
	"failed":    {"✗", "#c62828", "failed"},
	"pending":   {"…", "#777777", "still pending"},
}

// SVG draws the timeline: one row per task (name and coroutine), a time
// axis, running spans as solid bars, waiting spans as light bars labelled
// with what they waited on, a mark where each task ended (✓ done,
// ⊘ cancelled, ✗ failed, … still pending) and a legend. The SVG is
// self-contained (no scripts, no external fonts); hovering a bar shows
// its exact times.
func (tl *TaskTimeline) SVG() string {
	var b strings.Builder
	rows := tl.Tasks
	hidden := 0
	if len(rows) > tlMaxRows {
		hidden = len(rows) - tlMaxRows
		rows = rows[:tlMaxRows]
	}
	nameW := 60.0
	for _, tk := range rows {
		nameW = max(nameW, float64(len([]rune(rowTitle(tk))))*tlCharW)
	}
	nameW = math.Min(nameW, 260)
	left, right := 16+nameW+10, float64(tlWidth)-30
	top := 44.0
	if tl.Note != "" || hidden > 0 {
		top += 16
	}
	axisY := top + float64(len(rows))*tlRowH + 6
	height := axisY + 60
	length := tl.Length
	if length <= 0 {
		length = time.Millisecond
	}
	ticks, unit, unitName := timeTicks(length)
	x1 := ticks[len(ticks)-1]
	px := func(d time.Duration) float64 {
		return left + float64(d)/float64(x1)*(right-left)
	}

	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%.0f" viewBox="0 0 %d %.0f" font-family="sans-serif" font-size="11">`+"\n", tlWidth, height, tlWidth, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%.0f" fill="white"/>`+"\n", tlWidth, height)
	fmt.Fprintf(&b, `<text x="16" y="22" font-size="14" font-weight="bold">%s</text>`+"\n", esc(tl.title()))
	if tl.Note != "" || hidden > 0 {
		var notes []string
		if tl.Note != "" && tl.Cell != "" {
			notes = append(notes, tl.Note)
		}
		if hidden > 0 {
			notes = append(notes, fmt.Sprintf("showing the first %d tasks, %d more not drawn", tlMaxRows, hidden))
		}
		fmt.Fprintf(&b, `<text x="16" y="40" fill="#777777">%s</text>`+"\n", esc(strings.Join(notes, "; ")))
	}

	// Grid and time axis.
	for _, t := range ticks {
		x := px(t)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e5e5e5"/>`+"\n", x, top-4, x, axisY)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", x, axisY, x, axisY+4)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", x, axisY+16, tickText(t, unit, unitName, ticks))
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", left, axisY, right, axisY)

	// Rows.
	for i, tk := range rows {
		y := top + float64(i)*tlRowH
		mid := y + tlRowH/2
		if i%2 == 1 {
			fmt.Fprintf(&b, `<rect x="8" y="%.1f" width="%.1f" height="%d" fill="#fafafa"/>`+"\n", y, right-8, tlRowH)
		}
		fmt.Fprintf(&b, `<text x="16" y="%.1f" dominant-baseline="middle">%s</text>`+"\n", mid, esc(clip(rowTitle(tk), int(nameW/tlCharW))))
		barY := mid - tlBarH/2
		runEnd := math.Inf(-1)
		for _, sp := range tk.Spans {
			xa, xb := px(sp.Start), px(sp.End)
			tip := fmt.Sprintf("%s %s: %s – %s", tk.Name, spanWord(sp), msText(sp.Start), msText(sp.End))
			switch {
			case sp.Running:
				if xb < xa+1 {
					xb = xa + 1
				}
				if xa < runEnd+0.5 { // merge with the previous running bar
					xa = runEnd
					if xb <= xa {
						continue
					}
				}
				runEnd = xb
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>`+"\n", xa, barY, xb-xa, tlBarH, tlRunColor, esc(tip))
			case xb-xa < 0.5:
				continue
			case sp.Label == "ready":
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>`+"\n", xa, barY+3, xb-xa, tlBarH-6, tlReady, esc(tip))
			default:
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s" stroke="%s" stroke-width="0.5"><title>%s</title></rect>`+"\n", xa, barY, xb-xa, tlBarH, tlWaitFill, tlWaitLine, esc(tip))
				if label := fitLabel(sp.Label, xb-xa); label != "" {
					fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="9" fill="#335577" dominant-baseline="middle">%s</text>`+"\n", xa+3, mid, esc(label))
				}
			}
		}
		if e, ok := tlEnd[tk.State]; ok {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="13" font-weight="bold" fill="%s" dominant-baseline="middle">%s<title>%s %s at %s</title></text>`+"\n", px(tk.End)+3, mid, e.color, e.sym, esc(tk.Name), e.word, msText(tk.End))
		}
	}

	// Legend.
	ly := axisY + 40
	x := 16.0
	legendBox := func(fill, stroke, word string) {
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="18" height="10" fill="%s"`, x, ly-5, fill)
		if stroke != "" {
			fmt.Fprintf(&b, ` stroke="%s" stroke-width="0.5"`, stroke)
		}
		fmt.Fprintf(&b, `/><text x="%.1f" y="%.1f" dominant-baseline="middle">%s</text>`+"\n", x+24, ly, word)
		x += 24 + float64(len(word))*tlCharW*0.9 + 16
	}
	legendBox(tlRunColor, "", "running")
	legendBox(tlWaitFill, tlWaitLine, "waiting (on what it says)")
	legendBox(tlReady, "", "ready, not started")
	for _, st := range []string{"done", "cancelled", "failed"} {
		e := tlEnd[st]
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="13" font-weight="bold" fill="%s" dominant-baseline="middle">%s</text>`, x, ly, e.color, e.sym)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" dominant-baseline="middle">%s</text>`+"\n", x+14, ly, e.word)
		x += 14 + float64(len(e.word))*tlCharW*0.9 + 16
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// fitLabel returns the label of a waiting bar w pixels wide: the whole
// label, else its first word ("sleep" of "sleep 20ms"), else "".
func fitLabel(label string, w float64) string {
	fits := func(s string) bool { return float64(len([]rune(s)))*tlSmallW+6 <= w }
	if fits(label) {
		return label
	}
	if i := strings.IndexByte(label, ' '); i > 0 && fits(label[:i]) {
		return label[:i]
	}
	return ""
}

// rowTitle is a row's name: "Task-2 fetchData()", or "Cell-5" for a cell.
func rowTitle(tk TimelineTask) string {
	if tk.Coro == "" {
		return tk.Name
	}
	return tk.Name + " " + tk.Coro + "()"
}

// spanWord describes a span for its tooltip.
func spanWord(sp TimelineSpan) string {
	switch {
	case sp.Running:
		return "running"
	case sp.Label == "ready":
		return "ready"
	}
	return "waiting on " + sp.Label
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n || n < 2 {
		return s
	}
	return string(r[:n-1]) + "…"
}

func esc(s string) string { return html.EscapeString(s) }

// timeTicks returns nice tick times from 0 to at least length (about 6 of
// them), and the unit to label them in.
func timeTicks(length time.Duration) (ticks []time.Duration, unit time.Duration, name string) {
	raw := float64(length) / 6
	exp := math.Floor(math.Log10(raw))
	f := raw / math.Pow(10, exp)
	var nf float64
	switch {
	case f < 1.5:
		nf = 1
	case f < 3:
		nf = 2
	case f < 7:
		nf = 5
	default:
		nf = 10
	}
	step := time.Duration(math.Max(1, nf*math.Pow(10, exp)))
	for t := time.Duration(0); ; t += step {
		ticks = append(ticks, t)
		if t >= length {
			break
		}
	}
	switch {
	case ticks[len(ticks)-1] >= 2*time.Second:
		return ticks, time.Second, "s"
	case ticks[len(ticks)-1] >= 2*time.Millisecond:
		return ticks, time.Millisecond, "ms"
	}
	return ticks, time.Microsecond, "µs"
}

// tickText labels tick t in unit, with the decimals the step needs.
func tickText(t, unit time.Duration, name string, all []time.Duration) string {
	if t == 0 {
		return "0"
	}
	prec := 0
	if len(all) > 1 {
		step := float64(all[1]-all[0]) / float64(unit)
		prec = max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	}
	return fmt.Sprintf("%.*f%s", prec, float64(t)/float64(unit), name)
}
