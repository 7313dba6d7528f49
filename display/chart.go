package display

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// ChartOptions describes a chart's frame. The zero value is a 480x300
// chart without title or axis labels, drawn in steel blue.
type ChartOptions struct {
	Title  string
	XLabel string
	YLabel string
	Width  int    // pixels; 0 means 480
	Height int    // pixels; 0 means 300
	Color  string // CSS colour of the data; "" means steelblue
}

func chartOptions(opts []ChartOptions) ChartOptions {
	var o ChartOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Width <= 0 {
		o.Width = 480
	}
	if o.Height <= 0 {
		o.Height = 300
	}
	if o.Color == "" {
		o.Color = "steelblue"
	}
	return o
}

// frame is a chart's drawing area and scales.
type frame struct {
	o                     ChartOptions
	left, top, right, bot float64 // plot area in pixels
	x0, x1, y0, y1        float64 // data ranges shown
	xticks, yticks        []float64
	b                     strings.Builder
}

func newFrame(o ChartOptions) *frame {
	f := &frame{o: o, left: 60, top: 20, right: float64(o.Width) - 20, bot: float64(o.Height) - 35}
	if o.Title != "" {
		f.top += 20
	}
	if o.XLabel != "" {
		f.bot -= 15
	}
	if o.YLabel != "" {
		f.left += 15
	}
	return f
}

func (f *frame) px(x float64) float64 {
	return f.left + (x-f.x0)/(f.x1-f.x0)*(f.right-f.left)
}

func (f *frame) py(y float64) float64 {
	return f.bot - (y-f.y0)/(f.y1-f.y0)*(f.bot-f.top)
}

