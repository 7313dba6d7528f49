package asyncmodel

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// The names only the generic model has, which package autoawait writes
// and looks for (the prelude and generics declare them).
const (
	Void        = "Void"        // the result type of a coroutine without results
	Unknown     = "unknown"     // a result type the model cannot tell
	TuplePrefix = "Tuple"       // Tuple2 ... Tuple7: several results
	Awaitable   = "Awaitable"   // what await accepts
	AwaitResult = "awaitResult" // the method of an Awaitable that gives its result type
	CoroutineOf = "CoroutineOf" // Coroutine with a result type
	TaskOf      = "TaskOf"      // Task with a result type
	FutureOf    = "FutureOf"    // Future with a result type
	MaxTuple    = 7             // the largest N of TupleN and AwaitN
)

// generics are the library's types that the generic model gives a type
// parameter, the result type of what awaiting them returns, and the name
// of that generic form. Each plain name stays as an alias of the form
// with an unknown result.
var generics = map[string]string{"Coroutine": CoroutineOf, "Task": TaskOf, "Future": FutureOf}

// typedDecl is the declaration of a function or method in the generic
// model where it says more than the mechanical translation.
type typedDecl struct {
	decl string
	// differs says why the declaration does not erase to the library's
	// signature; empty, Generate checks that it does.
	differs string
}

// typed are the generic model's declarations that carry result types,
// keyed by function name or "Type.Method". Every other declaration is
// translated mechanically: a coroutine, task or future in a result has
// an unknown result type (*CoroutineOf[unknown]), and a parameter of
// those types accepts any value (go/types could not pass a
// *CoroutineOf[int] as a *CoroutineOf[unknown]).
var typed = map[string]typedDecl{
	"Await": {decl: "func Await[T any](a Awaitable[T]) T",
		differs: "it stands for the await expression (what autoawait types), not the runtime's call, which returns []any"},
	"CreatedAt":  {decl: "func CreatedAt[T any](c *CoroutineOf[T], site string) *CoroutineOf[T]"},
	"Run":        {decl: "func Run[T any](c *CoroutineOf[T]) T"},
	"Sleep":      {decl: "func Sleep(d time.Duration) *CoroutineOf[Void]"},
	"CreateTask": {decl: "func CreateTask[T any](c *CoroutineOf[T], name ...string) *TaskOf[T]"},
	"EnsureFuture": {decl: "func EnsureFuture[T any](x Awaitable[T]) *TaskOf[T]",
		differs: "the library returns a FutureLike; the model says *TaskOf[T] so that awaiting the result is typed (a task for a coroutine, the future itself otherwise: both await to T)"},
	"Gather":                 {decl: "func Gather(xs ...any) *FutureOf[[]any]"},
	"GatherReturnExceptions": {decl: "func GatherReturnExceptions(xs ...any) *FutureOf[[]any]"},
	"Wait":                   {decl: "func Wait(xs any, opts ...any) *CoroutineOf[Tuple2[[]FutureLike, []FutureLike]]"},
	"WaitFor":                {decl: "func WaitFor[T any](x Awaitable[T], d time.Duration) *CoroutineOf[T]"},
	"Timeout":                {decl: "func Timeout[T any](d time.Duration, x Awaitable[T]) *CoroutineOf[T]"},
	"Shield":                 {decl: "func Shield[T any](x Awaitable[T]) *FutureOf[T]"},
	"Task.Coro":              {decl: "func (*TaskOf[T]) Coro() *CoroutineOf[T]"},
	"Lock.Acquire":           {decl: "func (*Lock) Acquire() *CoroutineOf[bool]"},
	"Semaphore.Acquire":      {decl: "func (*Semaphore) Acquire() *CoroutineOf[bool]"},
	"Event.Wait":             {decl: "func (*Event) Wait() *CoroutineOf[bool]"},
	"Queue.Put":              {decl: "func (*Queue) Put(v any) *CoroutineOf[Void]"},
	"Queue.Join":             {decl: "func (*Queue) Join() *CoroutineOf[Void]"},
	"TaskGroup.Wait":         {decl: "func (*TaskGroup) Wait() *CoroutineOf[Void]"},
}

