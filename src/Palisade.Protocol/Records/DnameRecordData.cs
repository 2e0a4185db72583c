namespace Palisade.Protocol;

/// <summary>A redirection of a whole subtree (RFC 6672). Its target is never compressed (RFC 6672 s2.5).</summary>
public sealed class DnameRecordData(DnsName target) : SingleNameRecordData(target)
{
    public override DnsRecordType Type => DnsRecordType.DNAME;

    private protected override bool MayCompress => false;
}
