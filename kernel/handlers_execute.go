package kernel

import (
	"fmt"
	"runtime/debug"
	"time"

	"github.com/goawait/goawait/language"
)

// executeRequest is the content of execute_request. Pointer fields
// distinguish "absent" from false, since their defaults are true.
type executeRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      *bool             `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

// boolOr returns *b, or def when b is nil.
func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

// handleExecute answers execute_request: execute_input, the cell's
// output, an error message if it failed, then execute_reply.
func (k *Kernel) handleExecute(r *request) error {
	var c executeRequest
	if err := r.decode(&c); err != nil {
		return err
	}
	if !r.msg.received.IsZero() && !r.msg.received.After(k.abortBefore) {
		// Queued behind a cell that failed with stop_on_error.
		k.log.Info("aborting queued execute_request", "msg_id", r.msg.Header.MsgID)
		r.reply("execute_reply", map[string]any{
			"status":          "aborted",
			"execution_count": k.count,
		})
		return nil
	}
	store := boolOr(c.StoreHistory, !c.Silent) && !c.Silent
	if store {
		k.count++
	}
	count := k.count
	// Text an earlier cell's task printed goes before this cell.
	k.flushOutput()
	if !c.Silent {
		k.publish(r.msg.RawHeader, "execute_input", map[string]any{"code": c.Code, "execution_count": count})
	}
	pub := &cellPublisher{
		k:          k,
		parent:     r.msg.RawHeader,
		identities: r.msg.Identities,
		allowStdin: boolOr(c.AllowStdin, true),
		silent:     c.Silent,
		count:      count,
	}
	res := k.execute(language.Cell{
		Code:            c.Code,
		ExecutionCount:  count,
		Silent:          c.Silent,
		StoreHistory:    store,
		AllowStdin:      pub.allowStdin,
		UserExpressions: c.UserExpressions,
	}, pub)
	pub.Flush()
	if store {
		k.history.add(count, c.Code, pub.result())
	}

	userExpr := res.UserExpressions
	if userExpr == nil {
		userExpr = map[string]any{}
	}
	payload := res.Payload
	if payload == nil {
		payload = []map[string]any{}
	}
	if e := res.Err; e != nil {
		traceback := e.Traceback
		if traceback == nil {
			traceback = []string{e.Error()}
		}
		if !c.Silent {
			k.publish(r.msg.RawHeader, "error", map[string]any{
				"ename": e.Name, "evalue": e.Value, "traceback": traceback,
			})
		}
		r.reply("execute_reply", map[string]any{
			"status":           "error",
			"execution_count":  count,
			"ename":            e.Name,
			"evalue":           e.Value,
			"traceback":        traceback,
			"user_expressions": userExpr,
			"payload":          payload,
		})
		if boolOr(c.StopOnError, true) {
			k.abortBefore = time.Now()
		}
		return nil
	}
	r.reply("execute_reply", map[string]any{
		"status":           "ok",
		"execution_count":  count,
		"user_expressions": userExpr,
		"payload":          payload,
	})
	return nil
}

// execute runs a cell, turning an interpreter panic into a cell error.
func (k *Kernel) execute(cell language.Cell, pub *cellPublisher) (res language.ExecuteResult) {
	defer func() {
		if p := recover(); p != nil {
			k.log.Error("interpreter panicked", "panic", p, "stack", string(debug.Stack()))
			res = language.ExecuteResult{Err: &language.ExecError{
				Name:      "InternalError",
				Value:     fmt.Sprintf("the interpreter panicked: %v", p),
				Traceback: []string{fmt.Sprintf("InternalError: the interpreter panicked: %v", p)},
			}}
		}
	}()
	return k.interp.Execute(cell, pub)
}
