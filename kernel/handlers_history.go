package kernel

import "fmt"

// historyRequest is the content of history_request.
type historyRequest struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           *int   `json:"stop"`
	N              *int   `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

// handleHistory answers history_request. Each entry is
// [session, line, input], or [session, line, [input, output]] when
// output is asked for. Output is null when the cell had no result, and
// for cells of other sessions: outputs are remembered for this session
// only, never stored.
func (k *Kernel) handleHistory(r *request) error {
	var c historyRequest
	if err := r.decode(&c); err != nil {
		return err
	}
	n := 0
	if c.N != nil {
		n = *c.N
	}
	var cells []historyCell
	var err error
	switch c.HistAccessType {
	case "tail", "":
		if c.N == nil {
			n = 10
		}
		cells, err = k.history.tail(n)
	case "range":
		stop := 0
		if c.Stop != nil {
			stop = *c.Stop
		}
		cells, err = k.history.rangeOf(c.Session, c.Start, stop)
	case "search":
		pattern := c.Pattern
		if pattern == "" {
			pattern = "*"
		}
		cells, err = k.history.search(pattern, n, c.Unique)
	default:
		return fmt.Errorf("%w, not %q", errHistAccess, c.HistAccessType)
	}
	if err != nil {
		k.log.Warn("history_request failed", "err", err)
		r.replyError("HistoryError", err.Error())
		return nil
	}
	out := make([]any, 0, len(cells))
	for _, e := range cells {
		if c.Output {
			var output any
			if e.Output != "" {
				output = e.Output
			}
			out = append(out, []any{e.Session, e.Line, []any{e.Input, output}})
		} else {
			out = append(out, []any{e.Session, e.Line, e.Input})
		}
	}
	r.reply("history_reply", map[string]any{"status": "ok", "history": out})
	return nil
}
