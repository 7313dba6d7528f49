package modload

import (
	"bytes"
	"context"
	"go/types"
	"testing"
)

func TestTypes(t *testing.T) {
	l := readyLoader(t, Options{})
	load(t, l, "github.com/google/uuid")
	mod, sum := workState(t, l)
	// btree is not loaded: its types come, the work module stays.
	got, err := l.Types(context.Background(), []string{"github.com/google/uuid", "github.com/google/btree", "strings"})
	if err != nil {
		t.Fatal(err)
	}
	for path, name := range map[string]string{"github.com/google/uuid": "NewString", "github.com/google/btree": "NewOrderedG", "strings": "ToUpper"} {
		tp := got[path]
		if tp == nil {
			t.Fatalf("no types for %s", path)
		}
		if _, ok := tp.Scope().Lookup(name).(*types.Func); !ok {
			t.Errorf("%s has no func %s", path, name)
		}
	}
	if f := got["github.com/google/btree"].Scope().Lookup("NewOrderedG").(*types.Func); f.Type().(*types.Signature).TypeParams().Len() != 1 {
		t.Errorf("btree.NewOrderedG: %v, want one type parameter", f.Type())
	}
	if mod2, sum2 := workState(t, l); !bytes.Equal(mod, mod2) || !bytes.Equal(sum, sum2) {
		t.Errorf("Types changed the work module:\n%s\n=>\n%s", mod, mod2)
	}
	if _, err := l.Types(context.Background(), []string{"github.com/goawait-test-no-such-owner/no-such-module"}); err == nil {
		t.Error("Types of a module that does not exist: no error")
	}
}
