using Palisade.Protocol;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>What is asked of an upstream: the question (name in uncompressed wire form) and the DO and CD bits.</summary>
public readonly record struct UpstreamQuestion(ReadOnlyMemory<byte> Name, DnsRecordType Type, DnsClass Class, bool DnssecOk, bool CheckingDisabled);
