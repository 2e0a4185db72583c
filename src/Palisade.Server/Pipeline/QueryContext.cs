using System.Net;
using Palisade.Protocol;

namespace Palisade.Server.Pipeline;

/// <summary>
/// One query on its way through the pipeline: the client's octets and address, the transport, and what validation
/// read from the octets (question, EDNS facts), so that no later handler reads them again.
/// </summary>
public sealed class QueryContext
{
    private readonly byte[] _name = new byte[DnsConstants.MaxNameLength];

    /// <summary>Where a UDP listener copies a datagram when the context is reused (grown for a larger one).</summary>
    private byte[]? _datagram;

    public QueryContext(ReadOnlyMemory<byte> query, IPEndPoint client, DnsTransport transport, CancellationToken cancellation)
    {
        Query = query;
        Client = client;
        Transport = transport;
        Cancellation = cancellation;
    }

    /// <summary>A context a listener fills with <see cref="Reset"/> for one query after another.</summary>
    internal QueryContext()
    {
        Client = null!;
    }

    /// <summary>
    /// Makes this a fresh context for <paramref name="datagram"/>, copied into the context's own buffer: the context
    /// then holds everything its query needs, and the listener can receive the next datagram into its buffer at once.
    /// A listener reuses a context only when its query has been answered.
    /// </summary>
    internal void Reset(ReadOnlySpan<byte> datagram, IPEndPoint client, DnsTransport transport, CancellationToken cancellation)
    {
        if (_datagram is null || _datagram.Length < datagram.Length)
        {
            _datagram = new byte[Math.Max(datagram.Length, DnsConstants.ClassicUdpPayloadSize)];
        }

        datagram.CopyTo(_datagram);
        Query = _datagram.AsMemory(0, datagram.Length);
        Client = client;
        Transport = transport;
        Cancellation = cancellation;
        Header = default;
        Question = default;
        HasEdns = false;
        DnssecOk = false;
        MaxUdpResponseSize = DnsConstants.ClassicUdpPayloadSize;
        ReceivedTimestamp = 0;
        Overloaded = false;
        AnsweredBy = null;
        BlockedBy = null;
    }

    /// <summary>
    /// A copy that owns its own octets, for work that outlives the query's answer (a prefetch): a listener reuses a
    /// context once its query is answered, so nothing may hold on to one past that.
    /// </summary>
    /// <param name="cancellation">What ends the copy's work.</param>
    public QueryContext CopyForBackground(CancellationToken cancellation)
    {
        var copy = new QueryContext(Query.ToArray(), Client, Transport, cancellation)
        {
            Header = Header,
            Question = Question,
            HasEdns = HasEdns,
            DnssecOk = DnssecOk,
            MaxUdpResponseSize = MaxUdpResponseSize,
            ReceivedTimestamp = ReceivedTimestamp,
        };
        QuestionName.CopyTo(copy._name);
        return copy;
    }

    /// <summary>The query exactly as the client sent it.</summary>
    public ReadOnlyMemory<byte> Query { get; private set; }

    public IPEndPoint Client { get; private set; }

    public DnsTransport Transport { get; private set; }

    /// <summary>Ends when the server shuts down or the client's connection goes.</summary>
    public CancellationToken Cancellation { get; private set; }

    /// <summary>The query's header (set by the listener).</summary>
    public DnsHeader Header { get; set; }

    /// <summary>The question (set by validation).</summary>
    public DnsQuestionInfo Question { get; set; }

    /// <summary>The question's name, uncompressed wire form, in the client's letter case (set by validation).</summary>
    public ReadOnlySpan<byte> QuestionName => _name.AsSpan(0, Question.NameLength);

    /// <summary>Where validation decompresses the question's name into.</summary>
    internal Span<byte> NameBuffer => _name;

    /// <summary>True when the query had an OPT record; the response then gets one too (RFC 6891 s7).</summary>
    public bool HasEdns { get; set; }

    /// <summary>The DO bit of the query's OPT record (RFC 3225).</summary>
    public bool DnssecOk { get; set; }

    /// <summary>The largest UDP response the client takes: 512 without EDNS (RFC 1035 s4.2.1), else its EDNS payload size
    /// capped at the size we advertise (1232), so that answers are not fragmented.</summary>
    public int MaxUdpResponseSize { get; set; } = DnsConstants.ClassicUdpPayloadSize;

    /// <summary>
    /// Set by a listener that is at its limit of queries in flight: the query is still answered from the blocklists
    /// and the cache, but not asked upstream (it is dropped there, and the client retries), so that what waits on the
    /// upstreams, and the memory it holds, stays bounded while cached names keep being answered.
    /// </summary>
    internal bool Overloaded { get; set; }

    /// <summary>The upstream whose answer this query got (set by forwarding), for the observers.</summary>
    public Transport.Upstreams.Upstream? AnsweredBy { get; set; }

    /// <summary>The blocklist set that blocked this query (set by blocking), for the observers.</summary>
    public Blocklists.BlocklistSet? BlockedBy { get; set; }

    /// <summary>How long the query has been in the server, measured by the listener.</summary>
    public long ReceivedTimestamp { get; internal set; }
}
