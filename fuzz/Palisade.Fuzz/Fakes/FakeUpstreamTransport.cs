using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using Palisade.Protocol;
using Palisade.Server.Transport.Upstreams;

namespace Palisade.Fuzz.Fakes;

/// <summary>How the fake upstream answers.</summary>
public enum FakeUpstreamMode
{
    /// <summary>A well-formed answer: A or AAAA for those types, else a CNAME to a blocked name and its A record.</summary>
    Answer,

    /// <summary>The fuzzer's octets: header flags, counts and records after an echo of the question.</summary>
    Raw,

    /// <summary>SERVFAIL with the question echoed.</summary>
    ServerFailure,

    /// <summary>No answer at all: <see cref="UpstreamException"/>, as a transport says after a network error.</summary>
    Unreachable,
}

/// <summary>
/// An upstream in the process, no sockets: it answers the query it is given the way <see cref="Mode"/> says, always
/// with a response that <see cref="UpstreamQuery.Matches"/> the query (as a real transport returns only those).
/// </summary>
public sealed class FakeUpstreamTransport(FakeUpstreamMode mode, byte[] rawBody) : IUpstreamTransport
{
    private static readonly DnsName CnameTarget = DnsName.Parse("track1.example.");

    public FakeUpstreamMode Mode { get; set; } = mode;

    public int Calls { get; private set; }

    /// <summary>An answer was given that our own reader rejects (the pipeline may pass it on; a forwarder need not parse all).</summary>
    public bool GaveMalformedAnswer { get; private set; }

    public ValueTask<UpstreamResponse> ExchangeAsync(ReadOnlyMemory<byte> query, CancellationToken cancellation)
    {
        Calls++;
        cancellation.ThrowIfCancellationRequested();
        if (Mode == FakeUpstreamMode.Unreachable)
        {
            throw new UpstreamException("unreachable (fuzz fake)");
        }

        byte[] answer = Mode switch
        {
            FakeUpstreamMode.Raw => RawAnswer(query.Span, rawBody),
            FakeUpstreamMode.ServerFailure => EchoQuestion(query.Span, 0x8182, [], 0, 0, 0),
            _ => WellFormedAnswer(query.Span),
        };
        if (!UpstreamQuery.Matches(query.Span, answer))
        {
            throw new FuzzInvariantException($"the fake upstream's answer {Convert.ToHexString(answer)} does not match its query {Convert.ToHexString(query.Span)}");
        }

        try
        {
            DnsMessage.Parse(answer);
        }
        catch (DnsProtocolException)
        {
            GaveMalformedAnswer = true;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(answer.Length);
        answer.CopyTo(buffer, 0);
        return ValueTask.FromResult(new UpstreamResponse(buffer, answer.Length));
    }

    private static byte[] WellFormedAnswer(ReadOnlySpan<byte> query)
    {
        var request = DnsMessage.Parse(query);
        var question = request.Questions[0];
        var response = DnsResponseFactory.CreateResponse(request);
        response.Header = response.Header with { RecursionAvailable = true };
        if (question.Type == DnsRecordType.AAAA)
        {
            response.Answers.Add(new DnsResourceRecord(question.Name, 300, new AaaaRecordData(IPAddress.Parse("2001:db8::1"))));
        }
        else if (question.Type == DnsRecordType.A)
        {
            response.Answers.Add(new DnsResourceRecord(question.Name, 300, new ARecordData(IPAddress.Parse("192.0.2.1"))));
        }
        else
        {
            response.Answers.Add(new DnsResourceRecord(question.Name, 60, new CnameRecordData(CnameTarget)));
            response.Answers.Add(new DnsResourceRecord(CnameTarget, 60, new ARecordData(IPAddress.Parse("192.0.2.2"))));
        }

        return response.ToArray();
    }

    /// <summary>
    /// The query's ID and question, then the fuzzer's octets: two of header flags (QR forced on), three 16-bit counts
    /// (answer, authority, additional), and the records.
    /// </summary>
    private static byte[] RawAnswer(ReadOnlySpan<byte> query, byte[] body)
    {
        Span<byte> fixedPart = stackalloc byte[8];
        body.AsSpan(0, Math.Min(8, body.Length)).CopyTo(fixedPart);
        ushort flags = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(fixedPart) | 0x8000);
        return EchoQuestion(
            query,
            flags,
            body.AsSpan(Math.Min(8, body.Length)),
            BinaryPrimitives.ReadUInt16BigEndian(fixedPart[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(fixedPart[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(fixedPart[6..]));
    }

    private static byte[] EchoQuestion(ReadOnlySpan<byte> query, ushort flags, ReadOnlySpan<byte> records, ushort answers, ushort authorities, ushort additionals)
    {
        var reader = new DnsMessageReader(query) { Position = DnsConstants.HeaderSize };
        reader.SkipName();
        int questionEnd = reader.Position + 4;
        int length = Math.Min(questionEnd + records.Length, DnsConstants.MaxMessageSize);
        byte[] answer = new byte[length];
        query[..questionEnd].CopyTo(answer);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(6), answers);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(8), authorities);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(10), additionals);
        records[..(length - questionEnd)].CopyTo(answer.AsSpan(questionEnd));
        return answer;
    }
}
