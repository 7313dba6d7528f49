package modload

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Instance is a generic function or type of a compiled package with all
// its type arguments: compiled code holds it, and a plugin can hand it to
// the interpreter, once it is instantiated.
type Instance struct {
	Path string // import path of the package that declares it
	Name string // its name there
	// TypeArgs are its type arguments, all of them, as Go source
	// ("int", "map[string]uuid.UUID"). They can only name types of
	// compiled packages (not a cell's), through the names in Imports.
	TypeArgs []string
	// Imports maps each package name TypeArgs use to its import path.
	Imports map[string]string `json:",omitempty"`
}

// String returns the instance as Go would write it, with the package's
// import path: "github.com/google/btree.NewOrderedG[int]".
func (in Instance) String() string {
	return in.Path + "." + in.Name + "[" + strings.Join(in.TypeArgs, ", ") + "]"
}

// canonical is String plus the imports, which give TypeArgs a meaning.
func (in Instance) canonical() string {
	names := make([]string, 0, len(in.Imports))
	for n := range in.Imports {
		names = append(names, n)
	}
	sort.Strings(names)
	s := in.String()
	for _, n := range names {
		s += " " + n + "=" + in.Imports[n]
	}
	return s
}

// Symbol is the name of the instance in its package's symbol table: a Go
// identifier, made of the name and the type arguments, in which every
// character that cannot be in an identifier is written _<hex>_
// (NewOrderedG[int] is NewOrderedG__int, Map[string, []int] is
// Map__string_2c__20__5b__5d_int).
func (in Instance) Symbol() string {
	var b strings.Builder
	b.WriteString(in.Name)
	b.WriteString("__")
	for _, r := range strings.Join(in.TypeArgs, ", ") {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
			continue
		}
		b.WriteString("_" + strconv.FormatInt(int64(r), 16) + "_")
	}
	return b.String()
}

// LoadedInstance is an instance a Loader made available.
type LoadedInstance struct {
	Instance
	Package Package // the package that declares it
}

// Instantiate makes instances of generic functions and types available:
// the returned Symbols hold, under each instance's package key
// ("path/name"), an entry named by Instance.Symbol. Use them after the
// package's own table: Use adds entries to a package, it does not
// replace its table. A type argument that does not satisfy its
// constraint is a *GoError with the compiler's message; failures leave
// everything as it was, as for Load.
func (l *Loader) Instantiate(ctx context.Context, instances []Instance) (*Result, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	res := &Result{Symbols: map[string]map[string]reflect.Value{}}
	var want []Instance
	seen := map[string]bool{}
	for _, in := range instances {
		c := in.canonical()
		if seen[c] {
			continue
		}
		seen[c] = true
		if err := in.check(); err != nil {
			return nil, err
		}
		if li, ok := l.insts[c]; ok {
			addInstance(res, li.op, li.inst)
			continue
		}
		want = append(want, in)
	}
	if len(want) == 0 {
		return res, nil
	}
	sort.Slice(want, func(i, j int) bool { return want[i].canonical() < want[j].canonical() })
	op, built, err := l.loadPlugin(ctx, request{instances: want})
	if err != nil {
		return nil, err
	}
	res.Built = built
	for _, li := range op.manifest.Instances {
		addInstance(res, op, li)
		l.insts[li.canonical()] = loadedInstance{op: op, inst: li}
	}
	return res, nil
}

// check rejects an instance whose parts cannot be written in Go source.
func (in Instance) check() error {
	if in.Path == "" || !isIdent(in.Name) || len(in.TypeArgs) == 0 {
		return fmt.Errorf("instance %s: give a package, a name and type arguments", in)
	}
	for n, p := range in.Imports {
		if !isIdent(n) || strings.HasPrefix(n, internalAlias) || p == "" {
			return fmt.Errorf("instance %s: import %s %q cannot be named so", in, n, p)
		}
	}
	return nil
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
			return false
		}
	}
	return s != "" && s != "_"
}

// loadedInstance is an instance a Loader loaded, and its plugin.
type loadedInstance struct {
	op   *openedPlugin
	inst LoadedInstance
}

// addInstance puts instance li of plugin op into res.
func addInstance(res *Result, op *openedPlugin, li LoadedInstance) {
	key := li.Package.Path + "/" + li.Package.Name
	sym := li.Symbol()
	if res.Symbols[key] == nil {
		res.Symbols[key] = map[string]reflect.Value{}
	}
	res.Symbols[key][sym] = op.symbols[key][sym]
	res.Instances = append(res.Instances, li)
}
