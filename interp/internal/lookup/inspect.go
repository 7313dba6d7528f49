package lookup

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/goawait/goawait/interp/internal/lower"
	"github.com/goawait/goawait/language"
)

// Docs holds the go/doc of standard packages, loaded on first use. Its
// zero value is ready to use.
type Docs struct {
	mu   sync.Mutex
	pkgs map[string]*doc.Package
}

func (c *Docs) get(importPath string) *doc.Package {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.pkgs[importPath]; ok {
		return p
	}
	if c.pkgs == nil {
		c.pkgs = map[string]*doc.Package{}
	}
	dir := filepath.Join(build.Default.GOROOT, "src", filepath.FromSlash(importPath))
	fset := token.NewFileSet()
	matches, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var list []*ast.File
	for _, m := range matches {
		if strings.HasSuffix(m, "_test.go") {
			continue
		}
		if ok, err := build.Default.MatchFile(dir, filepath.Base(m)); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(fset, m, nil, parser.ParseComments)
		if err != nil {
			continue
		}
		list = append(list, f)
	}
	var p *doc.Package
	if len(list) > 0 {
		p, _ = doc.NewFromFiles(fset, list, importPath)
	}
	c.pkgs[importPath] = p
	return p
}

// Inspect describes the name at cursor (in code points): the
// declaration and doc comment of a session name or of a standard library
// member (pkg.Name), and the type and value of a variable.
func Inspect(s Session, docs *Docs, code string, cursor int, detail int) language.Inspection {
	pkgName, name := wordAt(code, byteOffset(code, cursor))
	if name == "" {
		return language.Inspection{}
	}
	var sig, docText string
	if pkgName != "" {
		p, ok := packageByName(s, pkgName)
		if !ok {
			return language.Inspection{}
		}
		sig, docText = stdDoc(docs, p, name)
		if sig == "" {
			if v, ok := s.HostPackages()[p][name]; ok {
				sig = fmt.Sprintf("%s.%s %s", pkgName, name, v.Type())
			}
		}
	} else if d, ok := s.Decl(name); ok {
		sig, docText = d.Sig, d.Doc
		if d.Kind == lower.Var {
			if v, ok := s.Globals()[name]; ok && v.IsValid() {
				val := fmt.Sprintf("%+v", v)
				if len(val) > 200 {
					val = val[:200] + "…"
				}
				sig = fmt.Sprintf("%s\n// type: %s\n// value: %s", sig, v.Type(), val)
			}
		}
		sig += fmt.Sprintf("\n// defined in %s line %d", d.Cell, d.Line)
	} else if p, ok := packageByName(s, name); ok {
		sig = fmt.Sprintf("package %s // import %q", name, p)
		if dp := docs.get(p); dp != nil {
			docText = dp.Synopsis(dp.Doc)
			if detail > 0 {
				docText = dp.Doc
			}
		}
	}
	if sig == "" && docText == "" {
		return language.Inspection{}
	}
	plain := sig
	if docText != "" {
		plain += "\n\n" + docText
	}
	md := "```go\n" + sig + "\n```\n"
	if docText != "" {
		md += "\n" + docText
	}
	return language.Inspection{Found: true, Data: map[string]any{"text/plain": plain, "text/markdown": md}}
}

// stdDoc returns the declaration and doc of a standard package member.
func stdDoc(docs *Docs, importPath, name string) (sig, text string) {
	p := docs.get(importPath)
	if p == nil {
		return "", ""
	}
	fset := token.NewFileSet()
	for _, f := range p.Funcs {
		if f.Name == name {
			return lower.PlainText(fset, &ast.FuncDecl{Name: f.Decl.Name, Type: f.Decl.Type, Recv: f.Decl.Recv}), f.Doc
		}
	}
	for _, t := range p.Types {
		if t.Name == name {
			return "type " + name + " " + kindOfSpec(t.Decl), t.Doc
		}
		for _, f := range t.Funcs {
			if f.Name == name {
				return lower.PlainText(fset, &ast.FuncDecl{Name: f.Decl.Name, Type: f.Decl.Type}), f.Doc
			}
		}
	}
	for _, vs := range append(append([]*doc.Value{}, p.Vars...), p.Consts...) {
		for _, n := range vs.Names {
			if n == name {
				return vs.Decl.Tok.String() + " " + name, vs.Doc
			}
		}
	}
	return "", ""
}

// kindOfSpec names the underlying kind of a type declaration.
func kindOfSpec(gd *ast.GenDecl) string {
	for _, sp := range gd.Specs {
		if ts, ok := sp.(*ast.TypeSpec); ok {
			switch ts.Type.(type) {
			case *ast.StructType:
				return "struct"
			case *ast.InterfaceType:
				return "interface"
			case *ast.FuncType:
				return "func"
			}
			if id, ok := ts.Type.(*ast.Ident); ok {
				return id.Name
			}
		}
	}
	return ""
}

// wordAt returns the identifier around byte offset off, and the package
// (or value) name before it when it follows "x.".
func wordAt(code string, off int) (qual, name string) {
	start, end := off, off
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(code[:start])
		if !isIdentRune(r) {
			break
		}
		start -= n
	}
	for end < len(code) {
		r, n := utf8.DecodeRuneInString(code[end:])
		if !isIdentRune(r) {
			break
		}
		end += n
	}
	name = code[start:end]
	if start > 0 && code[start-1] == '.' {
		qs := start - 1
		for qs > 0 {
			r, n := utf8.DecodeLastRuneInString(code[:qs])
			if !isIdentRune(r) {
				break
			}
			qs -= n
		}
		qual = code[qs : start-1]
	}
	return qual, name
}
