namespace Palisade.Protocol;

/// <summary>The canonical name an alias points to (RFC 1035 s3.3.1).</summary>
public sealed class CnameRecordData(DnsName target) : SingleNameRecordData(target)
{
    public override DnsRecordType Type => DnsRecordType.CNAME;

    private protected override bool MayCompress => true;
}
