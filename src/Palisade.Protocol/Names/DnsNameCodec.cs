namespace Palisade.Protocol;

/// <summary>
/// Decompresses names from a message into their uncompressed wire form, with every bound the RFCs set.
/// Allocation free: the caller gives the destination (or none, to validate and measure only).
/// </summary>
internal static class DnsNameCodec
{
    /// <summary>
    /// Reads the name starting at <paramref name="offset"/>. Direct octets of the name must lie before
    /// <paramref name="end"/> (the end of the record data being read); octets reached through a pointer may lie
    /// anywhere before that pointer.
    /// </summary>
    /// <param name="message">The whole message: pointers are offsets from its start.</param>
    /// <param name="offset">Where the name starts.</param>
    /// <param name="end">Where the field that holds the name ends.</param>
    /// <param name="destination">Receives the uncompressed wire form; may be empty to skip copying.</param>
    /// <param name="wireLength">The uncompressed length, root octet included.</param>
    /// <param name="next">The offset just after the name as it sits in the message.</param>
    /// <param name="errorOffset">Where the problem was, when the result is not <see cref="DnsReadError.None"/>.</param>
    public static DnsReadError TryDecode(
        ReadOnlySpan<byte> message,
        int offset,
        int end,
        Span<byte> destination,
        out int wireLength,
        out int next,
        out int errorOffset)
    {
        bool copy = !destination.IsEmpty;
        int position = offset;
        int segmentStart = offset;
        int limit = end;
        int length = 0;
        int hops = 0;
        next = -1;
        wireLength = 0;

        while (true)
        {
            if (position >= limit)
            {
                errorOffset = position;
                return DnsReadError.Truncated;
            }

            byte b = message[position];
            switch (b & 0xC0)
            {
                case 0xC0:
                    {
                        if (position + 1 >= limit)
                        {
                            errorOffset = position;
                            return DnsReadError.Truncated;
                        }

                        int target = ((b & 0x3F) << 8) | message[position + 1];

                        // RFC 1035 s4.1.4: a pointer refers to a prior occurrence. Requiring each target to lie before
                        // the start of the run of labels that led to it makes loops impossible.
                        if (target >= segmentStart || target < DnsConstants.HeaderSize)
                        {
                            errorOffset = position;
                            return DnsReadError.BadPointer;
                        }

                        if (++hops > DnsConstants.MaxPointerHops)
                        {
                            errorOffset = position;
                            return DnsReadError.PointerChainTooLong;
                        }

                        if (next < 0)
                        {
                            next = position + 2;
                        }

                        position = target;
                        segmentStart = target;
                        limit = message.Length;
                        continue;
                    }

                case 0x00:
                    break;

                default:
                    errorOffset = position;
                    return DnsReadError.BadLabel;
            }

            if (b == 0)
            {
                length++;
                if (length > DnsConstants.MaxNameLength)
                {
                    errorOffset = position;
                    return DnsReadError.NameTooLong;
                }

                if (copy)
                {
                    destination[length - 1] = 0;
                }

                if (next < 0)
                {
                    next = position + 1;
                }

                wireLength = length;
                errorOffset = -1;
                return DnsReadError.None;
            }

            // The label, and at least the root octet after it, must fit in 255.
            if (length + 1 + b + 1 > DnsConstants.MaxNameLength)
            {
                errorOffset = position;
                return DnsReadError.NameTooLong;
            }

            if (position + 1 + b > limit)
            {
                errorOffset = position;
                return DnsReadError.Truncated;
            }

            if (copy)
            {
                message.Slice(position, 1 + b).CopyTo(destination[length..]);
            }

            length += 1 + b;
            position += 1 + b;
        }
    }

    /// <summary>Counts the labels of a validated uncompressed name, the root not counted.</summary>
    public static int CountLabels(ReadOnlySpan<byte> wire)
    {
        int count = 0;
        int position = 0;
        while (wire[position] != 0)
        {
            count++;
            position += wire[position] + 1;
        }

        return count;
    }
}
