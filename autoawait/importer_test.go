package autoawait

import (
	"testing"
	"time"

	"github.com/goawait/goawait/internal/cell"
)

// A new Rewriter warms its importer on its own: the model and fmt get
// loaded without any cell asking, and a cell that comes meanwhile is
// rewritten as usual.
func TestNewRewriterWarmsTheModel(t *testing.T) {
	r := NewRewriter(Options{})
	im := r.imp.(*Importer)
	if im.warmed == nil {
		t.Fatal("NewRewriter did not start warming its importer")
	}
	c, err := cell.Parse("cell[1]", "import \"time\"\nasync func f() int { await asyncio.Sleep(time.Millisecond); return 1 }\nx := await f()\n_ = x")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Rewrite(c); err != nil {
		t.Fatal(err)
	}
	select {
	case <-im.warmed:
	case <-time.After(time.Minute):
		t.Fatal("the warm-up did not end within a minute")
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	for _, path := range warmPaths {
		if im.pkgs[path] == nil {
			t.Errorf("%s is not loaded after the warm-up (error: %v)", path, im.fails[path])
		}
	}
}
