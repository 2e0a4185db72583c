using System.Buffers.Binary;
using System.Diagnostics;
using Palisade.Protocol;

namespace Palisade.Server.Handlers.Forwarding;

/// <summary>
/// Decides, record by record, what <see cref="AnswerScrubber"/> keeps (the rules are on <see cref="AnswerScrubber"/>).
/// Whether a record is glue or lies below a kept zone depends on other records; <see cref="Collect"/> gathers those
/// once, in one walk, so that <see cref="Keep"/> then costs a few name comparisons and one hash lookup whatever the size
/// of the message, where asking the message again for each record made the scrubbing of a large answer quadratic.
/// </summary>
internal ref struct ScrubRules
{
    private readonly ReadOnlySpan<byte> _response;
    private readonly WireNameSet _chain;
    private WireNameSet _zones;
    private readonly GlueTargets _glue;

    /// <param name="response">The upstream answer.</param>
    /// <param name="chain">The question's name and the names its CNAME chain reaches, in lower case.</param>
    /// <param name="zones">Empty, with room for as many names as <paramref name="chain"/> holds: enough (see <see cref="Collect"/>).</param>
    /// <param name="glue">Empty, sized for the answer and authority records.</param>
    public ScrubRules(ReadOnlySpan<byte> response, WireNameSet chain, WireNameSet zones, GlueTargets glue)
    {
        _response = response;
        _chain = chain;
        _zones = zones;
        _glue = glue;
    }

    /// <summary>
    /// Walks the answer and authority sections once and remembers the owners of the kept authority SOA and NS records
    /// (the zones whose DNSSEC proofs are kept) and the names the kept NS, MX and SRV records point to (whose addresses
    /// are glue).
    /// </summary>
    public void Collect()
    {
        Span<byte> owner = stackalloc byte[DnsConstants.MaxNameLength];
        Span<byte> target = stackalloc byte[DnsConstants.MaxNameLength];
        var walker = new DnsRecordWalker(_response);
        while (walker.TryNext(out var slot) && slot.Section != DnsRecordSlot.AdditionalSection)
        {
            int skip = slot.Type switch
            {
                DnsRecordType.NS => 0,
                DnsRecordType.MX => 2,
                DnsRecordType.SRV => 6,
                DnsRecordType.SOA => -1,
                _ => -2,
            };
            if (skip == -2 ||
                !AnswerScrubber.TryReadLowerName(_response, slot.NameOffset, _response.Length, owner, out int ownerLength) ||
                !KeepOwned(slot, owner[..ownerLength]))
            {
                continue;
            }

            if (slot.Section == DnsRecordSlot.AuthoritySection && slot.Type is DnsRecordType.SOA or DnsRecordType.NS)
            {
                // Each kept zone is an ancestor of a name of the chain, and the set keeps only the topmost: it never
                // holds more zones than the chain has names, which is its room.
                bool added = _zones.TryAddZone(owner[..ownerLength]);
                Debug.Assert(added, "The zone set has room for one zone per name of the chain.");
            }

            int end = slot.DataOffset + slot.DataLength;
            if (skip >= 0 && slot.DataLength > skip &&
                AnswerScrubber.TryReadLowerName(_response, slot.DataOffset + skip, end, target, out int targetLength))
            {
                _glue.Add(target[..targetLength], slot.DataOffset + skip, end);
            }
        }
    }

    /// <summary>Whether the record at <paramref name="slot"/> stays in the answer; <see cref="Collect"/> first.</summary>
    public readonly bool Keep(DnsRecordSlot slot)
    {
        if (slot.Type == DnsRecordType.OPT && slot.Section == DnsRecordSlot.AdditionalSection)
        {
            return true;
        }

        Span<byte> owner = stackalloc byte[DnsConstants.MaxNameLength];
        return AnswerScrubber.TryReadLowerName(_response, slot.NameOffset, _response.Length, owner, out int length) &&
            KeepOwned(slot, owner[..length]);
    }

    private readonly bool KeepOwned(DnsRecordSlot slot, ReadOnlySpan<byte> owner)
    {
        switch (slot.Section)
        {
            case DnsRecordSlot.AnswerSection:
                if (_chain.Contains(owner))
                {
                    return true;
                }

                // A DNAME (or its signature) above a name of the chain: what the chain's synthesized CNAME comes from.
                bool dname = slot.Type == DnsRecordType.DNAME ||
                    (slot.Type == DnsRecordType.RRSIG && slot.DataLength >= 2 &&
                     (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(_response[slot.DataOffset..]) == DnsRecordType.DNAME);
                return dname && _chain.AnyIsAtOrBelow(owner);

            case DnsRecordSlot.AuthoritySection:
                if (slot.Type is DnsRecordType.SOA or DnsRecordType.NS)
                {
                    return _chain.AnyIsAtOrBelow(owner);
                }

                return slot.Type is DnsRecordType.NSEC or DnsRecordType.NSEC3 or DnsRecordType.RRSIG && _zones.IsAtOrBelowAny(owner);

            default:
                return _glue.Contains(owner);
        }
    }
}
