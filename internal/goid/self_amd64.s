//go:build linux || darwin

#include "textflag.h"

// func self() uintptr: the current goroutine's descriptor, which the Go
// runtime keeps in thread-local storage.
TEXT ·self(SB),NOSPLIT,$0-8
	MOVQ (TLS), AX
	MOVQ AX, ret+0(FP)
	RET
