package interp

import "reflect"

// extraExports returns the host symbols of rich display and of the
// magics, loaded after the runtime helpers.
func (s *Session) extraExports() map[string]map[string]reflect.Value {
	ex := s.richExports()
	for name, v := range s.timeExports() {
		ex[rtPath+"/rt"][name] = v
	}
	return ex
}
