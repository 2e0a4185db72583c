using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Tests.Reload;

namespace Palisade.Server.Tests.Observability;

/// <summary>
/// The metrics observer on a running server: real UDP queries to a listener on 127.0.0.1, forwarded to a loopback
/// upstream, one name denied; the server's <see cref="PalisadeServer.Meter"/> counts each by where its answer came from,
/// its response code, its transport and the upstream that gave it, and keeps counting across a reload.
/// </summary>
public sealed class QueryMetricsServerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-metrics-").FullName;
    private readonly LoopbackUpstream _upstream = new("192.0.2.1");
    private readonly Dictionary<string, long> _counts = [];

    public void Dispose()
    {
        _upstream.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Serve_UdpQueries_CountedBySourceRcodeTransportAndUpstream()
    {
        await using var server = await PalisadeServer.StartAsync(Options(), TimeProvider.System, NullLoggerFactory.Instance);
        using var listener = Listen(server.Meter);

        await AskAsync(server, "www.example.com");
        await AskAsync(server, "www.example.com");
        await AskAsync(server, "ads.example");
        await server.ReloadAsync(Options("  deny: [\"ads.example\", \"more.example\"]\n"));
        await AskAsync(server, "more.example");

        Assert.Equal(1, Count("palisade.dns.queries", "source=upstream", "rcode=NOERROR", "transport=udp"));
        Assert.Equal(1, Count("palisade.dns.queries", "source=cache", "rcode=NOERROR", "transport=udp"));
        Assert.Equal(2, Count("palisade.dns.queries", "source=blocked", "rcode=NOERROR", "transport=udp"));
        Assert.Equal(1, Count("palisade.dns.upstream.answers", $"upstream={_upstream.Url}"));
    }

    private MeterListener Listen(Meter meter)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string key = string.Join(' ', [instrument.Name, .. tags.ToArray().Select(t => $"{t.Key}={t.Value}").Order(StringComparer.Ordinal)]);
            lock (_counts)
            {
                _counts[key] = _counts.GetValueOrDefault(key) + value;
            }
        });
        listener.Start();
        return listener;
    }

    private long Count(string instrument, params string[] tags)
    {
        string key = string.Join(' ', [instrument, .. tags.Order(StringComparer.Ordinal)]);
        lock (_counts)
        {
            return _counts.GetValueOrDefault(key);
        }
    }

    private static async Task AskAsync(PalisadeServer server, string name)
    {
        using var client = new UdpClient(AddressFamily.InterNetwork);
        byte[] query = new DnsMessage
        {
            Header = new DnsHeader { Id = 7, RecursionDesired = true },
            Questions = { new DnsQuestion(DnsName.Parse(name), DnsRecordType.A) },
        }.ToArray();
        await client.SendAsync(query, server.EndPoints[0]);
        var received = await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(DnsResponseCode.NoError, DnsMessage.Parse(received.Buffer).ResponseCode);
    }

    private PalisadeOptions Options(string deny = "  deny: [\"ads.example\"]\n")
    {
        string yaml = $"""
            upstreams: ["{_upstream.Url}"]
            dataDir: "{_directory}"
            blocking:
              lists: []

            """ + deny;
        return ConfigurationLoader.LoadFromYaml(yaml, "palisade.yml", new Dictionary<string, string>()) with
        {
            Listen = [new IPEndPoint(IPAddress.Loopback, 0)],
        };
    }
}