// start writes the svg element, title and axis labels.
func (f *frame) start() {
	o := f.o
	fmt.Fprintf(&f.b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", o.Width, o.Height, o.Width, o.Height)
	fmt.Fprintf(&f.b, `<rect width="%d" height="%d" fill="white"/>`+"\n", o.Width, o.Height)
	if o.Title != "" {
		fmt.Fprintf(&f.b, `<text x="%.1f" y="20" text-anchor="middle" font-size="14" font-weight="bold">%s</text>`+"\n", float64(o.Width)/2, html.EscapeString(o.Title))
	}
	if o.XLabel != "" {
		fmt.Fprintf(&f.b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", (f.left+f.right)/2, o.Height-6, html.EscapeString(o.XLabel))
	}
	if o.YLabel != "" {
		cy := (f.top + f.bot) / 2
		fmt.Fprintf(&f.b, `<text x="14" y="%.1f" text-anchor="middle" transform="rotate(-90 14 %.1f)">%s</text>`+"\n", cy, cy, html.EscapeString(o.YLabel))
	}
}

// axes draws grid lines, ticks and labels of the y axis, and of the x
// axis when xticks is set, then the axis lines.
func (f *frame) axes() {
	for _, t := range f.yticks {
		y := f.py(t)
		fmt.Fprintf(&f.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e5e5e5"/>`+"\n", f.left, y, f.right, y)
		fmt.Fprintf(&f.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", f.left-4, y, f.left, y)
		fmt.Fprintf(&f.b, `<text x="%.1f" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`+"\n", f.left-6, y, tickLabel(t, f.yticks))
	}
	for _, t := range f.xticks {
		x := f.px(t)
		fmt.Fprintf(&f.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e5e5e5"/>`+"\n", x, f.top, x, f.bot)
		fmt.Fprintf(&f.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", x, f.bot, x, f.bot+4)
		fmt.Fprintf(&f.b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", x, f.bot+16, tickLabel(t, f.xticks))
	}
	fmt.Fprintf(&f.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", f.left, f.top, f.left, f.bot)
	fmt.Fprintf(&f.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", f.left, f.bot, f.right, f.bot)
}

func (f *frame) end() string {
	f.b.WriteString("</svg>\n")
	return f.b.String()
}

// niceNum rounds x to 1, 2, 5 or 10 times a power of ten (Heckbert's
// "nice numbers for graph labels").
func niceNum(x float64, round bool) float64 {
	if x <= 0 {
		return 1
	}
	exp := math.Floor(math.Log10(x))
	f := x / math.Pow(10, exp)
	var nf float64
	switch {
	case round && f < 1.5, !round && f <= 1:
		nf = 1
	case round && f < 3, !round && f <= 2:
		nf = 2
	case round && f < 7, !round && f <= 5:
		nf = 5
	default:
		nf = 10
	}
	return nf * math.Pow(10, exp)
}

// ticks returns about n nice tick values covering [lo, hi]; the first and
// last are the range to draw.
func ticks(lo, hi float64, n int) []float64 {
	if lo == hi {
		d := math.Abs(lo) / 2
		if d == 0 {
			d = 1
		}
		lo, hi = lo-d, hi+d
	}
	step := niceNum(niceNum(hi-lo, false)/float64(n-1), true)
	start := math.Floor(lo/step) * step
	end := math.Ceil(hi/step) * step
	var out []float64
	for i := 0; ; i++ {
		v := start + float64(i)*step
		if v > end+step/2 {
			break
		}
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		out = append(out, v)
	}
	return out
}

// tickLabel formats a tick with the decimals its step needs.
func tickLabel(v float64, all []float64) string {
	prec := 0
	if len(all) > 1 {
		step := all[1] - all[0]
		prec = max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// finiteRange returns the smallest and largest finite values.
func finiteRange(vs []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		lo, hi, ok = math.Min(lo, v), math.Max(hi, v), true
	}
	return lo, hi, ok
}

func finite(x, y float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0) && !math.IsNaN(y) && !math.IsInf(y, 0)
}

// xyFrame sets up a frame for x/y data.
func xyFrame(kind string, xs, ys []float64, opts []ChartOptions) *frame {
	if len(xs) != len(ys) {
		panic(fmt.Sprintf("display.%s: %d x values but %d y values", kind, len(xs), len(ys)))
	}
	f := newFrame(chartOptions(opts))
	xlo, xhi, ok := finiteRange(xs)
	if !ok {
		xlo, xhi = 0, 1
	}
	ylo, yhi, ok := finiteRange(ys)
	if !ok {
		ylo, yhi = 0, 1
	}
	f.xticks = ticks(xlo, xhi, 6)
	f.yticks = ticks(ylo, yhi, 5)
	f.x0, f.x1 = f.xticks[0], f.xticks[len(f.xticks)-1]
	f.y0, f.y1 = f.yticks[0], f.yticks[len(f.yticks)-1]
	f.start()
	f.axes()
	return f
}

// LineChartSVG draws ys against xs as a line, as SVG text. Points whose
// coordinates are NaN or infinite break the line.
func LineChartSVG(xs, ys []float64, opts ...ChartOptions) string {
	f := xyFrame("LineChart", xs, ys, opts)
	var pts []string
	flush := func() {
		if len(pts) > 0 {
			fmt.Fprintf(&f.b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", html.EscapeString(f.o.Color), strings.Join(pts, " "))
		}
		pts = nil
	}
	for i := range xs {
		if !finite(xs[i], ys[i]) {
			flush()
			continue
		}
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", f.px(xs[i]), f.py(ys[i])))
	}
	flush()
	return f.end()
}

// ScatterChartSVG draws the points (xs[i], ys[i]) as dots, as SVG text.
func ScatterChartSVG(xs, ys []float64, opts ...ChartOptions) string {
	f := xyFrame("ScatterChart", xs, ys, opts)
	for i := range xs {
		if finite(xs[i], ys[i]) {
			fmt.Fprintf(&f.b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s" fill-opacity="0.8"/>`+"\n", f.px(xs[i]), f.py(ys[i]), html.EscapeString(f.o.Color))
		}
	}
	return f.end()
}

// BarChartSVG draws one bar per label, as SVG text. The value axis always
// includes zero.
func BarChartSVG(labels []string, values []float64, opts ...ChartOptions) string {
	if len(labels) != len(values) {
		panic(fmt.Sprintf("display.BarChart: %d labels but %d values", len(labels), len(values)))
	}
	f := newFrame(chartOptions(opts))
	lo, hi, ok := finiteRange(values)
	if !ok {
		lo, hi = 0, 1
	}
	f.yticks = ticks(math.Min(lo, 0), math.Max(hi, 0), 5)
	f.y0, f.y1 = f.yticks[0], f.yticks[len(f.yticks)-1]
	f.x0, f.x1 = 0, 1
	f.start()
	f.axes()
	n := len(values)
	if n > 0 {
		band := (f.right - f.left) / float64(n)
		zero := f.py(0)
		for i, v := range values {
			x := f.left + band*float64(i)
			if finite(v, 0) {
				top, h := f.py(v), zero-f.py(v)
				if h < 0 {
					top, h = zero, -h
				}
				fmt.Fprintf(&f.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s</title></rect>`+"\n",
					x+band*0.1, top, band*0.8, h, html.EscapeString(f.o.Color), html.EscapeString(labels[i]), strconv.FormatFloat(v, 'g', -1, 64))
			}
			label := labels[i]
			if r := []rune(label); len(r) > int(band/6.5)+1 && len(r) > 2 {
				label = string(r[:max(1, int(band/6.5))]) + "…"
			}
			fmt.Fprintf(&f.b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", x+band/2, f.bot+16, html.EscapeString(label))
		}
		if f.y0 < 0 {
			fmt.Fprintf(&f.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", f.left, zero, f.right, zero)
		}
	}
	return f.end()
}

// chartOutput wraps a chart's SVG with a text fallback naming it.
func chartOutput(kind, svg string, n int, opts []ChartOptions) Output {
	o := chartOptions(opts)
	text := fmt.Sprintf("[%s, %d points]", kind, n)
	if o.Title != "" {
		text = fmt.Sprintf("[%s %q, %d points]", kind, o.Title, n)
	}
	return Output{Data: map[string]any{"image/svg+xml": svg, "text/plain": text}}
}

// LineChartOutput returns a line chart as an output (for handles).
func LineChartOutput(xs, ys []float64, opts ...ChartOptions) Output {
	return chartOutput("line chart", LineChartSVG(xs, ys, opts...), len(xs), opts)
}

// ScatterChartOutput returns a scatter chart as an output (for handles).
func ScatterChartOutput(xs, ys []float64, opts ...ChartOptions) Output {
	return chartOutput("scatter chart", ScatterChartSVG(xs, ys, opts...), len(xs), opts)
}

// BarChartOutput returns a bar chart as an output (for handles).
func BarChartOutput(labels []string, values []float64, opts ...ChartOptions) Output {
	return chartOutput("bar chart", BarChartSVG(labels, values, opts...), len(values), opts)
}
