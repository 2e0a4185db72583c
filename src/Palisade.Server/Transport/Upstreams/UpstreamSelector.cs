using Palisade.Server.Configuration;

namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// The policy half of forwarding (kept apart from the connections, as CoreDNS keeps policy apart from its proxy):
/// in which order the upstreams are tried for one query. Upstreams that are down come last, so that a query still has
/// somewhere to go when every upstream is down.
/// </summary>
public sealed class UpstreamSelector(IReadOnlyList<Upstream> upstreams, UpstreamStrategy strategy)
{
    private int _next = -1;

    public UpstreamStrategy Strategy => strategy;

    /// <summary>The order for the next query. For <see cref="UpstreamStrategy.Parallel"/> the order does not matter: all are raced.</summary>
    public Upstream[] Order()
    {
        var ordered = new Upstream[upstreams.Count];
        switch (strategy)
        {
            case UpstreamStrategy.RoundRobin:
                int start = (int)((uint)Interlocked.Increment(ref _next) % (uint)upstreams.Count);
                for (int i = 0; i < ordered.Length; i++)
                {
                    ordered[i] = upstreams[(start + i) % upstreams.Count];
                }

                break;
            case UpstreamStrategy.Fastest:
                // Unmeasured upstreams (RTT 0) sort first, so that each is measured once; ties keep the configured order.
                ordered = [.. upstreams.OrderBy(u => u.Health.SmoothedRttMs)];
                break;
            default:
                for (int i = 0; i < ordered.Length; i++)
                {
                    ordered[i] = upstreams[i];
                }

                break;
        }

        // Stable partition: up before down.
        return [.. ordered.Where(u => !u.Health.IsDown), .. ordered.Where(u => u.Health.IsDown)];
    }
}
