using System.Net;

namespace Palisade.Server.Handlers.AccessControl;

/// <summary>The networks this machine is directly connected to, and word when they change.</summary>
public interface ILocalNetworkSource
{
    /// <summary>Raised (on any thread) when an interface's addresses may have changed.</summary>
    event EventHandler? Changed;

    /// <summary>The networks of this machine's interfaces now, as <see cref="LocalNetworks.From"/> shapes them.</summary>
    IReadOnlyList<IPNetwork> GetNetworks();
}
