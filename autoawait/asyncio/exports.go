package asyncio

import "reflect"

// ExportPath is the key of Exports: package path "asyncio", name "asyncio".
const ExportPath = "asyncio/asyncio"

// Exports returns the library in yaegi's Exports shape: functions bound
// to rt (method values), types as nil pointers, constants as values.
func (rt *Runtime) Exports() map[string]map[string]reflect.Value {
	return map[string]map[string]reflect.Value{ExportPath: {
		// Functions.
		"NewCoroutine":           reflect.ValueOf(rt.NewCoroutine),
		"NewTailCoroutine":       reflect.ValueOf(rt.NewTailCoroutine),
		"NewTailReturnCoroutine": reflect.ValueOf(rt.NewTailReturnCoroutine),
		"Await":                  reflect.ValueOf(rt.Await),
		"AwaitAt":                reflect.ValueOf(rt.AwaitAt),
		"CreatedAt":              reflect.ValueOf(rt.CreatedAt),
		"Run":                    reflect.ValueOf(rt.Run),
		"Sleep":                  reflect.ValueOf(rt.Sleep),
		"CreateTask":             reflect.ValueOf(rt.CreateTask),
		"EnsureFuture":           reflect.ValueOf(rt.EnsureFuture),
		"Gather":                 reflect.ValueOf(rt.Gather),
		"GatherReturnExceptions": reflect.ValueOf(rt.GatherReturnExceptions),
		"Wait":                   reflect.ValueOf(rt.Wait),
		"WaitFor":                reflect.ValueOf(rt.WaitFor),
		"Timeout":                reflect.ValueOf(rt.Timeout),
		"Shield":                 reflect.ValueOf(rt.Shield),
		"AsCompleted":            reflect.ValueOf(rt.AsCompleted),
		"NewTaskGroup":           reflect.ValueOf(rt.NewTaskGroup),
		"NewQueue":               reflect.ValueOf(rt.NewQueue),
		"NewLock":                reflect.ValueOf(rt.NewLock),
		"NewEvent":               reflect.ValueOf(rt.NewEvent),
		"NewSemaphore":           reflect.ValueOf(rt.NewSemaphore),
		"NewBoundedSemaphore":    reflect.ValueOf(rt.NewBoundedSemaphore),
		"ToThread":               reflect.ValueOf(rt.ToThread),
		"CurrentTask":            reflect.ValueOf(rt.CurrentTask),
		"AllTasks":               reflect.ValueOf(rt.AllTasks),
		"NewEventLoop":           reflect.ValueOf(rt.NewEventLoop),
		"SetEventLoop":           reflect.ValueOf(rt.SetEventLoop),
		"GetEventLoop":           reflect.ValueOf(rt.GetEventLoop),
		"GetRunningLoop":         reflect.ValueOf(rt.GetRunningLoop),
		"Timeline":               reflect.ValueOf(rt.Timeline),

		// Constants.
		"FirstCompleted": reflect.ValueOf(FirstCompleted),
		"FirstException": reflect.ValueOf(FirstException),
		"AllCompleted":   reflect.ValueOf(AllCompleted),

		// Types.
		"Coroutine":         reflect.ValueOf((*Coroutine)(nil)),
		"Future":            reflect.ValueOf((*Future)(nil)),
		"FutureLike":        reflect.ValueOf((*FutureLike)(nil)),
		"Task":              reflect.ValueOf((*Task)(nil)),
		"EventLoop":         reflect.ValueOf((*EventLoop)(nil)),
		"Handle":            reflect.ValueOf((*Handle)(nil)),
		"TaskGroup":         reflect.ValueOf((*TaskGroup)(nil)),
		"Queue":             reflect.ValueOf((*Queue)(nil)),
		"Lock":              reflect.ValueOf((*Lock)(nil)),
		"Event":             reflect.ValueOf((*Event)(nil)),
		"Semaphore":         reflect.ValueOf((*Semaphore)(nil)),
		"BoundedSemaphore":  reflect.ValueOf((*BoundedSemaphore)(nil)),
		"WaitMode":          reflect.ValueOf((*WaitMode)(nil)),
		"CancelledError":    reflect.ValueOf((*CancelledError)(nil)),
		"TimeoutError":      reflect.ValueOf((*TimeoutError)(nil)),
		"InvalidStateError": reflect.ValueOf((*InvalidStateError)(nil)),
		"RuntimeError":      reflect.ValueOf((*RuntimeError)(nil)),
		"TypeError":         reflect.ValueOf((*TypeError)(nil)),
		"ValueError":        reflect.ValueOf((*ValueError)(nil)),
		"QueueEmpty":        reflect.ValueOf((*QueueEmpty)(nil)),
		"QueueFull":         reflect.ValueOf((*QueueFull)(nil)),
		"PanicError":        reflect.ValueOf((*PanicError)(nil)),
		"ExceptionGroup":    reflect.ValueOf((*ExceptionGroup)(nil)),
		"TaskTimeline":      reflect.ValueOf((*TaskTimeline)(nil)),
		"TimelineTask":      reflect.ValueOf((*TimelineTask)(nil)),
		"TimelineSpan":      reflect.ValueOf((*TimelineSpan)(nil)),
	}}
}
