package autoawait

import "github.com/goawait/goawait/autoawait/internal/asyncmodel"

// The names of the asyncio library that the emitted code calls or the
// rewriter recognizes, and those only its generic model has (see
// autoawait/internal/asyncmodel, which writes the model).
const (
	libAwait            = "Await"
	libCoroutine        = "Coroutine"
	libTask             = "Task"
	libFuture           = "Future"
	libRun              = "Run"
	libRunUntilComplete = "RunUntilComplete"

	modelVoid        = asyncmodel.Void
	modelUnknown     = asyncmodel.Unknown
	modelTuple       = asyncmodel.TuplePrefix
	modelMaxTuple    = asyncmodel.MaxTuple
	modelAwaitable   = asyncmodel.Awaitable
	modelAwaitResult = asyncmodel.AwaitResult
	modelCoroutine   = asyncmodel.CoroutineOf
	modelTask        = asyncmodel.TaskOf
	modelFuture      = asyncmodel.FutureOf
)
