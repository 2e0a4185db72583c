using System.Net;
using System.Text;

namespace Palisade.Tests.Interop;

/// <summary>
/// DNS 0x20 through <c>palisade serve</c>: the case of names sent to a UDP upstream is randomised, the client still
/// sees its own case, and an upstream that does not echo case is exempted with one warning and keeps answering.
/// </summary>
public sealed class CaseRandomizationInteropTests
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyz.abcdefghij.test.";

    private const string Warning = "does not echo the query's letter case";

    private static readonly IPAddress Good = IPAddress.Parse("192.0.2.77");

    [Fact]
    public async Task Serve_EchoingUpstream_NameGoesOutInRandomCase_ClientGetsItsOwnCase()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.Answer, new FakeUpstreamOptions { Address = Good });
        await using var server = await StartAsync(upstream);
        string asked = "MiXeD." + Letters;

        var answer = await server.Client().QueryAsync(asked, "A");

        Assert.Equal("NOERROR", answer.Status);
        Assert.Equal(Good.ToString(), Assert.Single(answer.Answer).Data);
        Assert.Equal(asked, answer.QuestionName);
        string sent = QuestionName(Assert.Single(upstream.Queries));
        Assert.Equal(asked, sent, ignoreCase: true);
        Assert.NotEqual(asked, sent);
        Assert.DoesNotContain(Warning, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_LowerCasingUpstream_WarnsOnceAndAnswersKeepFlowing()
    {
        await using var upstream = new FakeUpstream(FakeUpstreamBehavior.AnswerLowerCase, new FakeUpstreamOptions { Address = Good });
        await using var server = await StartAsync(upstream);
        var client = server.Client();

        const int Queries = 6;
        for (int i = 0; i < Queries; i++)
        {
            string asked = $"Q{i}.MiXeD.{Letters}";
            var answer = await client.QueryAsync(asked, "A");
            Assert.Equal("NOERROR", answer.Status);
            Assert.Equal(Good.ToString(), Assert.Single(answer.Answer).Data);
            Assert.Equal(asked, answer.QuestionName);
        }

        // Three exchanges got only lower-cased answers (each asked again without 0x20); after that one query each,
        // in the client's case.
        Assert.Single(server.Output.Split('\n'), line => line.Contains(Warning, StringComparison.Ordinal));
        Assert.DoesNotContain("is failing", server.Output, StringComparison.Ordinal);
        Assert.Equal((3 * 2) + (Queries - 3), upstream.QueryCount);
        Assert.Equal($"Q{Queries - 1}.MiXeD.{Letters}", QuestionName(upstream.Queries[^1]));
    }

    private static Task<PalisadeServer> StartAsync(FakeUpstream upstream) => PalisadeServer.StartAsync(new PalisadeServerOptions
    {
        Upstreams = [upstream.UdpUpstream],
        ConfigText = "upstreamTimeout: 2s\n",
        Readiness = PalisadeReadiness.ListeningLine,
    });

    /// <summary>The question name of a query, in presentation form with the trailing dot.</summary>
    private static string QuestionName(byte[] query)
    {
        var name = new StringBuilder();
        for (int at = 12; query[at] != 0; at += 1 + query[at])
        {
            name.Append(Encoding.ASCII.GetString(query, at + 1, query[at])).Append('.');
        }

        return name.ToString();
    }
}
