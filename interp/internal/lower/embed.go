package lower

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
	"strings"

	"github.com/goawait/goawait/interp/internal/reserved"
)

// embedDirective starts the comment of an embedded file.
const embedDirective = "//go:embed"

// Embed gives the variables under a //go:embed directive the content of
// their file, read when the declaration runs, relative to the kernel's
// working directory (the notebook's): `//go:embed hello.txt` above
// `var s string` (or []byte) becomes var s string = <the file's text>.
// What Go embeds otherwise (an embed.FS, several patterns) cannot be
// had: Embed returns an error naming the directive, rather than leave
// the variable empty without a word.
func Embed(f *ast.File, fset *token.FileSet) error {
	done := map[*ast.Comment]bool{}
	var err error
	ast.Inspect(f, func(n ast.Node) bool {
		gd, ok := n.(*ast.GenDecl)
		if !ok || gd.Doc == nil || err != nil {
			return err == nil
		}
		for _, c := range gd.Doc.List {
			if !strings.HasPrefix(c.Text, embedDirective+" ") {
				continue
			}
			done[c] = true
			err = embedVar(gd, c, fset)
			if err != nil {
				return false
			}
		}
		return true
	})
	if err != nil {
		return err
	}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, embedDirective) && !done[c] {
				return fmt.Errorf("%s: misplaced %s: it must be right above a var declaration", fset.Position(c.Pos()), embedDirective)
			}
		}
	}
	return nil
}

// embedVar lowers the declaration gd under the directive c.
func embedVar(gd *ast.GenDecl, c *ast.Comment, fset *token.FileSet) error {
	where := fset.Position(c.Pos())
	patterns := strings.Fields(strings.TrimPrefix(c.Text, embedDirective))
	var vs *ast.ValueSpec
	if gd.Tok == token.VAR && len(gd.Specs) == 1 {
		vs, _ = gd.Specs[0].(*ast.ValueSpec)
	}
	if vs == nil || len(vs.Names) != 1 || len(vs.Values) != 0 || vs.Type == nil {
		return fmt.Errorf("%s: %s must be right above the declaration of one variable without a value", where, embedDirective)
	}
	kind := ""
	switch t := vs.Type.(type) {
	case *ast.Ident:
		if t.Name == "string" {
			kind = "string"
		}
	case *ast.ArrayType:
		if id, ok := t.Elt.(*ast.Ident); ok && t.Len == nil && id.Name == "byte" {
			kind = "[]byte"
		}
	}
	if kind == "" {
		return fmt.Errorf("%s: %s into %s is not supported in a notebook: only a string or []byte variable can be embedded (read a directory with os.DirFS)", where, embedDirective, typeText(vs.Type))
	}
	if len(patterns) != 1 || strings.ContainsAny(patterns[0], "*?[") {
		return fmt.Errorf("%s: %s into a %s takes one file name", where, embedDirective, kind)
	}
	name, err := strconv.Unquote(patterns[0])
	if err != nil {
		name = patterns[0]
	}
	pos := vs.Names[0].Pos()
	var read ast.Expr = &ast.CallExpr{Fun: runtimeFunc(pos, reserved.EmbedFile), Lparen: pos,
		Args: []ast.Expr{&ast.BasicLit{ValuePos: pos, Kind: token.STRING, Value: strconv.Quote(name)}}, Rparen: pos}
	if kind == "[]byte" {
		read = &ast.CallExpr{Fun: &ast.ArrayType{Lbrack: pos, Elt: &ast.Ident{NamePos: pos, Name: "byte"}}, Lparen: pos, Args: []ast.Expr{read}, Rparen: pos}
	}
	vs.Values = []ast.Expr{read}
	return nil
}

// typeText prints a type expression for a message.
func typeText(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return typeText(t.X) + "." + t.Sel.Name
	case *ast.StarExpr:
		return "*" + typeText(t.X)
	}
	return "this type"
}
