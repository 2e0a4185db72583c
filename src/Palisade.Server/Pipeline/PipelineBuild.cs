using Microsoft.Extensions.Logging;
using Palisade.Server.Configuration;

namespace Palisade.Server.Pipeline;

/// <summary>What a step's factories are given when a generation is built: the options, the generation's work counter
/// (for background work that must hold it open), and the clock and loggers.</summary>
internal sealed record PipelineBuild(PalisadeOptions Options, WorkCounter Work, TimeProvider TimeProvider, ILoggerFactory LoggerFactory);
