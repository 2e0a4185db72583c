using Palisade.Protocol;

namespace Palisade.Fuzz.Targets;

/// <summary>
/// The wire-format reader on arbitrary octets: <see cref="DnsMessage.Parse"/> may throw only
/// <see cref="DnsProtocolException"/> (with an offset inside the input), a message it reads must write and read back,
/// and the hot-path helpers (walker, inspector, OPT editor, patcher, response factory) must say false, never throw.
/// </summary>
public static class WireTarget
{
    private static readonly DnsResponseCode[] Codes =
    [
        DnsResponseCode.FormatError, DnsResponseCode.ServerFailure, DnsResponseCode.NameError, DnsResponseCode.Refused, DnsResponseCode.NotImplemented,
    ];

    /// <summary>A well-formed query for <c>example.com. A</c>, to copy the question's case to and from.</summary>
    private static readonly byte[] SampleQuery = Convert.FromHexString("123401000001000000000000076578616d706c6503636f6d0000010001");

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length > DnsConstants.MaxMessageSize)
        {
            return;
        }

        byte[] message = input.ToArray();
        var parsed = Parse(message);
        if (parsed is not null)
        {
            RoundTrip(parsed, message);
        }

        Walk(message);
        Inspect(message);
        EditOpt(message);
        Patch(message);
        foreach (var code in Codes)
        {
            WriteResponse(message, code, code == DnsResponseCode.ServerFailure ? ExtendedDnsErrorCode.NetworkError : null);
        }

        // RCODEs above 15 live partly in the OPT record: the factory takes them only for a query that has one.
        if (DnsMessageInspector.TryGetOpt(message, out _))
        {
            WriteResponse(message, DnsResponseCode.BadVersion, ExtendedDnsErrorCode.Other);
        }
    }

    private static DnsMessage? Parse(byte[] message)
    {
        try
        {
            return DnsMessage.Parse(message);
        }
        catch (DnsProtocolException exception)
        {
            if (exception.Error == DnsReadError.None || exception.Offset < 0 || exception.Offset > message.Length)
            {
                throw new FuzzInvariantException($"DnsProtocolException with error {exception.Error} at offset {exception.Offset} of {message.Length}", exception);
            }

            return null;
        }
    }

    /// <summary>A message that was read writes, reads back, and prints.</summary>
    private static void RoundTrip(DnsMessage parsed, byte[] original)
    {
        _ = parsed.ToString();
        byte[] written = parsed.ToArray();
        DnsMessage reread;
        try
        {
            reread = DnsMessage.Parse(written);
        }
        catch (DnsProtocolException exception)
        {
            throw new FuzzInvariantException($"read {Convert.ToHexString(original)}, wrote {Convert.ToHexString(written)}, which does not read back", exception);
        }

        if (reread.Header != parsed.Header with { AdditionalCount = reread.Header.AdditionalCount } ||
            reread.Questions.Count != parsed.Questions.Count || reread.Answers.Count != parsed.Answers.Count ||
            reread.Authorities.Count != parsed.Authorities.Count || reread.Additionals.Count != parsed.Additionals.Count ||
            (reread.Edns is null) != (parsed.Edns is null))
        {
            throw new FuzzInvariantException($"read {Convert.ToHexString(original)}, wrote {Convert.ToHexString(written)}, which reads back as another message");
        }
    }

    private static void Walk(byte[] message)
    {
        var walker = new DnsRecordWalker(message);
        while (walker.TryNext(out var slot))
        {
            if (slot.NameOffset < DnsConstants.HeaderSize || slot.TtlOffset + 6 != slot.DataOffset ||
                slot.DataLength < 0 || slot.DataOffset + slot.DataLength > message.Length)
            {
                throw new FuzzInvariantException($"walker slot {slot} outside a message of {message.Length} octets");
            }
        }

        if (walker.TryNext(out _))
        {
            throw new FuzzInvariantException("the walker went on after it stopped");
        }
    }

    private static void Inspect(byte[] message)
    {
        Span<ushort> offsets = stackalloc ushort[256];
        if (DnsMessageInspector.TryFindTtlOffsets(message, offsets, out int count))
        {
            byte[] copy = (byte[])message.Clone();
            DnsMessagePatcher.SubtractFromTtls(copy, offsets[..count], 100);
            DnsMessagePatcher.SetTtls(copy, offsets[..count], 30);
        }

        DnsMessageInspector.TryGetMinimumAnswerTtl(message, out _);
        DnsMessageInspector.TryGetNegativeTtl(message, out _);
        if (DnsMessageInspector.TryGetOpt(message, out var opt) &&
            (opt.DataOffset < 0 || opt.DataOffset + opt.DataLength > message.Length))
        {
            throw new FuzzInvariantException($"OPT data at {opt.DataOffset}+{opt.DataLength} outside a message of {message.Length} octets");
        }
    }

    private static void EditOpt(byte[] message)
    {
        byte[] copy = new byte[message.Length + DnsOptEditor.EmptyOptLength + 6];
        message.CopyTo(copy, 0);
        int length = message.Length;
        if (DnsOptEditor.TryRemoveOpt(copy, ref length) && (length < 0 || length > message.Length))
        {
            throw new FuzzInvariantException($"TryRemoveOpt gave length {length} for a message of {message.Length}");
        }

        DnsOptEditor.TryAppendOpt(copy, ref length, DnsConstants.AdvertisedUdpPayloadSize, dnssecOk: true, DnsResponseCode.BadVersion, ExtendedDnsErrorCode.Blocked);

        // Padding (RFC 7830) as the encrypted listeners add it: in place, to a multiple of the block.
        byte[] padded = new byte[message.Length + 4 + 468];
        message.CopyTo(padded, 0);
        length = message.Length;
        if (DnsOptEditor.TryPad(padded, ref length, 468) && (length % 468 != 0 || length < message.Length))
        {
            throw new FuzzInvariantException($"TryPad gave length {length} for a message of {message.Length}");
        }

        message.CopyTo(copy, 0);
        length = message.Length;
        if (DnsOptEditor.TryTruncate(copy, ref length) && (length < DnsConstants.HeaderSize || length > message.Length))
        {
            throw new FuzzInvariantException($"TryTruncate gave length {length} for a message of {message.Length}");
        }
    }

    private static void Patch(byte[] message)
    {
        byte[] target = (byte[])message.Clone();
        DnsMessagePatcher.TryCopyQuestionCase(target, message);
        DnsMessagePatcher.TryCopyQuestionCase(target, SampleQuery);
        DnsMessagePatcher.TryCopyQuestionCase((byte[])SampleQuery.Clone(), message);
        if (target.Length >= 2)
        {
            DnsMessagePatcher.SetId(target, 7);
        }
    }

    /// <summary>The error response the factory writes from any query is itself a well-formed message.</summary>
    private static void WriteResponse(byte[] query, DnsResponseCode code, ExtendedDnsErrorCode? extendedError)
    {
        Span<byte> small = stackalloc byte[DnsConstants.HeaderSize + 3];
        DnsResponseFactory.TryWriteResponse(query, code, small, out _, extendedError);

        byte[] destination = new byte[DnsConstants.ClassicUdpPayloadSize];
        if (!DnsResponseFactory.TryWriteResponse(query, code, destination, out int written, extendedError))
        {
            if (query.Length >= DnsConstants.HeaderSize)
            {
                throw new FuzzInvariantException($"no {code} response to {Convert.ToHexString(query)}");
            }

            return;
        }

        DnsMessage response;
        try
        {
            response = DnsMessage.Parse(destination.AsSpan(0, written));
        }
        catch (DnsProtocolException exception)
        {
            throw new FuzzInvariantException($"the {code} response to {Convert.ToHexString(query)} does not parse", exception);
        }

        if (!response.Header.IsResponse || response.Questions.Count > 1)
        {
            throw new FuzzInvariantException($"the {code} response to {Convert.ToHexString(query)} is not a response with at most one question");
        }
    }
}
