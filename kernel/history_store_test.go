package kernel_test

import (
	"testing"

	"github.com/goawait/goawait/internal/historytest"
	"github.com/goawait/goawait/kernel"
)

func TestMemoryHistory(t *testing.T) {
	historytest.Run(t, func(*testing.T) kernel.HistoryStore { return kernel.NewMemoryHistory() })
}
