//go:build (linux || darwin || freebsd) && cgo

package modload

import (
	"fmt"
	"os"
	"plugin"
	"reflect"
	"syscall"
)

// supported says why this binary cannot load plugins; nil: it can.
func supported() error { return nil }

// openPlugin loads the plugin at file and returns its symbol tables.
func openPlugin(file string) (map[string]map[string]reflect.Value, error) {
	p, err := plugin.Open(file)
	if err != nil {
		return nil, err
	}
	sym, err := p.Lookup("Symbols")
	if err != nil {
		return nil, fmt.Errorf("plugin %s: %w", file, err)
	}
	tables, ok := sym.(*map[string]map[string]reflect.Value)
	if !ok {
		return nil, fmt.Errorf("plugin %s: Symbols is a %T, not a symbol table", file, sym)
	}
	return *tables, nil
}

// lockFile takes an exclusive lock on file (made if missing), waiting
// for another kernel that holds it, and returns its release.
func lockFile(file string) (func(), error) {
	f, err := os.OpenFile(file, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock the work module: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock the work module: %w", err)
	}
	return func() { f.Close() }, nil
}