// prelude declares what only the generic model has: the result types of
// coroutines without results (Void) or with several (TupleN), the unknown
// result, what await accepts, and AwaitN for an await that yields N values.
const prelude = `// Void is the result of a coroutine without results.
type Void struct{}

// unknown is the result of an awaitable whose result type the model cannot
// tell; it reads as any.
type unknown interface{}

// TupleN are the results of a coroutine with several results.
type (
	Tuple2[A, B any]                struct{}
	Tuple3[A, B, C any]             struct{}
	Tuple4[A, B, C, D any]          struct{}
	Tuple5[A, B, C, D, E any]       struct{}
	Tuple6[A, B, C, D, E, F any]    struct{}
	Tuple7[A, B, C, D, E, F, G any] struct{}
)

// Awaitable is what await accepts.
type Awaitable[T any] interface{ awaitResult() T }

func Await2[A, B any](a Awaitable[Tuple2[A, B]]) (A, B)                                     { panic(0) }
func Await3[A, B, C any](a Awaitable[Tuple3[A, B, C]]) (A, B, C)                            { panic(0) }
func Await4[A, B, C, D any](a Awaitable[Tuple4[A, B, C, D]]) (A, B, C, D)                   { panic(0) }
func Await5[A, B, C, D, E any](a Awaitable[Tuple5[A, B, C, D, E]]) (A, B, C, D, E)          { panic(0) }
func Await6[A, B, C, D, E, F any](a Awaitable[Tuple6[A, B, C, D, E, F]]) (A, B, C, D, E, F) { panic(0) }
func Await7[A, B, C, D, E, F, G any](a Awaitable[Tuple7[A, B, C, D, E, F, G]]) (A, B, C, D, E, F, G) {
	panic(0)
}

func (*CoroutineOf[T]) awaitResult() T { panic(0) }
func (*FutureOf[T]) awaitResult() T    { panic(0) }

`

// generic writes the generic model.
func (lib *library) generic() ([]byte, error) {
	p := &printer{visible: lib.visible, name: func(_ *types.Named, name string) string {
		if g, ok := generics[name]; ok {
			return g + "[unknown]"
		}
		return name
	}}
	// A parameter of a generic type accepts any instantiation.
	param := func(t types.Type) string {
		if ptr, ok := t.(*types.Pointer); ok {
			if n, ok := types.Unalias(ptr.Elem()).(*types.Named); ok {
				if _, ok := generics[lib.visible[n.Obj()]]; ok {
					return "any"
				}
			}
		}
		return p.typ(t)
	}
	var b strings.Builder
	lib.writeConsts(&b, p)
	var aliases []string
	used := map[string]bool{}
	for _, tn := range lib.types {
		name := lib.visible[tn]
		decl, recv := name, name
		embedded := func(t types.Type) string { return p.typ(t) }
		if g, ok := generics[name]; ok {
			decl, recv = g+"[T any]", g+"[T]"
			aliases = append(aliases, fmt.Sprintf("%s = %s[unknown]", name, g))
			embedded = func(t types.Type) string {
				if n, ok := t.(*types.Named); ok {
					if g, ok := generics[lib.visible[n.Obj()]]; ok {
						return g + "[T]"
					}
				}
				return p.typ(t)
			}
		}
		fmt.Fprintf(&b, "type %s %s\n\n", decl, lib.underlying(p, tn, embedded))
		for _, m := range declaredMethods(tn) {
			key := name + "." + m.Name()
			if d, ok := typed[key]; ok {
				used[key] = true
				b.WriteString(d.decl + " { panic(0) }\n")
				continue
			}
			sig := m.Type().(*types.Signature)
			fmt.Fprintf(&b, "func (%s) %s%s%s { panic(0) }\n", receiver(m, recv), m.Name(), p.params(sig, true, param), p.results(sig))
		}
		b.WriteString("\n")
	}
	sort.Strings(aliases)
	b.WriteString("type (\n" + strings.Join(aliases, "\n") + "\n)\n\n")
	for _, f := range lib.funcs {
		if d, ok := typed[f.name]; ok {
			used[f.name] = true
			b.WriteString(d.decl + " { panic(0) }\n")
			continue
		}
		fmt.Fprintf(&b, "func %s%s%s { panic(0) }\n", f.name, p.params(f.sig, true, param), p.results(f.sig))
	}
	for key := range typed {
		if !used[key] {
			return nil, fmt.Errorf("typed declaration of %s: the library has no such function or method", key)
		}
	}
	for _, d := range typed { // typed declarations use time too
		if strings.Contains(d.decl, "time.") {
			if p.imports == nil {
				p.imports = map[string]string{}
			}
			p.imports["time"] = "time"
		}
	}
	src := Header + `// Package asyncio is a check-only model of the asyncio library for
// go/types: the names and signatures cells see, with the result types of
// coroutines, tasks and futures as type parameters. It is never run.
package asyncio

` + p.importBlock() + prelude + b.String()
	out, err := finish(src, p.err)
	if err != nil {
		return nil, err
	}
	if err := lib.checkTyped(out); err != nil {
		return nil, err
	}
	return out, nil
}

