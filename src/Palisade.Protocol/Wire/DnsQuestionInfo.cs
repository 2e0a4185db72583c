namespace Palisade.Protocol;

/// <summary>
/// What the allocation-free question read returns: where the question's name sits in the message, its decompressed
/// length (the octets themselves went to the caller's buffer), type and class.
/// </summary>
public readonly record struct DnsQuestionInfo(int NameOffset, int NameLength, DnsRecordType Type, DnsClass Class);
