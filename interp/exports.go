package interp

import (
	"reflect"

	"github.com/goawait/goawait/interp/internal/reserved"
)

// extraExports returns the host symbols of rich display and of the
// magics, loaded after the runtime helpers.
func (s *Session) extraExports() map[string]map[string]reflect.Value {
	ex := s.rich.Exports()
	for name, v := range s.watch.Exports() {
		ex[reserved.RuntimePath+"/rt"][name] = v
	}
	return ex
}
