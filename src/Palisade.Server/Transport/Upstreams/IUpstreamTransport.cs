namespace Palisade.Server.Transport.Upstreams;

/// <summary>One way of exchanging a query with one upstream server.</summary>
public interface IUpstreamTransport
{
    /// <summary>
    /// Sends <paramref name="query"/> and returns the first answer that matches it (<see cref="UpstreamQuery.Matches"/>),
    /// in a buffer rented from the shared pool that the caller returns. Throws <see cref="UpstreamException"/> on a
    /// failure the upstream is to blame for, and <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellation"/> ends first (the timeout).
    /// </summary>
    ValueTask<UpstreamResponse> ExchangeAsync(ReadOnlyMemory<byte> query, CancellationToken cancellation);
}
