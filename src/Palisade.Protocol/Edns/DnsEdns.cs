namespace Palisade.Protocol;

/// <summary>
/// The EDNS(0) facts of a message (RFC 6891 s6.1.3), gathered from its OPT pseudo-record: the sender's UDP payload
/// size, the high bits of the RCODE, the version, the flags (DO among them) and the options.
/// </summary>
public sealed class DnsEdns
{
    private const ushort DoBit = 0x8000;

    /// <summary>The largest UDP payload the sender can take; values under 512 are treated as 512 (RFC 6891 s6.2.3). Default 1232.</summary>
    public ushort UdpPayloadSize { get; set; } = DnsConstants.AdvertisedUdpPayloadSize;

    /// <summary>The high eight bits of the twelve-bit RCODE.</summary>
    public byte ExtendedResponseCode { get; set; }

    /// <summary>The EDNS version; 0 is the only one defined.</summary>
    public byte Version { get; set; }

    /// <summary>The sixteen EDNS flag bits; the top one is DO.</summary>
    public ushort Flags { get; set; }

    /// <summary>DNSSEC OK (RFC 3225): the sender wants DNSSEC records.</summary>
    public bool DnssecOk
    {
        get => (Flags & DoBit) != 0;
        set => Flags = value ? (ushort)(Flags | DoBit) : (ushort)(Flags & ~DoBit);
    }

    public IList<EdnsOption> Options { get; } = [];

    /// <summary>The OPT record's TTL field: extended RCODE, version, flags (RFC 6891 s6.1.3).</summary>
    private uint TtlField => ((uint)ExtendedResponseCode << 24) | ((uint)Version << 16) | Flags;

    /// <summary>The first option of type <typeparamref name="T"/>, or null.</summary>
    public T? GetOption<T>()
        where T : EdnsOption => Options.OfType<T>().FirstOrDefault();

    /// <summary>The OPT pseudo-record that carries these facts.</summary>
    public DnsResourceRecord ToRecord()
    {
        return new DnsResourceRecord(DnsName.Root, (DnsClass)UdpPayloadSize, TtlField, new OptRecordData(Options));
    }

    /// <summary>Writes the OPT pseudo-record field by field, allocating nothing (the hot path of writing a response).</summary>
    internal void WriteTo(ref DnsMessageWriter writer)
    {
        writer.WriteByte(0);
        writer.WriteUInt16((ushort)DnsRecordType.OPT);
        writer.WriteUInt16(UdpPayloadSize);
        writer.WriteUInt32(TtlField);
        int lengthOffset = writer.Position;
        writer.WriteUInt16(0);
        OptRecordData.WriteOptions(ref writer, Options);
        if (!writer.HasOverflowed)
        {
            writer.PatchUInt16(lengthOffset, checked((ushort)(writer.Position - lengthOffset - 2)));
        }
    }

    /// <summary>Reads the facts from an OPT pseudo-record.</summary>
    public static DnsEdns FromRecord(DnsResourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Data is not OptRecordData data)
        {
            throw new ArgumentException("Not an OPT record.", nameof(record));
        }

        var edns = new DnsEdns
        {
            UdpPayloadSize = (ushort)record.Class,
            ExtendedResponseCode = (byte)(record.Ttl >> 24),
            Version = (byte)(record.Ttl >> 16),
            Flags = (ushort)record.Ttl,
        };
        foreach (var option in data.Options)
        {
            edns.Options.Add(option);
        }

        return edns;
    }
}
