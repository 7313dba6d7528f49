package kernel

// codeRequest is the content of complete_request and inspect_request.
type codeRequest struct {
	Code        string `json:"code"`
	CursorPos   int    `json:"cursor_pos"`
	DetailLevel int    `json:"detail_level"`
}

// handleIsComplete answers is_complete_request.
func (k *Kernel) handleIsComplete(r *request) error {
	var c codeRequest
	if err := r.decode(&c); err != nil {
		return err
	}
	res := k.interp.IsComplete(c.Code)
	content := map[string]any{"status": res.Status}
	if res.Status == "" {
		content["status"] = "unknown"
	}
	if res.Status == "incomplete" {
		content["indent"] = res.Indent
	}
	r.reply("is_complete_reply", content)
	return nil
}

// handleComplete answers complete_request.
func (k *Kernel) handleComplete(r *request) error {
	var c codeRequest
	if err := r.decode(&c); err != nil {
		return err
	}
	res := k.interp.Complete(c.Code, c.CursorPos)
	matches := res.Matches
	if matches == nil {
		matches = []string{}
	}
	metadata := map[string]any{}
	if len(res.Types) > 0 {
		metadata["_jupyter_types_experimental"] = res.Types
	}
	r.reply("complete_reply", map[string]any{
		"status":       "ok",
		"matches":      matches,
		"cursor_start": res.CursorStart,
		"cursor_end":   res.CursorEnd,
		"metadata":     metadata,
	})
	return nil
}

// handleInspect answers inspect_request.
func (k *Kernel) handleInspect(r *request) error {
	var c codeRequest
	if err := r.decode(&c); err != nil {
		return err
	}
	res := k.interp.Inspect(c.Code, c.CursorPos, c.DetailLevel)
	r.reply("inspect_reply", map[string]any{
		"status":   "ok",
		"found":    res.Found,
		"data":     orEmpty(res.Data),
		"metadata": map[string]any{},
	})
	return nil
}
