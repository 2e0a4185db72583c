namespace Palisade.Protocol;

/// <summary>Record data that is one domain name: CNAME, NS, PTR and DNAME.</summary>
public abstract class SingleNameRecordData : DnsRecordData
{
    private protected SingleNameRecordData(DnsName target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
    }

    /// <summary>The name the record holds.</summary>
    public DnsName Target { get; }

    /// <summary>RFC 3597 s4: only the types of RFC 1035 may have their RDATA names compressed.</summary>
    private protected abstract bool MayCompress { get; }

    public override string ToString() => Target.ToString();

    internal override void WriteTo(ref DnsMessageWriter writer) => writer.WriteName(Target, MayCompress);
}
