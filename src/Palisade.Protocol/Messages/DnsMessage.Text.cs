using System.Text;

namespace Palisade.Protocol;

/// <summary>The message in dig's presentation format, for logs and the command line.</summary>
public sealed partial class DnsMessage
{
    public override string ToString()
    {
        var builder = new StringBuilder();
        var header = Header;
        builder.Append(";; ->>HEADER<<- opcode: ").Append(DnsPresentation.FormatOpcode(header.Opcode))
            .Append(", status: ").Append(DnsPresentation.FormatResponseCode(ResponseCode))
            .Append(", id: ").Append(header.Id).Append('\n');
        builder.Append(";; flags:");
        AppendFlag(builder, header.IsResponse, "qr");
        AppendFlag(builder, header.AuthoritativeAnswer, "aa");
        AppendFlag(builder, header.Truncated, "tc");
        AppendFlag(builder, header.RecursionDesired, "rd");
        AppendFlag(builder, header.RecursionAvailable, "ra");
        AppendFlag(builder, header.Reserved, "z");
        AppendFlag(builder, header.AuthenticData, "ad");
        AppendFlag(builder, header.CheckingDisabled, "cd");
        builder.Append("; QUERY: ").Append(Questions.Count)
            .Append(", ANSWER: ").Append(Answers.Count)
            .Append(", AUTHORITY: ").Append(Authorities.Count)
            .Append(", ADDITIONAL: ").Append(Additionals.Count + (Edns is null ? 0 : 1)).Append('\n');

        if (Edns is not null)
        {
            builder.Append("\n;; OPT PSEUDOSECTION:\n; EDNS: version: ").Append(Edns.Version).Append(", flags:");
            AppendFlag(builder, Edns.DnssecOk, "do");
            builder.Append("; udp: ").Append(Edns.UdpPayloadSize).Append('\n');
            foreach (var option in Edns.Options)
            {
                builder.Append("; ").Append(option).Append('\n');
            }
        }

        builder.Append("\n;; QUESTION SECTION:\n");
        foreach (var question in Questions)
        {
            builder.Append(';').Append(question).Append('\n');
        }

        AppendSection(builder, "ANSWER", Answers);
        AppendSection(builder, "AUTHORITY", Authorities);
        AppendSection(builder, "ADDITIONAL", Additionals);
        return builder.ToString();
    }

    private static void AppendFlag(StringBuilder builder, bool set, string name)
    {
        if (set)
        {
            builder.Append(' ').Append(name);
        }
    }

    private static void AppendSection(StringBuilder builder, string title, List<DnsResourceRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        builder.Append("\n;; ").Append(title).Append(" SECTION:\n");
        foreach (var record in records)
        {
            builder.Append(record).Append('\n');
        }
    }
}
