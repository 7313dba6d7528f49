// Package language is what a language gives the kernel and what the kernel
// gives it back: the Interpreter that runs cells, completes and inspects
// code, and the Publisher through which a running cell shows its output.
//
// Package kernel (the Jupyter protocol server) calls an Interpreter; package
// interp (Go cells) is one. Both depend on this package and neither on the
// other, and this package imports nothing but the standard library, so a
// package that only shows output (display) never pulls in the transport.
package language

// Interpreter is the language side of a kernel. The kernel calls Execute,
// Complete, Inspect and IsComplete from one goroutine at a time (the shell
// goroutine); Interrupt may be called from any goroutine at any moment.
type Interpreter interface {
	// Info describes the language for kernel_info_reply.
	Info() LanguageInfo

	// Execute runs one cell to completion. Everything the cell shows goes
	// through out: streams, displays and the execute_result (via
	// out.Display with Result set). Execute must not return before every
	// byte the cell wrote to stdout or stderr has been handed to out.
	Execute(cell Cell, out Publisher) ExecuteResult

	// Complete proposes completions for code at cursor (a position in
	// Unicode code points).
	Complete(code string, cursor int) Completion

	// Inspect describes the name at cursor (Unicode code points). Detail
	// is 0 or 1, as in inspect_request.
	Inspect(code string, cursor int, detail int) Inspection

	// IsComplete tells whether code is ready to run.
	IsComplete(code string) Completeness

	// Interrupt stops the running cell, if any, so that Execute returns an
	// error soon. It never blocks.
	Interrupt()

	// Shutdown stops everything the interpreter started (tasks,
	// goroutines it can reach, child processes). It is called once, before
	// the kernel exits or restarts.
	Shutdown()
}

// LanguageInfo is the language part of kernel_info_reply.
type LanguageInfo struct {
	Name              string // "go"
	Version           string // e.g. "1.26.8"
	Mimetype          string // "text/x-go"
	FileExtension     string // ".go"
	PygmentsLexer     string // "go"
	CodemirrorMode    string // "go"
	NbconvertExporter string // "" for none
	Banner            string
	HelpLinks         []HelpLink
}

// HelpLink is one entry of kernel_info_reply's help_links.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// Cell is one execute_request as the interpreter sees it.
type Cell struct {
	Code            string
	ExecutionCount  int               // the count this cell is shown with (In [N])
	Silent          bool              // no output, no history, count not incremented
	StoreHistory    bool              // already applied by the kernel; informative
	AllowStdin      bool              // when false, reading stdin fails at once
	UserExpressions map[string]string // evaluated after the cell, if it succeeds
}

// ExecuteResult is the outcome of a cell.
type ExecuteResult struct {
	// Err is nil when the cell succeeded.
	Err *ExecError
	// UserExpressions holds, for each requested expression, a MIME bundle
	// reply as the protocol describes (status, data, metadata) or an error
	// (status, ename, evalue, traceback).
	UserExpressions map[string]any
	// Payload is the execute_reply payload list (e.g. a pager page).
	Payload []map[string]any
}

// ExecError is an error shown to the user, in the shape of the protocol's
// error message.
type ExecError struct {
	Name      string   // ename, e.g. "CompileError", "panic", "Interrupted"
	Value     string   // evalue, one line
	Traceback []string // lines shown by front ends (may carry ANSI colours)
}

// Error implements error.
func (e *ExecError) Error() string { return e.Name + ": " + e.Value }

// Completion is the content of complete_reply.
type Completion struct {
	Matches     []string
	CursorStart int // Unicode code points
	CursorEnd   int // Unicode code points
	// Types, when set, has one entry per match for JupyterLab's
	// _jupyter_types_experimental metadata.
	Types []CompletionType
}

// CompletionType describes one completion match for front ends that show
// kinds (function, variable, package, keyword...).
type CompletionType struct {
	Text      string `json:"text"`
	Type      string `json:"type"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Signature string `json:"signature,omitempty"`
}

// Inspection is the content of inspect_reply.
type Inspection struct {
	Found bool
	Data  map[string]any // MIME bundle, e.g. text/plain and text/markdown
}

// Completeness is the content of is_complete_reply.
type Completeness struct {
	Status string // "complete", "incomplete", "invalid" or "unknown"
	Indent string // for "incomplete": what to put at the start of the next line
}

// Publisher is how a running cell (or a task it started) talks to the front
// end. A Publisher belongs to one execute_request: everything sent through it
// carries that request's header as parent, whenever it is sent. Methods are
// safe for concurrent use.
type Publisher interface {
	// Stream sends text on "stdout" or "stderr". Consecutive writes are
	// coalesced into few messages; they are always flushed before the
	// request's reply and before any display or clear_output.
	Stream(name, text string)
	// Display sends display_data, update_display_data or execute_result.
	Display(d Display)
	// ClearOutput sends clear_output.
	ClearOutput(wait bool)
	// Input asks the front end for a line of input (input_request) and
	// waits for the answer. It fails at once when the request did not
	// allow stdin.
	Input(prompt string, password bool) (string, error)
}

// Display is one rich output.
type Display struct {
	Data      map[string]any // MIME type -> content
	Metadata  map[string]any
	Transient map[string]any // e.g. {"display_id": "..."}
	// Update makes it an update_display_data (needs a display_id).
	Update bool
	// Result makes it the cell's execute_result (the value of the last
	// expression); the kernel adds the execution count.
	Result bool
}
