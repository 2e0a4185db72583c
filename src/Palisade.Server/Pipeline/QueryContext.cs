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

    public QueryContext(ReadOnlyMemory<byte> query, IPEndPoint client, DnsTransport transport, CancellationToken cancellation)
    {
        Query = query;
        Client = client;
        Transport = transport;
        Cancellation = cancellation;
    }

    /// <summary>The query exactly as the client sent it.</summary>
    public ReadOnlyMemory<byte> Query { get; }

    public IPEndPoint Client { get; }

    public DnsTransport Transport { get; }

    /// <summary>Ends when the server shuts down or the client's connection goes.</summary>
    public CancellationToken Cancellation { get; }

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

    /// <summary>How long the query has been in the server, measured by the listener.</summary>
    public long ReceivedTimestamp { get; init; }
}
