namespace Palisade.Protocol;

/// <summary>The EDNS facts of a message read straight from its OPT record's octets (RFC 6891 s6.1.3).</summary>
/// <param name="RecordOffset">Where the OPT record starts.</param>
/// <param name="UdpPayloadSize">The sender's UDP payload size as sent (see <see cref="EffectiveUdpPayloadSize"/>).</param>
/// <param name="ExtendedResponseCode">The RCODE's high eight bits.</param>
/// <param name="Version">The EDNS version.</param>
/// <param name="Flags">The EDNS flags; DO is the top bit.</param>
/// <param name="DataOffset">Where the options start.</param>
/// <param name="DataLength">Octets of options.</param>
public readonly record struct DnsOptInfo(
    int RecordOffset, ushort UdpPayloadSize, byte ExtendedResponseCode, byte Version, ushort Flags, int DataOffset, int DataLength)
{
    public bool DnssecOk => (Flags & 0x8000) != 0;

    /// <summary>The payload size to honour: values under 512 count as 512 (RFC 6891 s6.2.3).</summary>
    public int EffectiveUdpPayloadSize => Math.Max((int)UdpPayloadSize, DnsConstants.ClassicUdpPayloadSize);
}
