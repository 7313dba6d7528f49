package stdlib

import (
	"encoding"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log"
	"reflect"
)

// iface returns the reflect.Type of the interface *T points to.
func iface[T any]() reflect.Type { return reflect.TypeOf((*T)(nil)).Elem() }

// init tells yaegi which host functions look for interfaces on their
// arguments (fmt calls String and Error, json calls MarshalJSON...): for
// those, yaegi passes interpreted values wrapped so that their methods are
// visible to the host.
func init() {
	printing := []reflect.Type{iface[fmt.Formatter](), iface[fmt.Stringer](), iface[fmt.GoStringer](), iface[error]()}
	for _, f := range []any{
		fmt.Errorf, fmt.Fprint, fmt.Fprintf, fmt.Fprintln, fmt.Print, fmt.Printf, fmt.Println,
		fmt.Sprint, fmt.Sprintf, fmt.Sprintln, fmt.Append, fmt.Appendf, fmt.Appendln,
		log.Fatal, log.Fatalf, log.Fatalln, log.Panic, log.Panicf, log.Panicln, log.Print, log.Printf, log.Println,
	} {
		MapTypes[reflect.ValueOf(f)] = printing
	}
	scanning := []reflect.Type{iface[fmt.Scanner]()}
	for _, f := range []any{fmt.Scan, fmt.Scanf, fmt.Scanln, fmt.Fscan, fmt.Fscanf, fmt.Fscanln, fmt.Sscan, fmt.Sscanf, fmt.Sscanln} {
		MapTypes[reflect.ValueOf(f)] = scanning
	}
	MapTypes[reflect.ValueOf(json.Marshal)] = []reflect.Type{iface[json.Marshaler](), iface[encoding.TextMarshaler]()}
	MapTypes[reflect.ValueOf(json.MarshalIndent)] = []reflect.Type{iface[json.Marshaler](), iface[encoding.TextMarshaler]()}
	MapTypes[reflect.ValueOf(json.Unmarshal)] = []reflect.Type{iface[json.Unmarshaler](), iface[encoding.TextUnmarshaler]()}
	MapTypes[reflect.ValueOf(xml.Marshal)] = []reflect.Type{iface[xml.Marshaler](), iface[encoding.TextMarshaler]()}
	MapTypes[reflect.ValueOf(xml.Unmarshal)] = []reflect.Type{iface[xml.Unmarshaler](), iface[encoding.TextUnmarshaler]()}
	Symbols["."] = map[string]reflect.Value{"MapTypes": reflect.ValueOf(MapTypes)}
}
