using System.Net;
using System.Net.NetworkInformation;

namespace Palisade.Server.Handlers.AccessControl;

/// <summary>
/// The networks of this machine's interfaces that are not down, from <see cref="NetworkInterface"/>, and word of changes
/// from <see cref="NetworkChange.NetworkAddressChanged"/> (a netlink socket on Linux).
/// </summary>
public sealed class SystemLocalNetworks : ILocalNetworkSource, IDisposable
{
    public SystemLocalNetworks() => NetworkChange.NetworkAddressChanged += OnAddressChanged;

    public event EventHandler? Changed;

    public IReadOnlyList<IPNetwork> GetNetworks()
    {
        var addresses = new List<(IPAddress, int)>();
        try
        {
            foreach (var networkInterface in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (networkInterface.OperationalStatus == OperationalStatus.Down ||
                    networkInterface.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                {
                    continue;
                }

                foreach (var unicast in networkInterface.GetIPProperties().UnicastAddresses)
                {
                    addresses.Add((unicast.Address, unicast.PrefixLength));
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Nothing to read (no /proc or /sys in a sandbox): the private networks alone are allowed.
        }

        return LocalNetworks.From(addresses);
    }

    public void Dispose() => NetworkChange.NetworkAddressChanged -= OnAddressChanged;

    private void OnAddressChanged(object? sender, EventArgs e) => Changed?.Invoke(this, EventArgs.Empty);
}
