// Package cell parses a notebook cell: Go source in which top-level
// imports, declarations and statements may come in any order, written in
// goawait's dialect (the words async and await). It also prints the parsed
// (and rewritten) cell back as the code the interpreter runs, whose
// positions still name the user's cell and line, and decodes those
// positions in the interpreter's messages.
//
// A cell is parsed into one synthetic Go file whose positions, through
// /*line*/ directives, report the user's own cell name, line and column. The
// top-level pieces keep their order as Items: a run of imports or
// declarations, or a run of statements (which the file holds in the body of a
// function named by StmtsFunc).
//
// The dialect words are replaced before parsing by Go tokens of the same
// length, so that columns do not move: `await x` becomes `<-   x`, a unary
// receive whose operator position is recorded in Cell.Awaits, and
// `async func` becomes `      func`, whose func keyword position is recorded
// in Cell.Async.
package cell

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// Kind says what a top-level piece of a cell is.
type Kind int

// The kinds of Items.
const (
	Imports Kind = iota // import declarations
	Decls               // func, method, type, var and const declarations
	Stmts               // statements, in order
)

func (k Kind) String() string {
	switch k {
	case Imports:
		return "imports"
	case Decls:
		return "declarations"
	case Stmts:
		return "statements"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// StmtsFunc is the name prefix of the functions of the synthetic file that
// hold a cell's statement runs: the first is StmtsFunc+"0".
const StmtsFunc = "__goawait_stmts"

// Item is one top-level piece of a cell.
type Item struct {
	Kind Kind
	// Decls holds the declarations of an Imports or Decls item.
	Decls []ast.Decl
	// Body holds the statements of a Stmts item; it is the body of a
	// function of the synthetic file.
	Body *ast.BlockStmt
	// Text is the piece's source text after dialect substitution,
	// including the comments that precede it.
	Text string
	// Line and Col are where Text starts in the cell (1-based).
	Line, Col int
}

// Cell is a parsed cell.
type Cell struct {
	Name  string // file name that positions report, e.g. "cell[3]"
	Src   string // the user's text
	Fset  *token.FileSet
	File  *ast.File // the synthetic file
	Items []Item
	// Awaits holds the OpPos of every *ast.UnaryExpr with Op token.ARROW
	// that was written `await`.
	Awaits map[token.Pos]bool
	// Async holds the Func position of every *ast.FuncType that was
	// written `async func`.
	Async map[token.Pos]bool
	// base is the virtual line of line 0 when a Lines placed the cell
	// (0: the fixed layout).
	base int
}

// IsAwait reports whether e is an await expression, and returns its operand.
func (c *Cell) IsAwait(e ast.Expr) (operand ast.Expr, ok bool) {
	u, isUnary := e.(*ast.UnaryExpr)
	if !isUnary || u.Op != token.ARROW || !c.Awaits[u.OpPos] {
		return nil, false
	}
	return u.X, true
}

// IsAsync reports whether the function type ft was declared async.
func (c *Cell) IsAsync(ft *ast.FuncType) bool {
	return ft != nil && c.Async[ft.Func]
}

// Parse parses src, the text of the cell called name. Errors are a
// scanner.ErrorList whose positions are in the user's text.
func Parse(name, src string) (*Cell, error) {
	text, awaits, asyncs := Substitute(src)
	pieces, err := split(name, text)
	if err != nil {
		return nil, err
	}
	c := &Cell{Name: name, Src: src, Fset: token.NewFileSet(), Awaits: map[token.Pos]bool{}, Async: map[token.Pos]bool{}}

	var b strings.Builder
	b.WriteString("package main;")
	// spans maps the synthetic file's copies of the pieces back to text.
	type span struct{ synth, text, n int }
	spans := make([]span, len(pieces))
	stmtsPiece := map[string]int{} // synthetic func name -> piece index
	// Imports go first in the file, whatever their place in the cell: Go
	// wants them before other declarations.
	order := make([]int, 0, len(pieces))
	for i, p := range pieces {
		if p.kind == Imports {
			order = append(order, i)
		}
	}
	for i, p := range pieces {
		if p.kind != Imports {
			order = append(order, i)
		}
	}
	for _, i := range order {
		p := pieces[i]
		fmt.Fprintf(&b, "\n/*line %s:%d:%d*/", name, p.line, p.col)
		if p.kind == Stmts {
			// The opening brace shares the directive's position; the
			// statements start right after it.
			fn := fmt.Sprintf("%s%d", StmtsFunc, len(stmtsPiece))
			stmtsPiece[fn] = i
			fmt.Fprintf(&b, "func %s() {/*line %s:%d:%d*/", fn, name, p.line, p.col)
		}
		spans[i] = span{b.Len(), p.start, p.end - p.start}
		b.WriteString(text[p.start:p.end])
		if p.kind == Stmts {
			b.WriteString("\n}")
		}
	}
	synth := b.String()
	file, err := parser.ParseFile(c.Fset, name, synth, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	c.File = file
	dropDirectives(file, name)
	tf := c.Fset.File(file.Pos())
	toPos := func(textOff int) (token.Pos, bool) {
		for _, s := range spans {
			if textOff >= s.text && textOff < s.text+s.n {
				return tf.Pos(s.synth + textOff - s.text), true
			}
		}
		return token.NoPos, false
	}
	for _, off := range awaits {
		if p, ok := toPos(off); ok {
			c.Awaits[p] = true
		}
	}
	for _, off := range asyncs {
		if p, ok := toPos(off); ok {
			c.Async[p] = true
		}
	}

	// Rebuild the items, in the cell's order, from the file's declarations.
	c.Items = make([]Item, len(pieces))
	for i, p := range pieces {
		c.Items[i] = Item{Kind: p.kind, Text: text[p.start:p.end], Line: p.line, Col: p.col}
	}
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
			if i, ok := stmtsPiece[fd.Name.Name]; ok {
				c.Items[i].Body = fd.Body
				continue
			}
		}
		off := tf.Offset(d.Pos())
		for i, s := range spans {
			if pieces[i].kind != Stmts && off >= s.synth && off < s.synth+s.n {
				c.Items[i].Decls = append(c.Items[i].Decls, d)
				break
			}
		}
	}
	return c, nil
}

// Substitute replaces the dialect's words by Go tokens of the same length
// and returns the new text with the byte offsets of the await operators and
// of the func keywords that were async.
func Substitute(src string) (text string, awaits, asyncs []int) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(src))
	s.Init(f, []byte(src), nil, 0)
	type tok struct {
		off int
		tok token.Token
		lit string
	}
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{f.Offset(pos), t, lit})
	}
	buf := []byte(src)
	for i, t := range toks {
		if t.tok != token.IDENT || i+1 >= len(toks) {
			continue
		}
		next := toks[i+1]
		switch t.lit {
		case "await":
			if startsOperand(next.tok) && !(next.tok == token.SEMICOLON) {
				copy(buf[t.off:], "<-   ")
				awaits = append(awaits, t.off)
			}
		case "async":
			if next.tok == token.FUNC {
				copy(buf[t.off:], "     ")
				asyncs = append(asyncs, next.off)
			}
		}
	}
	return string(buf), awaits, asyncs
}

