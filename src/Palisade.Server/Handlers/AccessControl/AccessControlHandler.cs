using System.Net;
using Palisade.Protocol;
using Palisade.Server.Configuration;
using Palisade.Server.Pipeline;

namespace Palisade.Server.Handlers.AccessControl;

/// <summary>
/// Refuses (or drops) queries from clients outside <c>access.allow</c> (<see cref="AccessList"/>), before anything is
/// spent on them: Palisade is not an open resolver unless its owner says so. Each one turned away is counted for the
/// once-a-minute summary in the log (<see cref="RefusalSummary"/>).
/// </summary>
public sealed class AccessControlHandler(AccessList allow, AccessAction action, RefusalSummary? refusals, IQueryHandler next) : IQueryHandler
{
    /// <summary>
    /// <c>access.allow</c> exactly as in <paramref name="options"/>, without this machine's networks and without a
    /// summary in the log: for benchmarks and fuzzing, which must not depend on the machine they run on.
    /// </summary>
    public AccessControlHandler(AccessOptions options, IQueryHandler next)
        : this(AccessList.Fixed(options?.Allow ?? throw new ArgumentNullException(nameof(options))), options.Action, null, next)
    {
    }

    public ValueTask<QueryResult> HandleAsync(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var client = context.Client.Address;
        if (allow.Contains(client))
        {
            return next.HandleAsync(context);
        }

        refusals?.Record(client);
        return ValueTask.FromResult(action == AccessAction.Drop
            ? QueryResult.Drop
            : ErrorResponses.Create(context, DnsResponseCode.Refused, ExtendedDnsErrorCode.Prohibited));
    }

    /// <summary>Is a client at <paramref name="address"/> allowed? IPv4 addresses mapped into IPv6 count as IPv4.</summary>
    public bool IsAllowed(IPAddress address) => allow.Contains(address);
}
