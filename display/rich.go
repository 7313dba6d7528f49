package display

import (
	"encoding/base64"
	"image"
)

// The methods that give a value a rich representation, as IPython's
// _repr_html_ and friends do. Each is looked up on its own; a value may
// have several.
type (
	htmler     interface{ HTML() string }
	markdowner interface{ Markdown() string }
	svger      interface{ SVG() string }
	pnger      interface{ PNG() []byte }
	jpeger     interface{ JPEG() []byte }
	latexer    interface{ LaTeX() string }
	bundler    interface{ MIMEBundle() map[string]any }
)

// RichMethods lists the methods (name and result type) that make a value
// show richly, in the order they are tried.
var RichMethods = []struct{ Name, Result, MIME string }{
	{"HTML", "string", "text/html"},
	{"Markdown", "string", "text/markdown"},
	{"SVG", "string", "image/svg+xml"},
	{"PNG", "[]byte", "image/png"},
	{"JPEG", "[]byte", "image/jpeg"},
	{"LaTeX", "string", "text/latex"},
	{"MIMEBundle", "map[string]any", ""},
}

// Rich returns the rich output of a host value: an Output itself, an
// image.Image (as PNG), or a value with some of the methods HTML() string,
// Markdown() string, SVG() string, PNG() []byte, JPEG() []byte, LaTeX()
// string and MIMEBundle() map[string]any. It reports false for other
// values. The output has no text/plain entry unless MIMEBundle gave one.
func Rich(v any) (Output, bool) {
	switch x := v.(type) {
	case nil:
		return Output{}, false
	case Output:
		return x, true
	case *Output:
		if x == nil {
			return Output{}, false
		}
		return *x, true
	case image.Image:
		o, err := ImageOutput(x)
		return o, err == nil
	}
	data := map[string]any{}
	if x, ok := v.(htmler); ok {
		data["text/html"] = x.HTML()
	}
	if x, ok := v.(markdowner); ok {
		data["text/markdown"] = x.Markdown()
	}
	if x, ok := v.(svger); ok {
		data["image/svg+xml"] = x.SVG()
	}
	if x, ok := v.(pnger); ok {
		data["image/png"] = base64.StdEncoding.EncodeToString(x.PNG())
	}
	if x, ok := v.(jpeger); ok {
		data["image/jpeg"] = base64.StdEncoding.EncodeToString(x.JPEG())
	}
	if x, ok := v.(latexer); ok {
		data["text/latex"] = x.LaTeX()
	}
	if x, ok := v.(bundler); ok {
		for k, val := range BundleOutput(x.MIMEBundle(), nil).Data {
			data[k] = val
		}
	}
	if len(data) == 0 {
		return Output{}, false
	}
	return Output{Data: data}, true
}
