using Microsoft.Extensions.Logging;
using Palisade.Server.Configuration;
using Palisade.Server.Observability;

namespace Palisade.Server.Pipeline;

/// <summary>
/// What a step's factories are given when a generation is built: the options, the generation's work counter (for
/// background work that must hold it open), what watches the server across generations, and the clock and loggers.
/// </summary>
internal sealed record PipelineBuild(PalisadeOptions Options, WorkCounter Work, Instruments Instruments, TimeProvider TimeProvider, ILoggerFactory LoggerFactory);
