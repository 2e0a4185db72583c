using System.Buffers;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>An upstream's answer, in a buffer rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
public readonly record struct UpstreamResponse(byte[] Buffer, int Length)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}
