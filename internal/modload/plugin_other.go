//go:build !((linux || darwin || freebsd) && cgo)

package modload

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
)

// supported says why this binary cannot load plugins; nil: it can.
func supported() error {
	switch runtime.GOOS {
	case "linux", "darwin", "freebsd":
		return errors.New("this kernel was built without cgo, and Go plugins need it: rebuild goawait with CGO_ENABLED=1 and a C compiler on PATH to import modules (the standard library and goawait's packages still work)")
	}
	return fmt.Errorf("%s has no Go plugins, so cells cannot import modules there; the standard library and goawait's packages still work (Linux, macOS and FreeBSD have plugins)", runtime.GOOS)
}

func openPlugin(string) (map[string]map[string]reflect.Value, error) { return nil, supported() }

func lockFile(string) (func(), error) { return nil, supported() }
