namespace Palisade.Protocol;

/// <summary>A pointer to another name, as in reverse lookups (RFC 1035 s3.3.12).</summary>
public sealed class PtrRecordData(DnsName target) : SingleNameRecordData(target)
{
    public override DnsRecordType Type => DnsRecordType.PTR;

    private protected override bool MayCompress => true;
}
