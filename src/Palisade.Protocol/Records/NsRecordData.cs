namespace Palisade.Protocol;

/// <summary>An authoritative name server (RFC 1035 s3.3.11).</summary>
public sealed class NsRecordData(DnsName target) : SingleNameRecordData(target)
{
    public override DnsRecordType Type => DnsRecordType.NS;

    private protected override bool MayCompress => true;
}
