using System.Buffers;
using System.Net;
using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Handlers.AccessControl;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Tests.Handlers;

public sealed class AccessControlHandlerTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.31.255.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.20", true)]
    [InlineData("100.64.0.9", true)]
    [InlineData("100.128.0.1", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("::1", true)]
    [InlineData("fd12:3456::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("2001:db8::1", false)]
    [InlineData("::ffff:192.168.1.20", true)]
    [InlineData("::ffff:8.8.8.8", false)]
    public void IsAllowed_Defaults_PrivateNetworksOnly(string address, bool allowed) =>
        Assert.Equal(allowed, new AccessControlHandler(new AccessOptions(), new Answering()).IsAllowed(IPAddress.Parse(address)));

    [Fact]
    public async Task Stranger_Refused_WithProhibitedEde()
    {
        var result = await HandleAsync(new AccessOptions(), "203.0.113.9");
        Assert.Equal(AnswerSource.Error, result.Source);
        Assert.Equal(DnsResponseCode.Refused, result.ResponseCode);
        Assert.Equal(ExtendedDnsErrorCode.Prohibited, result.ExtendedError);
        result.Release();
    }

    [Fact]
    public async Task Stranger_DropActionConfigured_Dropped()
    {
        var result = await HandleAsync(new AccessOptions { Action = AccessAction.Drop }, "203.0.113.9");
        Assert.True(result.IsDrop);
    }

    [Fact]
    public async Task OpenedToEveryone_StrangerAnswered()
    {
        var options = new AccessOptions { Allow = [IPNetwork.Parse("0.0.0.0/0"), IPNetwork.Parse("::/0")] };
        var result = await HandleAsync(options, "203.0.113.9");
        Assert.Equal(AnswerSource.Upstream, result.Source);
        result.Release();
    }

    [Fact]
    public void Config_AccessKeys_Parsed()
    {
        var options = ConfigurationLoader.LoadFromYaml(
            "access:\n  allow: [\"192.0.2.0/24\", \"2001:db8::/32\", \"198.51.100.7\"]\n  action: drop\n",
            "test.yml",
            new Dictionary<string, string>());
        Assert.Equal(["192.0.2.0/24", "2001:db8::/32", "198.51.100.7/32"], options.Access.Allow.Select(n => n.ToString()));
        Assert.Equal(AccessAction.Drop, options.Access.Action);
    }

    [Fact]
    public void DisplayLine_DefaultAllow_ShowsThisMachinesNetworks()
    {
        var options = new PalisadeOptions();
        IPNetwork[] local = [IPNetwork.Parse("2001:db8:1::/64"), IPNetwork.Parse("192.168.1.0/24")];

        Assert.Contains(
            "access: loopback, private networks, and this machine's networks 2001:db8:1::/64, 192.168.1.0/24 may query; others refused",
            ConfigurationFormatter.ToDisplayLines(options, local));
        Assert.Contains(
            "access: loopback, private networks, and this machine's networks (none found) may query; others refused",
            ConfigurationFormatter.ToDisplayLines(options, []));
    }

    [Fact]
    public void DisplayLine_WrittenAllow_AsWritten()
    {
        var options = ConfigurationLoader.LoadFromYaml("access:\n  allow: [\"192.0.2.0/24\"]\n  action: drop\n", "test.yml", new Dictionary<string, string>());

        Assert.False(options.Access.IsDefaultAllow);
        Assert.Contains("access: 192.0.2.0/24 may query; others dropped", ConfigurationFormatter.ToDisplayLines(options, null));
    }

    [Fact]
    public void Config_DefaultAndWrittenDefaultList_DifferForAReload()
    {
        var written = new AccessOptions { Allow = [.. AccessOptions.PrivateNetworks] };

        Assert.NotEqual(new AccessOptions(), written);
        Assert.Contains(
            "access.allow",
            ConfigurationChanges.Compare(new PalisadeOptions(), new PalisadeOptions { Access = written }));
    }

    [Theory]
    [InlineData("access:\n  allow: [\"192.0.2.0/33\"]\n", "test.yml:2: access.allow:")]
    [InlineData("access:\n  allow: [\"nonsense\"]\n", "is not a network")]
    [InlineData("access:\n  action: ignore\n", "access.action")]
    public void Config_BadAccessValue_ErrorWithLineAndKey(string yaml, string expected)
    {
        var exception = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.LoadFromYaml(yaml, "test.yml", new Dictionary<string, string>()));
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    private static async Task<QueryResult> HandleAsync(AccessOptions options, string client)
    {
        byte[] query = new DnsMessage { Header = new DnsHeader { Id = 3 }, Questions = { new DnsQuestion(DnsName.Parse("example.com"), DnsRecordType.A) } }.ToArray();
        DnsHeader.TryRead(query, out var header);
        var context = new QueryContext(query, new IPEndPoint(IPAddress.Parse(client), 4000), DnsTransport.Udp, CancellationToken.None) { Header = header };
        var pipeline = PipelineBuilder.Build(new Answering(), next => new AccessControlHandler(options, next));
        return await pipeline.HandleAsync(context);
    }

    private sealed class Answering : IQueryHandler
    {
        public ValueTask<QueryResult> HandleAsync(QueryContext context)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(context.Query.Length);
            context.Query.Span.CopyTo(buffer);
            buffer[2] |= 0x80;
            return ValueTask.FromResult(QueryResult.FromPooled(buffer, context.Query.Length, AnswerSource.Upstream));
        }
    }
}
