using System.Net;

namespace Palisade.Server.Configuration;

/// <summary>The parsers and checks of the <c>blocking.*</c> keys whose values may be mappings.</summary>
internal static class BlockingParsers
{
    /// <summary>The sub-keys of a list given as a mapping: <c>{ source: URL-or-path, name: TEXT, subdomains: BOOL }</c>.</summary>
    public static IReadOnlyList<string> SourceFields { get; } = ["source", "name", "subdomains"];

    /// <summary>The sub-keys of <c>blocking.response</c> given as a mapping: <c>{ ipv4: ADDR, ipv6: ADDR }</c>.</summary>
    public static IReadOnlyList<string> ResponseFields { get; } = ["ipv4", "ipv6"];

    private static readonly (string Name, BlockingResponseOptions Value)[] ResponseModes =
    [
        ("nullIp", BlockingResponseOptions.NullIp),
        ("nxdomain", BlockingResponseOptions.NxDomain),
        ("refused", BlockingResponseOptions.Refused),
    ];

    /// <summary>A list: a URL or path, or <c>{ source, name, subdomains }</c>.</summary>
    public static BlocklistSourceOptions ParseSource(ConfigEntry entry)
    {
        if (!entry.IsMapping)
        {
            return ValueParsers.TryParseListSource(entry.Text!, out var plain, out var error)
                ? BlocklistSourceOptions.FromSource(plain)
                : throw entry.Error(error);
        }

        var source = entry.Field<string?>("source", ValueParsers.TryParseListSource, null)
            ?? throw entry.Error("has no source (e.g. { source: https://example.com/list.txt, name: example })");
        var name = entry.Field("name", ValueParsers.TryParseListName, BlocklistSourceOptions.DefaultName(source));
        var subdomains = entry.Field("subdomains", ValueParsers.TryParseBoolean, false);
        return new BlocklistSourceOptions(source, name, subdomains);
    }

    /// <summary>What is wrong with <paramref name="item"/> given the lists before it in the same key: the same source, or the same name.</summary>
    public static string? SourceConflict(IReadOnlyList<BlocklistSourceOptions> earlier, BlocklistSourceOptions item, ConfigEntry entry)
    {
        if (earlier.Any(e => SameSource(e.Source, item.Source)))
        {
            return $"'{item.Source}' is listed twice";
        }

        if (earlier.FirstOrDefault(e => SameName(e.Name, item.Name)) is { } other)
        {
            return entry.Has("name")
                ? $"the name '{item.Name}' is already used by '{other.Source}' (names must be unique)"
                : $"'{item.Source}' gets the name '{item.Name}', which is already used by '{other.Source}' (give one of them a name: {{ source: ..., name: ... }})";
        }

        return null;
    }

    /// <summary>What is wrong with <c>blocking.allowLists</c> given <c>blocking.lists</c>: a list in both, or a name used in both.</summary>
    public static string? CrossListConflict(BlockingOptions blocking)
    {
        foreach (var allow in blocking.AllowLists)
        {
            if (blocking.Lists.Any(l => SameSource(l.Source, allow.Source)))
            {
                return $"'{allow.Source}' is also in blocking.lists (a list cannot both block and allow)";
            }

            if (blocking.Lists.FirstOrDefault(l => SameName(l.Name, allow.Name)) is { } other)
            {
                return $"the name '{allow.Name}' of '{allow.Source}' is already used by '{other.Source}' in blocking.lists (names must be unique; give one of them a name)";
            }
        }

        return null;
    }

    /// <summary><c>nullIp</c>, <c>nxdomain</c>, <c>refused</c>, or <c>{ ipv4: ADDR, ipv6: ADDR }</c> with at least one of the two.</summary>
    public static BlockingResponseOptions ParseResponse(ConfigEntry entry)
    {
        if (!entry.IsMapping)
        {
            var text = entry.Text!.Trim();
            foreach (var (name, value) in ResponseModes)
            {
                if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }

            var names = ResponseModes.Select(m => m.Name).ToArray();
            var suggestion = DidYouMean.Closest(text, names);
            throw entry.Error(
                $"'{entry.Text}' is not one of {string.Join(", ", names)} or a mapping {{ ipv4: ADDR, ipv6: ADDR }}"
                + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)"));
        }

        var ipv4 = entry.Field<IPAddress?>("ipv4", ValueParsers.TryParseIPv4Address, null);
        var ipv6 = entry.Field<IPAddress?>("ipv6", ValueParsers.TryParseIPv6Address, null);
        return ipv4 is null && ipv6 is null
            ? throw entry.Error("needs ipv4, ipv6 or both (e.g. { ipv4: 0.0.0.0, ipv6: \"::\" })")
            : new BlockingResponseOptions(BlockingResponseMode.CustomIp, ipv4, ipv6);
    }

    /// <summary>A TTL: whole seconds, at most 2^31 - 1 (RFC 2181 s8). 0 is allowed: clients do not keep the answer.</summary>
    public static string? CheckTtl(TimeSpan value)
    {
        if (value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return "is not a whole number of seconds (a TTL is counted in seconds)";
        }

        return value.TotalSeconds > int.MaxValue ? "is more than the largest TTL (2147483647s, RFC 2181)" : null;
    }

    private static bool SameName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool SameSource(string a, string b) =>
        BlocklistSourceOptions.IsRemoteSource(a) && BlocklistSourceOptions.IsRemoteSource(b)
            && Uri.TryCreate(a, UriKind.Absolute, out var uriA) && Uri.TryCreate(b, UriKind.Absolute, out var uriB)
            ? uriA.Equals(uriB)
            : string.Equals(a, b, StringComparison.Ordinal);
}