// startsOperand reports whether a token can begin the operand of a unary
// operator, which is what tells the word await from a variable of that name.
// chan is left out: `await chan int` would read as a channel type.
func startsOperand(t token.Token) bool {
	switch t {
	case token.IDENT, token.INT, token.FLOAT, token.IMAG, token.CHAR, token.STRING,
		token.LPAREN, token.LBRACK, token.FUNC, token.MAP, token.STRUCT,
		token.INTERFACE, token.MUL, token.AND, token.ARROW, token.SUB, token.ADD, token.NOT, token.XOR:
		return true
	}
	return false
}

// piece is a top-level run of the cell, as byte offsets into the
// substituted text.
type piece struct {
	kind       Kind
	start, end int
	line, col  int
}

// split cuts the substituted text into top-level pieces by scanning tokens
// at bracket depth zero. A piece runs from the end of the previous one (so
// that it carries its leading comments) to the end of its last token.
func split(name, text string) ([]piece, error) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	f := fset.AddFile(name, -1, len(text))
	var errs scanner.ErrorList
	s.Init(f, []byte(text), func(pos token.Position, msg string) { errs.Add(pos, msg) }, scanner.ScanComments)
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		if t == token.COMMENT {
			continue
		}
		off := f.Offset(pos)
		end := off + len(lit)
		if t != token.IDENT && t != token.INT && t != token.FLOAT && t != token.IMAG && t != token.CHAR && t != token.STRING {
			if t == token.SEMICOLON {
				end = off // "\n" or ";": the statement ends before it
				if lit == ";" {
					end = off + 1
				}
			} else {
				end = off + len(t.String())
			}
		}
		toks = append(toks, tok{off, end, t, lit})
	}
	if len(errs) > 0 {
		return nil, errs
	}

	var pieces []piece
	prevEnd := 0
	depth := 0
	i := 0
	for i < len(toks) {
		if toks[i].tok == token.SEMICOLON {
			i++
			continue
		}
		kind := classify(toks, i)
		// Find the end of this top-level statement or declaration.
		j := i
		last := i
		for ; j < len(toks); j++ {
			switch toks[j].tok {
			case token.LPAREN, token.LBRACK, token.LBRACE:
				depth++
			case token.RPAREN, token.RBRACK, token.RBRACE:
				depth--
			}
			if depth <= 0 && toks[j].tok == token.SEMICOLON {
				depth = 0
				break
			}
			last = j
		}
		end := toks[last].end
		if n := len(pieces); n > 0 && pieces[n-1].kind == kind && kind != Decls {
			pieces[n-1].end = end
		} else if n > 0 && kind == Decls && pieces[n-1].kind == Decls {
			pieces[n-1].end = end
		} else {
			pos := f.Position(f.Pos(prevEnd))
			pieces = append(pieces, piece{kind: kind, start: prevEnd, end: end, line: pos.Line, col: pos.Column})
		}
		prevEnd = end
		i = j + 1
	}
	return pieces, nil
}

