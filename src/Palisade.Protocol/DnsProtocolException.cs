namespace Palisade.Protocol;

/// <summary>
/// The one exception the wire-format code throws for malformed input. It says what was wrong
/// (<see cref="Error"/>) and where (<see cref="Offset"/>, in octets from the start of the message).
/// </summary>
public sealed class DnsProtocolException : FormatException
{
    public DnsProtocolException()
        : this(DnsReadError.None, -1, "Malformed DNS data.")
    {
    }

    public DnsProtocolException(string message)
        : this(DnsReadError.None, -1, message)
    {
    }

    public DnsProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Offset = -1;
    }

    public DnsProtocolException(DnsReadError error, int offset, string message)
        : base(offset >= 0 ? $"{message} (at offset {offset})" : message)
    {
        Error = error;
        Offset = offset;
    }

    /// <summary>What was wrong.</summary>
    public DnsReadError Error { get; }

    /// <summary>The offset in the message where the problem was found, or -1 where no offset applies.</summary>
    public int Offset { get; }
}
