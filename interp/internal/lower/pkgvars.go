package lower

import (
	"go/ast"
	"go/token"
	"path"
	"strconv"
	"strings"
)

// packageVars rewrites assignments to a package's variables (os.Args = x,
// flag.Usage = f, n++ on one) into assignments through their address
// (*&os.Args = x): yaegi compiles the former as an assignment to a copy,
// which has no effect. earlier tells whether a name is a package an
// earlier cell imported; the cell's own imports are read from f.
func packageVars(f *ast.File, earlier func(string) bool) {
	own := map[string]bool{}
	for _, im := range f.Imports {
		if im.Name != nil {
			own[im.Name.Name] = true
			continue
		}
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		name := path.Base(p)
		if strings.HasPrefix(name, "v") && path.Dir(p) != "." {
			if _, err := strconv.Atoi(name[1:]); err == nil {
				name = path.Base(path.Dir(p))
			}
		}
		own[name] = true
	}
	isPackageVar := func(e ast.Expr) bool {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		pkg, ok := sel.X.(*ast.Ident)
		// A name declared in the function (a variable called os) is
		// rare; its field then goes through its address, which is the
		// same assignment.
		return ok && (own[pkg.Name] || earlier(pkg.Name))
	}
	addr := func(e ast.Expr) ast.Expr {
		return &ast.StarExpr{Star: e.Pos(), X: &ast.UnaryExpr{OpPos: e.Pos(), Op: token.AND, X: e}}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				return true
			}
			for i, l := range x.Lhs {
				if isPackageVar(l) {
					x.Lhs[i] = addr(l)
				}
			}
		case *ast.IncDecStmt:
			if isPackageVar(x.X) {
				x.X = addr(x.X)
			}
		}
		return true
	})
}
