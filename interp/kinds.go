package interp

import "reflect"

type reflectKind = reflect.Kind

// kindName names a host symbol's kind for completion.
func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Func:
		return "function"
	case reflect.Pointer:
		return "class" // types are exported as typed nil pointers
	}
	return "instance"
}
