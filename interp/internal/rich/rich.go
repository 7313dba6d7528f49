// Package rich gives a cell's last value its rich form: the MIME bundle
// of its execute_result (HTML, Markdown, SVG, PNG, JPEG, LaTeX, or a
// bundle of the value's own) besides the text/plain the session computes.
// A value has one when it is a display.Output or an image.Image, or has
// some of the methods display.RichMethods lists (HTML() string, PNG()
// []byte...). A Collector gathers the bundle while the session shows the
// value, through host functions that the showing code calls (ShowCalls).
package rich

import (
	"encoding/base64"
	"go/ast"
	"go/token"
	"image"
	"path"
	"reflect"
	"sync"

	"github.com/goawait/goawait/display"
	"github.com/goawait/goawait/interp/internal/reserved"
)

// Host values are looked at by display.Rich. Methods of types declared in
// cells are invisible to host code (yaegi's values lose them on the way
// out), and yaegi's type assertions inside the interpreter cannot be
// trusted with them (assertions to concrete types compare structure, not
// names). What works is yaegi's interface mapping: a host function
// registered in MapTypes with an interface gets its argument wrapped, when
// the argument's static type has the interface's methods, in a host value
// whose methods call the interpreted ones. So the code that shows the last
// value also calls, for each rich method some session type has,
//
//	__gort.RichHTML(__goawait_v)
//
// and the host function calls HTML() on the wrapped value (ShowCalls
// writes those calls, Collector.Exports provides the functions).

// Collector builds the rich form of a cell's last value while the value
// is shown. Its zero value is ready to use; it is safe for concurrent use.
type Collector struct {
	mu   sync.Mutex
	data map[string]any
}

// Reset forgets the rich form of an earlier value and records the host's
// view of v.
func (s *Collector) Reset(v any) {
	var data map[string]any
	if o, ok := display.Rich(v); ok {
		data = make(map[string]any, len(o.Data)+1)
		for k, val := range o.Data {
			data[k] = val
		}
		switch v.(type) {
		case display.Output, *display.Output, image.Image:
			// Their %+v is a struct or a pixel dump: say what they are.
			if _, ok := data["text/plain"]; !ok {
				data["text/plain"] = display.PlainText(data)
			}
		}
	}
	s.mu.Lock()
	s.data = data
	s.mu.Unlock()
}

