using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Server.Caching;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.AccessControl;
using Palisade.Server.Handlers.RateLimit;
using Palisade.Server.Observability;
using Palisade.Server.Pipeline;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Server.Tests.Reload;

/// <summary>
/// The pipeline table: a step that is off has no part, a reload takes over exactly the parts whose settings did not
/// change, and forwarding is last.
/// </summary>
public sealed class PipelineTableTests : IAsyncDisposable
{
    private readonly List<PipelineParts> _built = [];
    private readonly Instruments _instruments = new(TimeProvider.System, NullLoggerFactory.Instance);

    public async ValueTask DisposeAsync()
    {
        _instruments.Dispose();
        foreach (var part in _built.SelectMany(p => p.All).OfType<IPipelinePart>().Distinct())
        {
            await part.ReleaseAsync(new CancellationToken(canceled: true));
        }
    }

    [Fact]
    public void Steps_InTheDocumentedOrder_ForwardingLast()
    {
        Assert.Equal(
            [PipelineTable.Access, PipelineTable.RateLimit, PipelineTable.Blocking, PipelineTable.AnyQuery, PipelineTable.Cache, PipelineTable.Rebinding, PipelineTable.Forwarding],
            PipelineTable.Steps.Select(s => s.Name));
    }

    [Fact]
    public void Build_Reload_AccessListKeptWhileAccessStays()
    {
        var before = Options();
        var first = Build(before);

        var same = Build(Options("cache:\n  maxTtl: 1h\n"), (before, first));
        var changed = Build(Options("access:\n  allow: [\"10.0.0.0/8\"]\n"), (before, first));

        Assert.Same(first.Get<AccessList>(PipelineTable.Access), same.Get<AccessList>(PipelineTable.Access));
        Assert.NotSame(first.Get<AccessList>(PipelineTable.Access), changed.Get<AccessList>(PipelineTable.Access));
    }

    [Fact]
    public void Build_CacheAndRateLimitOff_NoPartsForThem()
    {
        var parts = Build(Options("cache:\n  maxSize: 0\nrateLimit:\n  queriesPerSecond: 0\n"));

        Assert.Null(parts.Get<ResponseCache>(PipelineTable.Cache));
        Assert.Null(parts.Get<ClientRateTable>(PipelineTable.RateLimit));
        Assert.NotNull(parts.Get<UpstreamSet>(PipelineTable.Forwarding));
    }

    [Fact]
    public void Build_Reload_TakesOverOnlyThePartsWhoseSettingsStayed()
    {
        var before = Options();
        var first = Build(before);
        var after = Options("cache:\n  maxTtl: 1h\n");

        var second = Build(after, (before, first));

        Assert.NotSame(first.Get<ResponseCache>(PipelineTable.Cache), second.Get<ResponseCache>(PipelineTable.Cache));
        Assert.Same(first.Get<ClientRateTable>(PipelineTable.RateLimit), second.Get<ClientRateTable>(PipelineTable.RateLimit));
        Assert.Same(first.Get<UpstreamSet>(PipelineTable.Forwarding), second.Get<UpstreamSet>(PipelineTable.Forwarding));
    }

    private PipelineParts Build(PalisadeOptions options, (PalisadeOptions, PipelineParts)? previous = null)
    {
        var (_, parts) = PipelineTable.Build(options, previous, _instruments, TimeProvider.System, NullLoggerFactory.Instance);
        _built.Add(parts);
        return parts;
    }

    private static PalisadeOptions Options(string extra = "") =>
        ConfigurationLoader.LoadFromYaml("upstreams: [\"udp://127.0.0.1:5300\"]\nblocking:\n  lists: []\n" + extra, "palisade.yml", new Dictionary<string, string>());
}
