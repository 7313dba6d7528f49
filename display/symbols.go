package display

import (
	"image"
	"reflect"
)

// Symbols returns the package as cells see it, bound to d: functions that
// send at once (HTML, Markdown, SVG, PNG, JPEG, JSON, Text, LaTeX, Image,
// Bundle, Show, ClearOutput, LineChart, BarChart, ScatterChart),
// NewHandle, Progress, and the Output builders (the same names with an
// Output suffix) for handles.
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
		"JPEGImage":   reflect.ValueOf(func(img image.Image, quality int) { must(JPEGImageOutput(img, quality)) }),
		"Bundle":      reflect.ValueOf(func(data, metadata map[string]any) { show(BundleOutput(data, metadata)) }),
		"ClearOutput": reflect.ValueOf(d.ClearOutput),
		"NewHandle":   reflect.ValueOf(d.NewHandle),
		"Show":        reflect.ValueOf(d.Show),
		"Progress":    reflect.ValueOf(d.Progress),
		"LineChart": reflect.ValueOf(func(xs, ys []float64, opts ...ChartOptions) {
			show(LineChartOutput(xs, ys, opts...))
		}),
		"ScatterChart": reflect.ValueOf(func(xs, ys []float64, opts ...ChartOptions) {
			show(ScatterChartOutput(xs, ys, opts...))
		}),
		"BarChart": reflect.ValueOf(func(labels []string, values []float64, opts ...ChartOptions) {
			show(BarChartOutput(labels, values, opts...))
		}),

		"Mime":               reflect.ValueOf(Mime),
		"HTMLOutput":         reflect.ValueOf(HTMLOutput),
		"MarkdownOutput":     reflect.ValueOf(MarkdownOutput),
		"SVGOutput":          reflect.ValueOf(SVGOutput),
		"TextOutput":         reflect.ValueOf(TextOutput),
		"LaTeXOutput":        reflect.ValueOf(LaTeXOutput),
		"PNGOutput":          reflect.ValueOf(PNGOutput),
		"JPEGOutput":         reflect.ValueOf(JPEGOutput),
		"JSONOutput":         reflect.ValueOf(JSONOutput),
		"ImageOutput":        reflect.ValueOf(ImageOutput),
		"JPEGImageOutput":    reflect.ValueOf(JPEGImageOutput),
		"BundleOutput":       reflect.ValueOf(BundleOutput),
		"LineChartOutput":    reflect.ValueOf(LineChartOutput),
		"ScatterChartOutput": reflect.ValueOf(ScatterChartOutput),
		"BarChartOutput":     reflect.ValueOf(BarChartOutput),
		"LineChartSVG":       reflect.ValueOf(LineChartSVG),
		"ScatterChartSVG":    reflect.ValueOf(ScatterChartSVG),
		"BarChartSVG":        reflect.ValueOf(BarChartSVG),

		"Output":       reflect.ValueOf((*Output)(nil)),
		"Handle":       reflect.ValueOf((*Handle)(nil)),
		"ProgressBar":  reflect.ValueOf((*ProgressBar)(nil)),
		"ChartOptions": reflect.ValueOf((*ChartOptions)(nil)),
	}
}

// Functions lists what cells can call, with a one-line description, for
// %help.
var Functions = [][2]string{
	{"display.HTML(s)", "show HTML"},
	{"display.Markdown(s)", "show Markdown"},
	{"display.LaTeX(s)", "show LaTeX, e.g. `$x^2$`"},
	{"display.SVG(s)", "show an SVG image"},
	{"display.Image(img)", "show any image.Image as PNG"},
	{"display.PNG(b) / display.JPEG(b)", "show encoded image bytes"},
	{"display.JSON(v)", "show v as a JSON tree"},
	{"display.Text(s)", "show plain text"},
	{"display.Bundle(data, metadata)", "show a raw MIME bundle (metadata: width, height...)"},
	{"display.Show(output)", "show an Output built by HTMLOutput, MarkdownOutput, ..."},
	{"display.ClearOutput(wait)", "clear the cell's output (wait: when the next output arrives)"},
	{"h := display.NewHandle()", "h.Display(output), then h.Update(output) to replace it in place"},
	{"p := display.Progress(total)", "a progress bar updated in place: p.Add(n), p.Set(n), p.Done()"},
	{"display.LineChart(xs, ys, opts)", "an SVG line chart (opts: display.ChartOptions{Title, XLabel, YLabel, Width, Height, Color})"},
	{"display.ScatterChart(xs, ys, opts)", "an SVG scatter chart"},
	{"display.BarChart(labels, values, opts)", "an SVG bar chart"},
	{"a cell's last value", "shown richly when it is an image.Image or has HTML(), Markdown(), SVG(), PNG(), JPEG(), LaTeX() or MIMEBundle() methods"},
}
