namespace Palisade.Protocol;

/// <summary>
/// Builds responses to queries: echoing the ID, opcode, question, RD and CD (RFC 1035 s4.1.1, RFC 6840 s5.9), with
/// RA set, and an OPT record of our own when the query had one (RFC 6891 s7), its DO bit copied (RFC 3225 s3).
/// </summary>
public static class DnsResponseFactory
{
    /// <summary>A response to <paramref name="query"/> with <paramref name="code"/> and no records yet; add answers to it.</summary>
    public static DnsMessage CreateResponse(DnsMessage query, DnsResponseCode code = DnsResponseCode.NoError)
    {
        ArgumentNullException.ThrowIfNull(query);
        var response = new DnsMessage { Header = ResponseHeader(query.Header) };
        response.Questions.AddRange(query.Questions);
        if (query.Edns is not null)
        {
            response.Edns = new DnsEdns { DnssecOk = query.Edns.DnssecOk };
        }

        response.ResponseCode = code;
        return response;
    }

    /// <summary>A NOERROR response to <paramref name="query"/> holding <paramref name="answers"/>.</summary>
    public static DnsMessage CreateResponse(DnsMessage query, IEnumerable<DnsResourceRecord> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var response = CreateResponse(query);
        response.Answers.AddRange(answers);
        return response;
    }

    /// <summary>
    /// Writes a response with no records straight from the query's octets (for FORMERR, SERVFAIL, REFUSED, NOTIMP and
    /// NXDOMAIN without an SOA). The question is echoed when the query has exactly one that can be read; the OPT
    /// record when it has one. With <paramref name="extendedError"/> and EDNS, an Extended DNS Error is added.
    /// </summary>
    /// <returns>false when the query has no readable header or the response does not fit <paramref name="destination"/>.</returns>
    public static bool TryWriteResponse(
        ReadOnlySpan<byte> query,
        DnsResponseCode code,
        Span<byte> destination,
        out int written,
        ExtendedDnsErrorCode? extendedError = null)
    {
        written = 0;
        if (!DnsHeader.TryRead(query, out var queryHeader))
        {
            return false;
        }

        var header = ResponseHeader(queryHeader);
        header.ResponseCodeLow = (byte)((ushort)code & 0xF);

        int questionEnd = DnsConstants.HeaderSize;
        if (queryHeader.QuestionCount == 1 &&
            DnsNameCodec.TryDecode(query, DnsConstants.HeaderSize, query.Length, default, out _, out int next, out _) == DnsReadError.None &&
            query.Length - next >= 4)
        {
            questionEnd = next + 4;
            header.QuestionCount = 1;
        }

        bool hasOpt = DnsMessageInspector.TryGetOpt(query, out var opt);
        if ((ushort)code > 0xF && !hasOpt)
        {
            throw new ArgumentException($"RCODE {(ushort)code} needs EDNS, and the query has none.", nameof(code));
        }

        var writer = new DnsMessageWriter(destination);
        writer.WriteHeader(header);

        // The question is copied as octets. A pointer in it would point into the query, so only uncompressed names
        // are echoed this way; TryDecode above already refused pointers that reach before offset 12.
        writer.WriteBytes(query[DnsConstants.HeaderSize..questionEnd]);
        int length = writer.Position;
        if (writer.HasOverflowed ||
            (hasOpt && !DnsOptEditor.TryAppendOpt(destination, ref length, DnsConstants.AdvertisedUdpPayloadSize, opt.DnssecOk, code, extendedError)))
        {
            return false;
        }

        written = length;
        return true;
    }

    /// <summary>The header of a response to a query with header <paramref name="query"/>: its ID, opcode, RD and CD, with QR and RA set.</summary>
    public static DnsHeader ResponseHeader(DnsHeader query)
    {
        var header = new DnsHeader
        {
            Id = query.Id,
            IsResponse = true,
            Opcode = query.Opcode,
            RecursionDesired = query.RecursionDesired,
            CheckingDisabled = query.CheckingDisabled,
            RecursionAvailable = true,
        };
        return header;
    }
}
