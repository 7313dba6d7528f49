package rich

import (
	"go/ast"
	"go/token"
	"image"
	"reflect"
	"strings"
	"testing"

	"github.com/goawait/goawait/interp/internal/reserved"
)

type card struct{ name string }

func (c card) HTML() string { return "<b>" + c.name + "</b>" }
func (c card) PNG() []byte  { return []byte{137, 80} }

func TestCollectorGathersTheLastValuesForms(t *testing.T) {
	var c Collector
	c.Reset(card{"x"})
	data := c.Take("{name:x}")
	if data["text/plain"] != "{name:x}" || data["text/html"] != "<b>x</b>" || data["image/png"] != "iVA=" {
		t.Fatalf("host value: %v", data)
	}
	if data := c.Take("again"); len(data) != 1 {
		t.Fatalf("Take did not forget the rich form: %v", data)
	}
	// The show code's host functions, as interpreted values reach them.
	c.Reset(nil)
	fns := c.Exports()[reserved.RuntimeExports]
	fns["RichHTML"].Call([]reflect.Value{reflect.ValueOf(card{"y"})})
	fns["RichImage"].Call([]reflect.Value{reflect.ValueOf(image.NewGray(image.Rect(0, 0, 2, 2)))})
	data = c.Take("y")
	if data["text/html"] != "<b>y</b>" || data["image/png"] == nil || !strings.Contains(data["text/plain"].(string), "2") {
		t.Fatalf("from host functions: %v", data)
	}
}

func TestShowCallsForTheSessionsRichMethods(t *testing.T) {
	calls := func(methods ...string) string {
		var names []string
		for _, st := range ShowCalls(methods, "v", token.NoPos) {
			sel := st.(*ast.ExprStmt).X.(*ast.CallExpr).Fun.(*ast.SelectorExpr)
			names = append(names, sel.X.(*ast.Ident).Name+"."+sel.Sel.Name)
		}
		return strings.Join(names, " ")
	}
	if got := calls("String", "Markdown", "HTML"); got != reserved.Runtime+".RichHTML "+reserved.Runtime+".RichMarkdown" {
		t.Errorf("calls %q", got)
	}
	if got := calls("At", "Bounds"); got != "" {
		t.Errorf("calls %q for a type without ColorModel", got)
	}
	if got := calls("At", "Bounds", "ColorModel"); got != reserved.Runtime+".RichImage" {
		t.Errorf("calls %q for an image type", got)
	}
}
