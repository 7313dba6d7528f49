package kernel

// Interrupt interrupts the running cell and any pending input request,
// as an interrupt_request or SIGINT (with HandleSignals) does. A launcher
// that receives interrupts some other way (Enterprise Gateway's
// communication port) calls it. It may be called from any goroutine at
// any time; before Serve has started the interpreter nothing runs, and it
// does nothing.
func (k *Kernel) Interrupt() {
	select {
	case <-k.interpReady:
		k.interrupt()
	default:
	}
}
