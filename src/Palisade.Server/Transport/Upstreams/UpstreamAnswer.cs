namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// An upstream's answer as the resolver gives it: the message, exact-size (shared by every identical query in flight:
/// do not write to it), and the upstream that gave it, for the observers.
/// </summary>
public sealed class UpstreamAnswer(byte[] message, Upstream upstream)
{
    public byte[] Message { get; } = message;

    public Upstream Upstream { get; } = upstream;
}
