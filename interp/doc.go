// Package interp is goawait's Go session: one yaegi interpreter that
// lives as long as the kernel, holds a notebook's state, and implements
// language.Interpreter (run a cell, complete, inspect, interrupt, shut
// down).
//
// Running a cell, the session hands its lines starting with % or ! to
// the magics (interp/magic), rewrites async/await into plain Go
// (autoawait), lowers the rest into Go that yaegi runs as Go would
// (internal/lower), cuts it into chunks (internal/plan) and evaluates
// them one after the other on a goroutine of its own, as a task of the
// asyncio event loop, through the one door it has into yaegi
// (internal/yaegix). Meanwhile it forwards what the cell prints to the
// front end, reads stdin from it, stops the cell when asked, turns
// compile errors and panics into errors that name the user's cell and
// line, and shows the cell's last value (its rich form comes from
// internal/rich). Completion, inspection and help answer from the names
// the session knows (internal/lookup).
//
// docs/decisions-interp.md explains what the session does for each of
// these and why.
package interp