// tok is a scanned token with its extent in the text.
type tok struct {
	off, end int
	tok      token.Token
	lit      string
}

// classify tells whether the top-level entry starting at toks[i] is an
// import, a declaration or a statement.
func classify(toks []tok, i int) Kind {
	t := func(k int) token.Token {
		if k < len(toks) {
			return toks[k].tok
		}
		return token.EOF
	}
	switch t(i) {
	case token.IMPORT:
		return Imports
	case token.TYPE, token.VAR, token.CONST:
		return Decls
	case token.FUNC:
		switch t(i + 1) {
		case token.IDENT:
			return Decls
		case token.LPAREN:
			// A method `func (r T) Name(` or a literal `func (a int) {...}(...)`.
			depth := 0
			for k := i + 1; k < len(toks); k++ {
				switch t(k) {
				case token.LPAREN:
					depth++
				case token.RPAREN:
					depth--
				}
				if depth == 0 {
					if t(k+1) == token.IDENT && (t(k+2) == token.LPAREN || t(k+2) == token.LBRACK) {
						return Decls
					}
					return Stmts
				}
			}
		}
	}
	return Stmts
}

// dropDirectives removes the /*line*/ comments that Parse wrote from the
// file's comments and doc comments: they did their work in the parser, and
// a printer must not copy them (they would name the cell as a file).
func dropDirectives(f *ast.File, name string) {
	ours := func(c *ast.Comment) bool { return strings.HasPrefix(c.Text, "/*line "+name+":") }
	filter := func(g *ast.CommentGroup) *ast.CommentGroup {
		if g == nil {
			return nil
		}
		var kept []*ast.Comment
		for _, c := range g.List {
			if !ours(c) {
				kept = append(kept, c)
			}
		}
		if len(kept) == 0 {
			return nil
		}
		g.List = kept
		return g
	}
	var groups []*ast.CommentGroup
	for _, g := range f.Comments {
		if g = filter(g); g != nil {
			groups = append(groups, g)
		}
	}
	f.Comments = groups
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			d.Doc = filter(d.Doc)
		case *ast.GenDecl:
			d.Doc = filter(d.Doc)
		}
	}
}

// ReceiverBase returns the type name of a method receiver's type
// expression, without pointer, parentheses or type parameters: T for
// `(t *T)`, `(t T[K])` or `(t (*T))`; "" for anything else.
func ReceiverBase(t ast.Expr) string {
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// OpenBrackets counts the brackets left open at the end of code, a
// piece of a cell being typed (-1 if one closes more than was opened).
func OpenBrackets(code string) int {
	var sc scanner.Scanner
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(code))
	sc.Init(f, []byte(code), func(token.Position, string) {}, 0)
	depth := 0
	for {
		_, tok, _ := sc.Scan()
		switch tok {
		case token.EOF:
			return depth
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
			if depth < 0 {
				return -1
			}
		}
	}
}
