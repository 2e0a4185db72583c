using System.Net;
using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Handlers.AccessControl;

/// <summary>
/// Refuses (or drops) queries from clients outside <c>access.allow</c>, before anything is spent on them: Palisade is
/// not an open resolver unless its owner says so.
/// </summary>
public sealed class AccessControlHandler(AccessOptions options, IQueryHandler next) : IQueryHandler
{
    private readonly IPNetwork[] _allow = [.. options.Allow];

    public ValueTask<QueryResult> HandleAsync(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsAllowed(context.Client.Address))
        {
            return next.HandleAsync(context);
        }

        return ValueTask.FromResult(options.Action == AccessAction.Drop
            ? QueryResult.Drop
            : ErrorResponses.Create(context, DnsResponseCode.Refused, ExtendedDnsErrorCode.Prohibited));
    }

    /// <summary>Is a client at <paramref name="address"/> allowed? IPv4 addresses mapped into IPv6 count as IPv4.</summary>
    public bool IsAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _allow)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
