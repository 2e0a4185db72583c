using System.Net;
using Palisade.Protocol;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Tests.Handlers;

/// <summary>Runs one query's octets through a handler, as a UDP client on 127.0.0.1 would, and reads the answer.</summary>
internal static class PipelineAsk
{
    public static async Task<(DnsMessage Response, AnswerSource Source)> AskAsync(IQueryHandler pipeline, byte[] query)
    {
        DnsHeader.TryRead(query, out var header);
        var context = new QueryContext(query, new IPEndPoint(IPAddress.Loopback, 5000), DnsTransport.Udp, CancellationToken.None) { Header = header };
        var result = await pipeline.HandleAsync(context);
        try
        {
            return (DnsMessage.Parse(result.Response), result.Source);
        }
        finally
        {
            result.Release();
        }
    }
}
