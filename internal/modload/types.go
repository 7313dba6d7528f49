package modload

import (
	"context"
	"errors"
	"fmt"
	"go/types"
)

// Types returns the types of the packages at paths (standard library or
// module packages, as the work module resolves them), read from the
// export data the go command compiles: what a session needs to
// type-check a cell's use of loaded packages, to infer the type
// arguments of a generic function, say. The packages of one call are
// consistent with each other (one importer). The work module is left as
// it was, also when paths name packages not loaded yet.
func (l *Loader) Types(ctx context.Context, paths []string) (map[string]*types.Package, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	unlock, err := l.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := l.prepare(ctx); err != nil {
		return nil, err
	}
	mod, sum, err := l.work.state()
	if err != nil {
		return nil, fmt.Errorf("read the work module: %w", err)
	}
	res, err := resolve(ctx, l.g, l.host, l.work, paths)
	if rerr := l.work.restore(mod, sum); rerr != nil {
		err = errors.Join(err, rerr)
	}
	if err != nil {
		return nil, err
	}
	return res.types(paths)
}
