namespace Palisade.Protocol;

/// <summary>One entry of the question section (RFC 1035 s4.1.2).</summary>
public sealed record DnsQuestion(DnsName Name, DnsRecordType Type, DnsClass Class = DnsClass.IN)
{
    /// <summary>As dig prints it: <c>example.com.  IN  A</c>.</summary>
    public override string ToString() =>
        $"{Name}\t{DnsPresentation.FormatClass(Class)}\t{DnsPresentation.FormatType(Type)}";
}
