namespace Palisade.Protocol;

/// <summary>
/// RCODE values (IANA "DNS RCODEs"). Values over 15 need EDNS: the low four bits live in the header, the
/// high eight in the OPT record's TTL field (RFC 6891 s6.1.3).
/// </summary>
public enum DnsResponseCode : ushort
{
    NoError = 0,
    FormatError = 1,
    ServerFailure = 2,
    NameError = 3,
    NotImplemented = 4,
    Refused = 5,
    YxDomain = 6,
    YxRRSet = 7,
    NxRRSet = 8,
    NotAuth = 9,
    NotZone = 10,
    DsoTypeNotImplemented = 11,
    BadVersion = 16,
    BadKey = 17,
    BadTime = 18,
    BadMode = 19,
    BadName = 20,
    BadAlgorithm = 21,
    BadTruncation = 22,
    BadCookie = 23,
}
