namespace Palisade.Server.Transport.Listeners;

/// <summary>Bounds that keep a listener serving under load and against slow or greedy clients.</summary>
public sealed record ListenerLimits
{
    /// <summary>
    /// Queries being answered at once per listener; past it, UDP queries that would go upstream are dropped (the client retries), while cached and blocked names are still answered. Default 2,000.
    /// It is what bounds memory when the upstreams are slow (a flood of random names against a drowning authoritative):
    /// each query waiting on an upstream holds a socket and its buffers, about 150 KB with the GC's share, so 10,000 took
    /// a gigabyte and starved the server of answers altogether (WaterTortureInteropTests). 2,000 at once is still 2,000
    /// uncached queries a second against an upstream that takes a whole second, or 40,000 at a usual 50 ms.
    /// </summary>
    public int MaxConcurrentQueries { get; init; } = 2_000;

    /// <summary>Open TCP connections per listener; past it, new ones are closed at once. Default 1,000.</summary>
    public int MaxTcpConnections { get; init; } = 1_000;

    /// <summary>Queries answered at once on one TCP connection (RFC 7766 s6.2.1.1 pipelining); past it, reading pauses. Default 32.</summary>
    public int MaxQueriesPerConnection { get; init; } = 32;

    /// <summary>
    /// A TCP connection with nothing to read for this long is closed (RFC 7766 s6.2.3), and a whole message must arrive
    /// within it, so a client that trickles octets cannot hold a connection. Default 10 s.
    /// </summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a response may take to write to a TCP client before the connection is dropped. Default 5 s.</summary>
    public TimeSpan TcpWriteTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether UDP datagrams are taken and answered in batches on Linux (<c>recvmmsg</c>/<c>sendmmsg</c>); off, one
    /// system call each, as on other systems. On by default; the tests cover both.
    /// </summary>
    internal bool BatchUdp { get; init; } = true;
}
