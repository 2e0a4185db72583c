namespace Palisade.Protocol;

/// <summary>Why a DNS message could not be read. Every way a message can be malformed has its own value.</summary>
public enum DnsReadError
{
    None = 0,

    /// <summary>The message ended in the middle of a field.</summary>
    Truncated,

    /// <summary>A label's length octet is over 63 (RFC 1035 s2.3.4) or uses the reserved 01/10 label types (RFC 6891 s5).</summary>
    BadLabel,

    /// <summary>The name is longer than 255 octets in wire form (RFC 1035 s2.3.4).</summary>
    NameTooLong,

    /// <summary>A compression pointer points forward, at itself, into the header or into a loop (RFC 1035 s4.1.4: pointers refer to a prior occurrence).</summary>
    BadPointer,

    /// <summary>More compression pointers were followed for one name than a 255-octet name can need.</summary>
    PointerChainTooLong,

    /// <summary>RDLENGTH runs past the end of the message, or the record data did not fill exactly RDLENGTH octets.</summary>
    BadRecordLength,

    /// <summary>The record data is the right length but its content is invalid for its type.</summary>
    BadRecordData,

    /// <summary>An EDNS option is malformed (RFC 6891 s6.1.2, RFC 7871 s6).</summary>
    BadEdnsOption,

    /// <summary>More than one OPT record, or an OPT record outside the additional section (RFC 6891 s6.1.1).</summary>
    BadOpt,

    /// <summary>Octets left over after the last record the header counts.</summary>
    TrailingData,
}