// checkTyped type-checks the generic model src and checks that each
// typed declaration erases to the library's signature: a type parameter
// or an Awaitable reads as any, CoroutineOf[X] as Coroutine, and so on.
func (lib *library) checkTyped(src []byte) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "asyncio_stub.go", src, 0)
	if err != nil {
		return err
	}
	model, err := (&types.Config{Importer: importer.Default()}).Check("asyncio", fset, []*ast.File{f}, nil)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	byName := map[string]*types.Signature{}
	for _, fn := range lib.funcs {
		byName[fn.name] = fn.sig
	}
	for _, tn := range lib.types {
		for _, m := range declaredMethods(tn) {
			byName[lib.visible[tn]+"."+m.Name()] = m.Type().(*types.Signature)
		}
	}
	for key, d := range typed {
		if d.differs != "" {
			continue
		}
		modelSig, err := lookupModel(model, key)
		if err != nil {
			return err
		}
		want := (&printer{visible: lib.visible}).key(byName[key])
		got := (&printer{spell: eraseModel}).key(modelSig)
		if got != want {
			return fmt.Errorf("typed declaration of %s erases to %s, the library's is %s", key, got, want)
		}
	}
	return nil
}

// lookupModel finds function or method key ("Name", "Type.Method") of the
// model package.
func lookupModel(model *types.Package, key string) (*types.Signature, error) {
	typeName, method, isMethod := strings.Cut(key, ".")
	if !isMethod {
		if fn, ok := model.Scope().Lookup(key).(*types.Func); ok {
			return fn.Type().(*types.Signature), nil
		}
		return nil, fmt.Errorf("the model has no func %s", key)
	}
	if g, ok := generics[typeName]; ok {
		typeName = g
	}
	tn, ok := model.Scope().Lookup(typeName).(*types.TypeName)
	if !ok {
		return nil, fmt.Errorf("the model has no type %s", typeName)
	}
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), true, model, method)
	if fn, ok := obj.(*types.Func); ok {
		return fn.Type().(*types.Signature), nil
	}
	return nil, fmt.Errorf("the model has no method %s", key)
}

// eraseModel spells a type of the generic model as the library does.
func eraseModel(t types.Type) (string, bool) {
	switch t := t.(type) {
	case *types.TypeParam:
		return "any", true
	case *types.Named:
		if t.Obj().Pkg() == nil || t.Obj().Pkg().Path() != "asyncio" {
			return "", false
		}
		name := t.Obj().Name()
		for plain, g := range generics {
			if name == g {
				return plain, true
			}
		}
		if name == Awaitable {
			return "any", true
		}
		return name, true
	}
	return "", false
}

// key returns the parameter and result types of s, without names.
func (p *printer) key(s *types.Signature) string {
	parts := make([]string, s.Results().Len())
	for i := range parts {
		parts[i] = p.typ(s.Results().At(i).Type())
	}
	return p.params(s, false, nil) + " (" + strings.Join(parts, ", ") + ")"
}
