package kernel

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/goawait/goawait/language"
)

// Stream coalescing limits: a pending stream is flushed once this many
// bytes are buffered, or this long after its first unflushed byte.
const (
	streamFlushSize  = 64 << 10
	streamFlushDelay = 100 * time.Millisecond
)

// errNoStdin is what Input returns when the front end did not allow stdin.
var errNoStdin = errors.New("input is not supported by this front end (allow_stdin is false)")

// outputTurn orders the output of all cells' publishers. A publisher
// holds stream text for up to streamFlushDelay; when output comes through
// another publisher (a later cell, while a task of an earlier one had
// printed), the holder's text is sent first, so that output arrives in
// the order it was written. Its mutex guards the state of every
// publisher of the kernel.
type outputTurn struct {
	mu     sync.Mutex
	holder *cellPublisher // the publisher whose text was buffered last
}

// cellPublisher is the Publisher of one execute_request. It stays valid
// after the cell ends: tasks the cell started keep publishing under its
// header. Its state below is guarded by k.output.mu.
type cellPublisher struct {
	k          *Kernel
	parent     json.RawMessage // the execute_request header
	identities [][]byte        // the execute_request sender, for stdin
	allowStdin bool
	silent     bool
	count      int

	name       string // stream of the pending text
	buf        strings.Builder
	timer      *time.Timer
	gen        int    // bumped on every flush, so stale timers do nothing
	resultText string // text/plain of the last execute_result
	dropped    int    // bytes of output dropped because iopub stalled, not yet noted
}

var _ language.Publisher = (*cellPublisher)(nil)

// Stream implements Publisher. Writes to the same stream are coalesced;
// a write to the other stream first flushes what is pending, so the order
// of stdout and stderr is kept.
func (p *cellPublisher) Stream(name, text string) {
	if p.silent || text == "" {
		return
	}
	p.lock()
	defer p.unlock()
	if p.buf.Len() > 0 && p.name != name {
		p.flushLocked()
	}
	p.name = name
	p.buf.WriteString(text)
	if p.buf.Len() >= streamFlushSize {
		p.flushLocked()
		return
	}
	if p.timer == nil {
		gen := p.gen
		p.timer = time.AfterFunc(streamFlushDelay, func() { p.timerFlush(gen) })
	}
}

// lock takes the kernel's output lock and the turn: text another
// publisher holds is sent first.
func (p *cellPublisher) lock() {
	p.k.output.mu.Lock()
	if h := p.k.output.holder; h != nil && h != p {
		h.flushLocked()
	}
	p.k.output.holder = p
}

func (p *cellPublisher) unlock() { p.k.output.mu.Unlock() }

// flushOutput sends the text the last publisher holds, if any.
func (k *Kernel) flushOutput() {
	k.output.mu.Lock()
	defer k.output.mu.Unlock()
	if h := k.output.holder; h != nil {
		h.flushLocked()
	}
}

// timerFlush flushes the batch a timer was started for.
func (p *cellPublisher) timerFlush(gen int) {
	p.k.output.mu.Lock()
	defer p.k.output.mu.Unlock()
	if gen == p.gen {
		p.flushLocked()
	}
}

// Flush sends pending stream text now, and the note about dropped
// output if there is one.
func (p *cellPublisher) Flush() {
	p.lock()
	defer p.unlock()
	p.flushLocked()
	p.noteDroppedLocked()
}

func (p *cellPublisher) flushLocked() {
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	p.gen++
	if p.buf.Len() == 0 {
		return
	}
	text := p.buf.String()
	p.buf.Reset()
	p.outputLocked("stream", map[string]any{"name": p.name, "text": text}, len(text))
}

// outputLocked publishes one message of cell output once iopub has room
// for it (back-pressure), or counts it as dropped if the front end has
// stopped reading (see zmqtransport.Gate). size is what the note counts.
func (p *cellPublisher) outputLocked(msgType string, content any, size int) {
	if !p.k.gate.Admit() {
		p.dropped += size
		return
	}
	p.noteDroppedLocked()
	p.k.publish(p.parent, msgType, content)
}

// noteDroppedLocked tells the cell how much of its output was dropped.
func (p *cellPublisher) noteDroppedLocked() {
	if p.dropped == 0 {
		return
	}
	p.k.publish(p.parent, "stream", map[string]any{"name": "stderr", "text": truncationNote(p.dropped, p.k.gate.Stall())})
	p.dropped = 0
}

// displaySize is the size of a display message's data, for the note
// about dropped output.
func displaySize(data map[string]any) int {
	n := 0
	for _, v := range data {
		if s, ok := v.(string); ok {
			n += len(s)
		} else {
			n += 64
		}
	}
	return n
}

// Display implements Publisher.
func (p *cellPublisher) Display(d language.Display) {
	if p.silent {
		return
	}
	p.lock()
	defer p.unlock()
	p.flushLocked()
	data := orEmpty(d.Data)
	metadata := orEmpty(d.Metadata)
	switch {
	case d.Result:
		if s, ok := data["text/plain"].(string); ok {
			p.resultText = s
		}
		p.outputLocked("execute_result", map[string]any{
			"execution_count": p.count, "data": data, "metadata": metadata,
		}, displaySize(data))
	case d.Update:
		p.outputLocked("update_display_data", map[string]any{
			"data": data, "metadata": metadata, "transient": orEmpty(d.Transient),
		}, displaySize(data))
	default:
		p.outputLocked("display_data", map[string]any{
			"data": data, "metadata": metadata, "transient": orEmpty(d.Transient),
		}, displaySize(data))
	}
}

// ClearOutput implements Publisher.
func (p *cellPublisher) ClearOutput(wait bool) {
	if p.silent {
		return
	}
	p.lock()
	defer p.unlock()
	p.flushLocked()
	p.outputLocked("clear_output", map[string]any{"wait": wait}, 0)
}

// Input implements Publisher: it sends input_request on stdin to the
// front end that sent the execute_request and waits for its input_reply.
func (p *cellPublisher) Input(prompt string, password bool) (string, error) {
	if !p.allowStdin {
		return "", errNoStdin
	}
	p.Flush()
	return p.k.stdin.request(p.identities, p.parent, prompt, password)
}

// result returns the text/plain of the last execute_result, if any.
func (p *cellPublisher) result() string {
	p.k.output.mu.Lock()
	defer p.k.output.mu.Unlock()
	return p.resultText
}

// orEmpty makes a nil map an empty one, so it encodes as {}.
func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// truncationNote is the line a cell's output gets in place of what was
// dropped.
func truncationNote(dropped int, stall time.Duration) string {
	return fmt.Sprintf("\n… output truncated: %d bytes dropped (the front end read no output for %s) …\n", dropped, stall)
}