// add records one MIME type of the last value. Binary content is
// base64-encoded.
func (s *Collector) add(mime string, content any) {
	if b, ok := content.([]byte); ok {
		content = base64.StdEncoding.EncodeToString(b)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.data == nil {
		s.data = map[string]any{}
	}
	s.data[mime] = content
}

// Take returns the MIME bundle of the last value whose text is text, and
// forgets the rich form.
func (s *Collector) Take(text string) map[string]any {
	s.mu.Lock()
	rich := s.data
	s.data = nil
	s.mu.Unlock()
	data := map[string]any{"text/plain": text}
	for k, v := range rich {
		data[k] = v
	}
	return data
}

// The interfaces of the rich methods, and the wrappers yaegi builds for
// interpreted values passed to the host functions mapped to them (the
// shape yaegi's extracted symbols have: the value, then one func field
// per method, named by the method with a one-letter prefix).
type (
	htmler     interface{ HTML() string }
	markdowner interface{ Markdown() string }
	svger      interface{ SVG() string }
	pnger      interface{ PNG() []byte }
	jpeger     interface{ JPEG() []byte }
	latexer    interface{ LaTeX() string }
	bundler    interface{ MIMEBundle() map[string]any }

	wrapHTML struct {
		IValue any
		WHTML  func() string
	}
	wrapMarkdown struct {
		IValue    any
		WMarkdown func() string
	}
	wrapSVG struct {
		IValue any
		WSVG   func() string
	}
	wrapPNG struct {
		IValue any
		WPNG   func() []byte
	}
	wrapJPEG struct {
		IValue any
		WJPEG  func() []byte
	}
	wrapLaTeX struct {
		IValue any
		WLaTeX func() string
	}
	wrapMIMEBundle struct {
		IValue      any
		WMIMEBundle func() map[string]any
	}
)

func (w wrapHTML) HTML() string                     { return w.WHTML() }
func (w wrapMarkdown) Markdown() string             { return w.WMarkdown() }
func (w wrapSVG) SVG() string                       { return w.WSVG() }
func (w wrapPNG) PNG() []byte                       { return w.WPNG() }
func (w wrapJPEG) JPEG() []byte                     { return w.WJPEG() }
func (w wrapLaTeX) LaTeX() string                   { return w.WLaTeX() }
func (w wrapMIMEBundle) MIMEBundle() map[string]any { return w.WMIMEBundle() }

// richFuncs returns the host functions of the show code, by the method
// they look for, with the interface yaegi must map their argument to.
func (s *Collector) funcs() map[string]struct {
	fn    reflect.Value
	iface reflect.Type
} {
	type entry = struct {
		fn    reflect.Value
		iface reflect.Type
	}
	text := func(mime string, get func(any) (string, bool)) reflect.Value {
		return reflect.ValueOf(func(v any) {
			if t, ok := get(v); ok {
				s.add(mime, t)
			}
		})
	}
	bin := func(mime string, get func(any) ([]byte, bool)) reflect.Value {
		return reflect.ValueOf(func(v any) {
			if b, ok := get(v); ok {
				s.add(mime, b)
			}
		})
	}
	return map[string]entry{
		"HTML": {text("text/html", func(v any) (string, bool) {
			x, ok := v.(htmler)
			return call(ok, x, htmler.HTML)
		}), reflect.TypeFor[htmler]()},
		"Markdown": {text("text/markdown", func(v any) (string, bool) {
			x, ok := v.(markdowner)
			return call(ok, x, markdowner.Markdown)
		}), reflect.TypeFor[markdowner]()},
		"SVG": {text("image/svg+xml", func(v any) (string, bool) {
			x, ok := v.(svger)
			return call(ok, x, svger.SVG)
		}), reflect.TypeFor[svger]()},
		"LaTeX": {text("text/latex", func(v any) (string, bool) {
			x, ok := v.(latexer)
			return call(ok, x, latexer.LaTeX)
		}), reflect.TypeFor[latexer]()},
		"PNG": {bin("image/png", func(v any) ([]byte, bool) {
			x, ok := v.(pnger)
			return call(ok, x, pnger.PNG)
		}), reflect.TypeFor[pnger]()},
		"JPEG": {bin("image/jpeg", func(v any) ([]byte, bool) {
			x, ok := v.(jpeger)
			return call(ok, x, jpeger.JPEG)
		}), reflect.TypeFor[jpeger]()},
		"MIMEBundle": {reflect.ValueOf(func(v any) {
			if x, ok := v.(bundler); ok {
				for k, val := range display.BundleOutput(x.MIMEBundle(), nil).Data {
					s.add(k, val)
				}
			}
		}), reflect.TypeFor[bundler]()},
		"Image": {reflect.ValueOf(func(v any) {
			if img, ok := v.(image.Image); ok {
				s.addImage(img)
			}
		}), reflect.TypeFor[image.Image]()},
	}
}

// call calls m on x when ok.
func call[T, R any](ok bool, x T, m func(T) R) (R, bool) {
	if !ok {
		var zero R
		return zero, false
	}
	return m(x), true
}

// Exports returns the host symbols of rich display, for the interpreter:
// the Rich... functions (in the runtime package, reserved.Runtime) that
// record into s, their interface mapping, and the wrappers yaegi looks up
// by the interfaces' package path.
func (s *Collector) Exports() map[string]map[string]reflect.Value {
	rt := map[string]reflect.Value{}
	mapTypes := map[reflect.Value][]reflect.Type{}
	for name, e := range s.funcs() {
		rt["Rich"+name] = e.fn
		mapTypes[e.fn] = []reflect.Type{e.iface}
	}
	self := reflect.TypeFor[htmler]().PkgPath()
	return map[string]map[string]reflect.Value{
		reserved.RuntimeExports: rt,
		".":                     {"MapTypes": reflect.ValueOf(mapTypes)},
		self + "/" + path.Base(self): {
			"_htmler":     reflect.ValueOf((*wrapHTML)(nil)),
			"_markdowner": reflect.ValueOf((*wrapMarkdown)(nil)),
			"_svger":      reflect.ValueOf((*wrapSVG)(nil)),
			"_pnger":      reflect.ValueOf((*wrapPNG)(nil)),
			"_jpeger":     reflect.ValueOf((*wrapJPEG)(nil)),
			"_latexer":    reflect.ValueOf((*wrapLaTeX)(nil)),
			"_bundler":    reflect.ValueOf((*wrapMIMEBundle)(nil)),
		},
	}
}

// imageMethods are the methods of image.Image, with their parameter
// counts.
var imageMethods = map[string]int{"ColorModel": 0, "Bounds": 0, "At": 2}

// ShowCalls returns the calls the code that shows a value, held in the
// variable v, makes at pos: one per rich method that some type of the
// session has (methods lists the names of the methods cells declared),
// and one for image.Image when those methods include its own.
func ShowCalls(methods []string, v string, pos token.Pos) []ast.Stmt {
	names := map[string]bool{}
	for _, method := range methods {
		for _, m := range display.RichMethods {
			if m.Name == method {
				names[method] = true
			}
		}
		if _, ok := imageMethods[method]; ok {
			names[method] = true
		}
	}
	var calls []string
	for _, m := range display.RichMethods {
		if names[m.Name] {
			calls = append(calls, m.Name)
		}
	}
	if names["ColorModel"] && names["Bounds"] && names["At"] {
		calls = append(calls, "Image")
	}
	out := make([]ast.Stmt, len(calls))
	for i, name := range calls {
		out[i] = &ast.ExprStmt{X: &ast.CallExpr{
			Fun:    &ast.SelectorExpr{X: &ast.Ident{NamePos: pos, Name: reserved.Runtime}, Sel: &ast.Ident{NamePos: pos, Name: "Rich" + name}},
			Lparen: pos, Args: []ast.Expr{&ast.Ident{NamePos: pos, Name: v}}, Rparen: pos}}
	}
	return out
}

// addImage records an image.Image of an interpreted type as PNG, with a
// text/plain that says what it is (its %+v is a pixel dump).
func (s *Collector) addImage(img image.Image) {
	o, err := display.ImageOutput(img)
	if err != nil {
		return
	}
	for k, v := range o.Data {
		s.add(k, v)
	}
	s.add("text/plain", display.PlainText(o.Data))
}
