package autoawait

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sync"
)

// StubPath is the import path under which cells import the runtime, and
// under which the check-only model of it is known to go/types.
const StubPath = "asyncio"

// The check-only model and the plain one (testdata) are written from the
// asyncio library by autoawait/internal/asyncmodel.
//
//go:generate go run ./internal/asyncmodel/gen

//go:embed asyncio_stub.go.txt
var stubSource string

// Importer gives go/types the packages a cell imports: the check-only model
// of asyncio for StubPath, the standard library (from export data, else from
// source) for the rest. Packages are loaded on first use and kept. An
// Importer is safe for concurrent use and may be shared by Rewriters.
type Importer struct {
	warm   sync.Once
	warmed chan struct{} // closed when Warm's loads are done; nil before Warm

	mu     sync.Mutex
	fset   *token.FileSet
	pkgs   map[string]*types.Package
	fails  map[string]error
	gc     types.Importer
	source types.Importer
}

// NewImporter returns an empty Importer.
func NewImporter() *Importer {
	return &Importer{fset: token.NewFileSet(), pkgs: map[string]*types.Package{}, fails: map[string]error{}}
}

// warmPaths are what Warm loads: the model, which imports time, and the
// package nearly every cell imports.
var warmPaths = []string{StubPath, "fmt"}

// Warm loads, on a goroutine of its own, what the type check of a
// session's first async cell needs (the model of asyncio and fmt): the
// first load of a standard package runs the go command, tenths of a
// second to seconds that the user's first cell would otherwise wait. An
// Import that comes meanwhile waits only for the load in progress. Calls
// after the first do nothing.
func (im *Importer) Warm() {
	im.warm.Do(func() {
		im.warmed = make(chan struct{})
		go func() {
			defer close(im.warmed)
			for _, path := range warmPaths {
				_, _ = im.Import(path) // a failure is kept and reported to the cell that imports it
			}
		}()
	})
}

// Import implements types.Importer.
func (im *Importer) Import(path string) (*types.Package, error) {
	im.mu.Lock()
	defer im.mu.Unlock()
	if p, ok := im.pkgs[path]; ok {
		return p, nil
	}
	if err, ok := im.fails[path]; ok {
		return nil, err
	}
	p, err := im.load(path)
	if err != nil {
		im.fails[path] = err
		return nil, err
	}
	im.pkgs[path] = p
	return p, nil
}

func (im *Importer) load(path string) (*types.Package, error) {
	if path == StubPath {
		return im.loadStub()
	}
	if im.gc == nil {
		im.gc = importer.ForCompiler(im.fset, "gc", nil)
	}
	p, gcErr := im.gc.Import(path)
	if gcErr == nil {
		return p, nil
	}
	if im.source == nil {
		im.source = importer.ForCompiler(im.fset, "source", nil)
	}
	p, err := im.source.Import(path)
	if err != nil {
		return nil, fmt.Errorf("import %q: %w (export data: %v)", path, err, gcErr)
	}
	return p, nil
}

func (im *Importer) loadStub() (*types.Package, error) {
	f, err := parser.ParseFile(im.fset, "asyncio_stub.go", stubSource, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse asyncio model: %w", err)
	}
	conf := types.Config{Importer: importerFunc(im.load)}
	p, err := conf.Check(StubPath, im.fset, []*ast.File{f}, nil)
	if err != nil {
		return nil, fmt.Errorf("check asyncio model: %w", err)
	}
	return p, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
