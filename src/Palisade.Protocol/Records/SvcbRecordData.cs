using System.Text;

namespace Palisade.Protocol;

/// <summary>
/// SVCB and HTTPS records (RFC 9460): a priority (0 is the alias form), a target name (never compressed, s2.2)
/// and service parameters in strictly increasing key order.
/// </summary>
public sealed class SvcbRecordData : DnsRecordData
{
    private readonly SvcParam[] _parameters;

    public SvcbRecordData(DnsRecordType type, ushort priority, DnsName target, IEnumerable<SvcParam> parameters)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(parameters);
        if (type is not (DnsRecordType.SVCB or DnsRecordType.HTTPS))
        {
            throw new ArgumentException("SvcbRecordData is for SVCB and HTTPS records.", nameof(type));
        }

        _parameters = [.. parameters];
        for (int i = 1; i < _parameters.Length; i++)
        {
            if (_parameters[i].Key <= _parameters[i - 1].Key)
            {
                throw new ArgumentException("SvcParams must be in strictly increasing key order (RFC 9460 s2.2).", nameof(parameters));
            }
        }

        Type = type;
        Priority = priority;
        Target = target;
    }

    public override DnsRecordType Type { get; }

    /// <summary>0 for the alias form; otherwise the service form's priority, lower first.</summary>
    public ushort Priority { get; }

    public DnsName Target { get; }

    public IReadOnlyList<SvcParam> Parameters => _parameters;

    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(Priority).Append(' ');
        Target.AppendTo(builder);
        foreach (var parameter in _parameters)
        {
            builder.Append(' ').Append(parameter);
        }

        return builder.ToString();
    }

    internal static SvcbRecordData Read(ref DnsMessageReader reader, DnsRecordType type)
    {
        ushort priority = reader.ReadUInt16();
        var target = reader.ReadName();
        var parameters = new List<SvcParam>();
        int previousKey = -1;
        while (reader.Remaining > 0)
        {
            int offset = reader.Position;
            ushort key = reader.ReadUInt16();
            int length = reader.ReadUInt16();
            var value = reader.ReadBytes(length);
            if (key <= previousKey)
            {
                ThrowHelper.ThrowRead(DnsReadError.BadRecordData, offset, "SvcParam keys must strictly increase (RFC 9460 s2.2)");
            }

            string? problem = SvcParam.Validate((SvcParamKey)key, value);
            if (problem is not null)
            {
                ThrowHelper.ThrowRead(DnsReadError.BadRecordData, offset, problem);
            }

            previousKey = key;
            parameters.Add(new SvcParam((SvcParamKey)key, value));
        }

        return new SvcbRecordData(type, priority, target, parameters);
    }

    internal override void WriteTo(ref DnsMessageWriter writer)
    {
        writer.WriteUInt16(Priority);
        writer.WriteName(Target, compress: false);
        foreach (var parameter in _parameters)
        {
            writer.WriteUInt16((ushort)parameter.Key);
            writer.WriteUInt16((ushort)parameter.Value.Length);
            writer.WriteBytes(parameter.Value);
        }
    }
}
