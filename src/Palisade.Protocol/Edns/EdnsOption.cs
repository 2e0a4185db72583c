namespace Palisade.Protocol;

/// <summary>
/// One option of an OPT record (RFC 6891 s6.1.2). Padding, client subnet and extended errors are typed; every
/// other option is kept whole as <see cref="UnknownEdnsOption"/>.
/// </summary>
public abstract class EdnsOption : IEquatable<EdnsOption>
{
    private protected EdnsOption()
    {
    }

    public abstract EdnsOptionCode Code { get; }

    /// <summary>The option data in wire form (OPTION-CODE and OPTION-LENGTH not included).</summary>
    public byte[] GetData()
    {
        var data = new byte[DataLength];
        WriteData(data);
        return data;
    }

    /// <summary>Octets of option data.</summary>
    public abstract int DataLength { get; }

    /// <summary>The option as dig prints it in the OPT pseudosection.</summary>
    public abstract override string ToString();

    public bool Equals(EdnsOption? other) =>
        other is not null && Code == other.Code && GetData().AsSpan().SequenceEqual(other.GetData());

    public override bool Equals(object? obj) => Equals(obj as EdnsOption);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Code);
        hash.AddBytes(GetData());
        return hash.ToHashCode();
    }

    /// <summary>Writes exactly <see cref="DataLength"/> octets.</summary>
    internal abstract void WriteData(Span<byte> destination);

    /// <summary>Reads one option's data; <paramref name="offset"/> is where the option starts, for errors.</summary>
    internal static EdnsOption Read(EdnsOptionCode code, ReadOnlySpan<byte> data, int offset) => code switch
    {
        EdnsOptionCode.Padding => new PaddingOption(data.Length),
        EdnsOptionCode.ClientSubnet => ClientSubnetOption.Read(data, offset),
        EdnsOptionCode.ExtendedDnsError => ExtendedDnsErrorOption.Read(data, offset),
        _ => new UnknownEdnsOption(code, data),
    };
}
