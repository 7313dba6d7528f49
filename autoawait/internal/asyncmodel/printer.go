package asyncmodel

import (
	"fmt"
	"go/types"
	"sort"
	"strings"
)

// printer writes types as Go source of a model, where the library's
// types are named as cells name them and the standard library's are
// qualified (and imported).
type printer struct {
	// name returns how a model spells named type n: its own name in
	// the plain model (name, as cells see it), its generic form in the
	// other. Nil leaves the name as it is.
	name func(n *types.Named, name string) string
	// visible maps a type cells can name to that name; other types of
	// this module are an error.
	visible map[*types.TypeName]string
	// spell, if set, spells the types it knows before typ does.
	spell   func(t types.Type) (string, bool)
	imports map[string]string // path -> package name
	err     error
}

func (p *printer) fail(format string, args ...any) string {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
	return "?"
}

// typ returns the source of t.
func (p *printer) typ(t types.Type) string {
	if p.spell != nil {
		if s, ok := p.spell(t); ok {
			return s
		}
	}
	switch t := t.(type) {
	case *types.Alias:
		if t.Obj().Pkg() == nil { // any
			return t.Obj().Name()
		}
		return p.typ(types.Unalias(t))
	case *types.Basic:
		return t.Name()
	case *types.Pointer:
		return "*" + p.typ(t.Elem())
	case *types.Slice:
		return "[]" + p.typ(t.Elem())
	case *types.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), p.typ(t.Elem()))
	case *types.Map:
		return "map[" + p.typ(t.Key()) + "]" + p.typ(t.Elem())
	case *types.Chan:
		dir := map[types.ChanDir]string{types.SendRecv: "chan ", types.SendOnly: "chan<- ", types.RecvOnly: "<-chan "}[t.Dir()]
		return dir + p.typ(t.Elem())
	case *types.Signature:
		return "func" + p.signature(t, false)
	case *types.Interface:
		if t.Empty() {
			return "any"
		}
		return p.fail("an inline interface type %s", t)
	case *types.TypeParam:
		return t.Obj().Name()
	case *types.Named:
		return p.named(t)
	}
	return p.fail("type %s (%T) has no spelling in the models", t, t)
}

func (p *printer) named(n *types.Named) string {
	obj := n.Obj()
	switch {
	case obj.Pkg() == nil: // error
		return obj.Name()
	case p.visible != nil:
		if name, ok := p.visible[obj]; ok {
			if p.name != nil {
				return p.name(n, name)
			}
			return name
		}
	}
	path := obj.Pkg().Path()
	if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
		return p.fail("%s is not a type cells can name (not in Runtime.Exports)", obj)
	}
	if n.TypeArgs().Len() > 0 {
		return p.fail("%s: an instantiated type of the standard library", n)
	}
	if p.imports == nil {
		p.imports = map[string]string{}
	}
	p.imports[path] = obj.Pkg().Name()
	return obj.Pkg().Name() + "." + obj.Name()
}

// signature returns "(params) results", with the parameters' names if
// names is set.
func (p *printer) signature(s *types.Signature, names bool) string {
	return p.params(s, names, nil) + p.results(s)
}

// params returns "(params)"; param, if set, spells the type of each
// parameter instead of typ.
func (p *printer) params(s *types.Signature, names bool, param func(types.Type) string) string {
	if param == nil {
		param = p.typ
	}
	var b strings.Builder
	b.WriteString("(")
	ps := s.Params()
	for i := 0; i < ps.Len(); i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		v := ps.At(i)
		if names && v.Name() != "" {
			b.WriteString(v.Name() + " ")
		}
		if s.Variadic() && i == ps.Len()-1 {
			b.WriteString("..." + param(v.Type().(*types.Slice).Elem()))
			continue
		}
		b.WriteString(param(v.Type()))
	}
	b.WriteString(")")
	return b.String()
}

// results returns " T", " (T, U)" or "".
func (p *printer) results(s *types.Signature) string {
	rs := s.Results()
	switch rs.Len() {
	case 0:
		return ""
	case 1:
		return " " + p.typ(rs.At(0).Type())
	}
	parts := make([]string, rs.Len())
	for i := range parts {
		parts[i] = p.typ(rs.At(i).Type())
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// importBlock returns the import declaration of what was printed.
func (p *printer) importBlock() string {
	if len(p.imports) == 0 {
		return ""
	}
	var paths []string
	for path := range p.imports {
		paths = append(paths, fmt.Sprintf("%q", path))
	}
	sort.Strings(paths)
	if len(paths) == 1 {
		return "import " + paths[0] + "\n\n"
	}
	return "import (\n" + strings.Join(paths, "\n") + "\n)\n\n"
}
