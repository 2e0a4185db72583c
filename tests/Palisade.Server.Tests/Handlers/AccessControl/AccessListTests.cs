using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.AccessControl;
using Palisade.Server.Tests.Blocklists.Sources;

namespace Palisade.Server.Tests.Handlers.AccessControl;

/// <summary>The default access list with this machine's networks from a hand-written source, and a written list.</summary>
public sealed class AccessListTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RecordingLogger<AccessList> _logger = new();
    private readonly FakeLocalNetworks _source = new("2001:db8:1::/64", "192.0.2.0/24");

    public void Dispose() => _source.Dispose();

    [Theory]
    [InlineData("2001:db8:1::53", true)]
    [InlineData("2001:db8:1:0:1234:5678:9abc:def0", true)]
    [InlineData("192.0.2.77", true)]
    [InlineData("::ffff:192.0.2.77", true)]
    [InlineData("192.168.1.20", true)]
    [InlineData("fd12::1", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("2001:db8:2::53", false)]
    [InlineData("198.51.100.1", false)]
    [InlineData("8.8.8.8", false)]
    public void Contains_DefaultAllow_PrivateAndThisMachinesNetworks(string address, bool allowed)
    {
        using var access = AccessList.Create(new AccessOptions(), _source, _time, _logger);

        Assert.Equal(allowed, access.Contains(IPAddress.Parse(address)));
        Assert.Equal(["2001:db8:1::/64", "192.0.2.0/24"], access.LocalNetworks!.Select(n => n.ToString()));
    }

    [Fact]
    public void Contains_WrittenList_UsedAsWrittenWithoutThisMachinesNetworks()
    {
        var written = new AccessOptions { Allow = [.. AccessOptions.PrivateNetworks] };
        using var access = AccessList.Create(written, _source, _time, _logger);

        Assert.False(access.Contains(IPAddress.Parse("2001:db8:1::53")));
        Assert.True(access.Contains(IPAddress.Parse("10.0.0.1")));
        Assert.Null(access.LocalNetworks);
        Assert.True(_source.Disposed);
    }

    [Fact]
    public void Changed_InterfacesRenumbered_NewPrefixAllowedOldRefusedAndLogged()
    {
        using var access = AccessList.Create(new AccessOptions(), _source, _time, _logger);
        Assert.True(access.Contains(IPAddress.Parse("2001:db8:1::53")));

        _source.Set("2001:db8:77::/64");
        _source.RaiseChanged();

        Assert.True(access.Contains(IPAddress.Parse("2001:db8:77::53")));
        Assert.False(access.Contains(IPAddress.Parse("2001:db8:1::53")));
        Assert.False(access.Contains(IPAddress.Parse("192.0.2.77")));
        var line = Assert.Single(_logger.Lines);
        Assert.Equal((LogLevel.Information, 501), (line.Level, line.EventId));
        Assert.Equal("access: this machine's networks are now 2001:db8:77::/64; clients on them may query", line.Message);
    }

    [Fact]
    public void Timer_NoWordOfAChange_ReadAgainEveryMinute()
    {
        using var access = AccessList.Create(new AccessOptions(), _source, _time, _logger);
        _source.Set("2001:db8:5::/64");
        Assert.False(access.Contains(IPAddress.Parse("2001:db8:5::1")));

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(access.Contains(IPAddress.Parse("2001:db8:5::1")));
    }

    [Fact]
    public void Changed_SameNetworks_NothingLogged()
    {
        using var access = AccessList.Create(new AccessOptions(), _source, _time, _logger);

        _source.RaiseChanged();
        _time.Advance(TimeSpan.FromMinutes(3));

        Assert.Empty(_logger.Lines);
    }

    [Fact]
    public void Changed_SourceFails_ListInForceStaysAndWarns()
    {
        using var access = AccessList.Create(new AccessOptions(), _source, _time, _logger);
        _source.Failure = new InvalidOperationException("netlink gone");

        _source.RaiseChanged();

        Assert.True(access.Contains(IPAddress.Parse("2001:db8:1::53")));
        Assert.Equal(502, Assert.Single(_logger.Lines).EventId);
    }

    [Fact]
    public void Contains_AllowedOrNot_AllocatesNothing()
    {
        using var access = AccessList.Create(new AccessOptions(), _source, _time, _logger);
        var inside = IPAddress.Parse("2001:db8:1::53");
        var outside = IPAddress.Parse("2001:db8:2::53");
        Assert.True(access.Contains(inside));
        Assert.False(access.Contains(outside));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            access.Contains(inside);
            access.Contains(outside);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Dispose_StopsListening()
    {
        var access = AccessList.Create(new AccessOptions(), _source, _time, _logger);

        access.Dispose();

        Assert.False(_source.HasListeners);
        Assert.True(_source.Disposed);
    }

    /// <summary>A hand-written interface source: the networks it is given, and a change when told.</summary>
    private sealed class FakeLocalNetworks(params string[] networks) : ILocalNetworkSource, IDisposable
    {
        private IReadOnlyList<IPNetwork> _networks = [.. networks.Select(IPNetwork.Parse)];

        public event EventHandler? Changed;

        public bool Disposed { get; private set; }

        public bool HasListeners => Changed is not null;

        public Exception? Failure { get; set; }

        public IReadOnlyList<IPNetwork> GetNetworks() => Failure is null ? _networks : throw Failure;

        public void Set(params string[] networks) => _networks = [.. networks.Select(IPNetwork.Parse)];

        public void RaiseChanged() => Changed?.Invoke(this, EventArgs.Empty);

        public void Dispose() => Disposed = true;
    }
}
