using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Palisade.Server.Configuration;

/// <summary>Parses one value: false with a short explanation (quoting the text) when it is not valid.</summary>
internal delegate bool ValueParser<T>(string text, [MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out string? error);

/// <summary>
/// Every configuration key, with how its value is parsed, checked and applied to <see cref="PalisadeOptions"/>, and the
/// rules that involve several keys. A new key is one line in <see cref="Build"/>; the readers, the error messages and
/// the did-you-mean suggestions follow from it.
/// </summary>
internal sealed class ConfigSchema
{
    private readonly Dictionary<string, ConfigKey> _keys;
    private readonly Dictionary<string, ConfigKey> _keysIgnoringCase;
    private readonly HashSet<string> _sections;

    private ConfigSchema(IReadOnlyList<ConfigKey> keys, IReadOnlyList<ConfigRule> rules)
    {
        Keys = keys;
        Rules = rules;
        _keys = keys.ToDictionary(k => k.Path, StringComparer.Ordinal);
        _keysIgnoringCase = keys.ToDictionary(k => k.Path, StringComparer.OrdinalIgnoreCase);
        _sections = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            for (var dot = key.Path.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = key.Path.IndexOf('.', dot + 1))
            {
                _sections.Add(key.Path[..dot]);
            }
        }
    }

    /// <summary>The schema of <see cref="PalisadeOptions"/>.</summary>
    public static ConfigSchema Palisade { get; } = Build();

    /// <summary>The keys, in the order they are documented.</summary>
    public IReadOnlyList<ConfigKey> Keys { get; }

    /// <summary>Checks that involve several keys, run once every source has been applied.</summary>
    public IReadOnlyList<ConfigRule> Rules { get; }

    /// <summary>Every section (<c>cache</c>) and key path (<c>cache.maxSize</c>).</summary>
    public IEnumerable<string> AllPaths => _sections.Concat(_keys.Keys);

    /// <summary>The key with exactly this path (YAML keys are case-sensitive).</summary>
    public ConfigKey? Find(string path) => _keys.GetValueOrDefault(path);

    /// <summary>The key with this path in any case (environment variable names are case-insensitive).</summary>
    public ConfigKey? FindIgnoringCase(string path) => _keysIgnoringCase.GetValueOrDefault(path);

    /// <summary>Whether <paramref name="path"/> is a section that holds keys (<c>cache</c>).</summary>
    public bool IsSection(string path) => _sections.Contains(path);

    /// <summary>The names directly under a section (<c>""</c> for the top level): <c>maxSize</c>, <c>minTtl</c>...</summary>
    public IReadOnlyList<string> ChildNames(string section)
    {
        var prefix = section.Length == 0 ? string.Empty : section + ".";
        return AllPaths
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal) && !p[prefix.Length..].Contains('.', StringComparison.Ordinal))
            .Select(p => p[prefix.Length..])
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static ConfigSchema Build() => new(
        [
            List<IPEndPoint>("listen", ValueParsers.TryParseListenEndPoint, (o, v) => o with { Listen = v }, "at least one listen address is needed"),
            List<UpstreamOptions>("upstreams", ValueParsers.TryParseUpstream, (o, v) => o with { Upstreams = v }, "at least one upstream is needed"),
            List<IPEndPoint>("bootstrap", ValueParsers.TryParseBootstrap, (o, v) => o with { Bootstrap = v }, emptyError: null),
            Scalar<UpstreamStrategy>("upstreamStrategy", ValueParsers.TryParseEnum, (o, v) => o with { UpstreamStrategy = v }),
            Scalar<TimeSpan>("upstreamTimeout", ValueParsers.TryParseDuration, (o, v) => o with { UpstreamTimeout = v }, MoreThanZero),
            List<IPEndPoint>("tlsListen", ValueParsers.TryParseListenEndPoint, (o, v) => o with { TlsListen = v }, emptyError: null),
            List<IPEndPoint>("httpsListen", ValueParsers.TryParseListenEndPoint, (o, v) => o with { HttpsListen = v }, emptyError: null),
            OptionalScalar<string>("tls.certificate", ValueParsers.TryParsePath, (o, v) => o with { Tls = o.Tls with { Certificate = v } }),
            OptionalScalar<string>("tls.privateKey", ValueParsers.TryParsePath, (o, v) => o with { Tls = o.Tls with { PrivateKey = v } }),
            List<IPNetwork>("access.allow", ValueParsers.TryParseNetwork, (o, v) => o with { Access = o.Access with { Allow = v } }, "at least one network is needed (\"0.0.0.0/0\" and \"::/0\" allow everyone)"),
            Scalar<AccessAction>("access.action", ValueParsers.TryParseEnum, (o, v) => o with { Access = o.Access with { Action = v } }),
            Scalar<int>("rateLimit.queriesPerSecond", ValueParsers.TryParseInteger, (o, v) => o with { RateLimit = o.RateLimit with { QueriesPerSecond = v } }, RateLimitOptions.CheckQueriesPerSecond),
            Scalar<int>("rateLimit.burst", ValueParsers.TryParseInteger, (o, v) => o with { RateLimit = o.RateLimit with { Burst = v } }, RateLimitOptions.CheckBurst),
            Scalar<int>("rateLimit.ipv4Prefix", ValueParsers.TryParseInteger, (o, v) => o with { RateLimit = o.RateLimit with { IPv4Prefix = v } }, RateLimitOptions.CheckIPv4Prefix),
            Scalar<int>("rateLimit.ipv6Prefix", ValueParsers.TryParseInteger, (o, v) => o with { RateLimit = o.RateLimit with { IPv6Prefix = v } }, RateLimitOptions.CheckIPv6Prefix),
            Scalar<long>("cache.maxSize", ValueParsers.TryParseSize, (o, v) => o with { Cache = o.Cache with { MaxSize = v } }),
            Scalar<TimeSpan>("cache.minTtl", ValueParsers.TryParseDuration, (o, v) => o with { Cache = o.Cache with { MinTtl = v } }),
            Scalar<TimeSpan>("cache.maxTtl", ValueParsers.TryParseDuration, (o, v) => o with { Cache = o.Cache with { MaxTtl = v } }),
            Scalar<TimeSpan>("cache.negativeMaxTtl", ValueParsers.TryParseDuration, (o, v) => o with { Cache = o.Cache with { NegativeMaxTtl = v } }),
            Scalar<bool>("cache.serveStale", ValueParsers.TryParseBoolean, (o, v) => o with { Cache = o.Cache with { ServeStale = v } }),
            Scalar<TimeSpan>("cache.staleMaxAge", ValueParsers.TryParseDuration, (o, v) => o with { Cache = o.Cache with { StaleMaxAge = v } }),
            Scalar<bool>("cache.prefetch", ValueParsers.TryParseBoolean, (o, v) => o with { Cache = o.Cache with { Prefetch = v } }),
            Scalar<LogLevelOption>("log.level", ValueParsers.TryParseEnum, (o, v) => o with { Log = o.Log with { Level = v } }),
            Scalar<string>("dataDir", ValueParsers.TryParsePath, (o, v) => o with { DataDir = v }),
            EntryList("blocking.lists", BlockingParsers.SourceFields, BlockingParsers.ParseSource, (o, v) => o with { Blocking = o.Blocking with { Lists = v } }, BlockingParsers.SourceConflict),
            EntryList("blocking.allowLists", BlockingParsers.SourceFields, BlockingParsers.ParseSource, (o, v) => o with { Blocking = o.Blocking with { AllowLists = v } }, BlockingParsers.SourceConflict),
            InlineRules("blocking.allow", (o, v) => o with { Blocking = o.Blocking with { Allow = [.. v.Select(r => r.Text)], AllowLines = [.. v.Select(r => r.Line)] } }),
            InlineRules("blocking.deny", (o, v) => o with { Blocking = o.Blocking with { Deny = [.. v.Select(r => r.Text)], DenyLines = [.. v.Select(r => r.Line)] } }),
            Scalar<TimeSpan>("blocking.refreshInterval", ValueParsers.TryParseDuration, (o, v) => o with { Blocking = o.Blocking with { RefreshInterval = v } }, MoreThanZero),
            OptionalScalar<string>("blocking.cacheDir", ValueParsers.TryParsePath, (o, v) => o with { Blocking = o.Blocking with { CacheDir = v } }),
            Entry("blocking.response", BlockingParsers.ResponseFields, BlockingParsers.ParseResponse, (o, v) => o with { Blocking = o.Blocking with { Response = v } }),
            Scalar<TimeSpan>("blocking.blockedTtl", ValueParsers.TryParseDuration, (o, v) => o with { Blocking = o.Blocking with { BlockedTtl = v } }, BlockingParsers.CheckTtl),
            Scalar<bool>("blocking.cnameInspection", ValueParsers.TryParseBoolean, (o, v) => o with { Blocking = o.Blocking with { CnameInspection = v } }),
            Scalar<bool>("security.rebindingProtection", ValueParsers.TryParseBoolean, (o, v) => o with { Security = o.Security with { RebindingProtection = v } }),
            List<string>("security.rebindingAllow", ValueParsers.TryParseDomainName, (o, v) => o with { Security = o.Security with { RebindingAllow = v } }, emptyError: null),
        ],
        [
            new ConfigRule(
                "cache.minTtl",
                ["cache.maxTtl"],
                o => o.Cache.MinTtl <= o.Cache.MaxTtl
                    ? null
                    : $"{ValueParsers.FormatDuration(o.Cache.MinTtl)} is more than cache.maxTtl ({ValueParsers.FormatDuration(o.Cache.MaxTtl)})"),
            new ConfigRule("blocking.allowLists", ["blocking.lists"], o => BlockingParsers.CrossListConflict(o.Blocking)),
            new ConfigRule(
                "bootstrap",
                ["upstreams"],
                o => o.Bootstrap.Count > 0 || o.Upstreams.FirstOrDefault(u => u.NeedsBootstrap) is not { } named
                    ? null
                    : $"is empty, but the upstream {named} is a host name that has to be looked up (give its address as #IP, or bootstrap servers)"),
            new ConfigRule(
                "tls.certificate",
                ["tls.privateKey", "tlsListen", "httpsListen"],
                o => !ServesTls(o) || o.Tls.Certificate is not null
                    ? null
                    : $"is missing{(o.Tls.PrivateKey is null ? ", and so is tls.privateKey" : string.Empty)}; {TlsPairNeeded}"),
            new ConfigRule(
                "tls.privateKey",
                ["tls.certificate", "tlsListen", "httpsListen"],
                o => !ServesTls(o) || o.Tls.PrivateKey is not null ? null : $"is missing; {TlsPairNeeded}"),
        ]);

    private const string TlsPairNeeded =
        "serving DNS over TLS or HTTPS (tlsListen, httpsListen) needs both tls.certificate and tls.privateKey (palisade cert self-signed --name NAME makes a pair)";

    private static bool ServesTls(PalisadeOptions o) => o.TlsListen.Count > 0 || o.HttpsListen.Count > 0;

    private static string? MoreThanZero(TimeSpan value) => value > TimeSpan.Zero ? null : "must be more than 0";

    private static ScalarKey<T> Scalar<T>(string path, ValueParser<T> parse, Func<PalisadeOptions, T, PalisadeOptions> apply, Func<T, string?>? check = null) =>
        new(path, parse, apply, check, emptyIsDefault: false);

    /// <summary>A scalar key that may also be given without a value (<c>cacheDir:</c>), which applies null: "the default".</summary>
    private static ScalarKey<T?> OptionalScalar<T>(string path, ValueParser<T?> parse, Func<PalisadeOptions, T?, PalisadeOptions> apply)
        where T : class =>
        new(path, parse, apply, check: null, emptyIsDefault: true);

    /// <summary>A key whose value is a scalar or a mapping of <paramref name="fieldNames"/>.</summary>
    private static EntryKey<T> Entry<T>(string path, IReadOnlyList<string> fieldNames, EntryParser<T> parse, Func<PalisadeOptions, T, PalisadeOptions> apply) =>
        new(path, fieldNames, parse, apply);

    /// <summary>A list of scalars; <paramref name="emptyError"/> null allows an empty list.</summary>
    private static ListKey<T> List<T>(string path, ValueParser<T> parse, Func<PalisadeOptions, IReadOnlyList<T>, PalisadeOptions> apply, string? emptyError) =>
        new(
            path,
            [],
            entry => parse(entry.Text!, out var value, out var error) ? value : throw entry.Error(error),
            apply,
            emptyError,
            (earlier, item, entry) => earlier.Contains(item) ? $"'{entry.Text}' is listed twice" : null);

    /// <summary>Inline rules (<c>blocking.allow</c>, <c>blocking.deny</c>), each kept with its line in the file, which <c>palisade check</c> cites.</summary>
    private static ListKey<InlineRule> InlineRules(string path, Func<PalisadeOptions, IReadOnlyList<InlineRule>, PalisadeOptions> apply) =>
        new(
            path,
            [],
            entry => ValueParsers.TryParseInlineRule(entry.Text!, out var value, out var error) ? new InlineRule(value, entry.Origin.Line ?? 0) : throw entry.Error(error),
            apply,
            emptyError: null,
            (earlier, item, entry) => earlier.Any(e => e.Text == item.Text) ? $"'{entry.Text}' is listed twice" : null);

    /// <summary>
    /// A list whose items are scalars or mappings of <paramref name="fieldNames"/>, which may be empty;
    /// <paramref name="conflict"/> says what is wrong with an item given the ones before it.
    /// </summary>
    private static ListKey<T> EntryList<T>(
        string path,
        IReadOnlyList<string> fieldNames,
        EntryParser<T> parse,
        Func<PalisadeOptions, IReadOnlyList<T>, PalisadeOptions> apply,
        Func<IReadOnlyList<T>, T, ConfigEntry, string?> conflict) =>
        new(path, fieldNames, parse, apply, emptyError: null, conflict);
}

/// <summary>One key: its path and how a raw value for it is turned into a change of <see cref="PalisadeOptions"/>.</summary>
internal abstract class ConfigKey(string path, bool isList, IReadOnlyList<string> fieldNames)
{
    /// <summary><c>cache.maxSize</c>, exactly as written in YAML.</summary>
    public string Path { get; } = path;

    /// <summary>Whether the value is a list (<c>listen</c>) rather than a single value.</summary>
    public bool IsList { get; } = isList;

    /// <summary>
    /// The sub-keys of the mapping form (<c>source</c>, <c>name</c>, <c>subdomains</c>), when the value (or, for a list,
    /// each item) may be written as a mapping as well as a scalar; empty for scalar-only keys.
    /// </summary>
    public IReadOnlyList<string> FieldNames { get; } = fieldNames;

    /// <summary>Whether the value (or each list item) may be a mapping of <see cref="FieldNames"/>.</summary>
    public bool AcceptsMapping => FieldNames.Count > 0;

    /// <summary>Parses and checks <paramref name="value"/> and returns <paramref name="options"/> with it applied.</summary>
    /// <exception cref="ConfigurationException">The value is not valid for this key.</exception>
    public abstract PalisadeOptions Apply(PalisadeOptions options, ConfigValue value);
}

/// <summary>A key with a single value; with <paramref name="emptyIsDefault"/>, a key given without a value applies the default of <typeparamref name="T"/>.</summary>
internal sealed class ScalarKey<T>(string path, ValueParser<T> parse, Func<PalisadeOptions, T, PalisadeOptions> apply, Func<T, string?>? check, bool emptyIsDefault)
    : ConfigKey(path, isList: false, fieldNames: [])
{
    public override PalisadeOptions Apply(PalisadeOptions options, ConfigValue value)
    {
        if (value.Items is not null)
        {
            throw new ConfigurationException(value.Origin, Path, "expected a single value, not a list");
        }

        if (value.Fields is not null)
        {
            throw new ConfigurationException(value.Origin, Path, "expected a single value, not a mapping");
        }

        if (value.Text is null)
        {
            return emptyIsDefault
                ? apply(options, default!)
                : throw new ConfigurationException(value.Origin, Path, "has no value (remove the key to use the default)");
        }

        if (!parse(value.Text, out var parsed, out var error))
        {
            throw new ConfigurationException(value.Origin, Path, error);
        }

        if (check?.Invoke(parsed) is { } problem)
        {
            throw new ConfigurationException(value.Origin, Path, $"'{value.Text}' {problem}");
        }

        return apply(options, parsed);
    }
}

/// <summary>A key whose single value is a scalar or a mapping of <see cref="ConfigKey.FieldNames"/> (<c>blocking.response</c>).</summary>
internal sealed class EntryKey<T>(string path, IReadOnlyList<string> fieldNames, EntryParser<T> parse, Func<PalisadeOptions, T, PalisadeOptions> apply)
    : ConfigKey(path, isList: false, fieldNames)
{
    public override PalisadeOptions Apply(PalisadeOptions options, ConfigValue value)
    {
        if (value.Items is not null)
        {
            throw new ConfigurationException(value.Origin, Path, "expected a single value or a mapping, not a list");
        }

        if (value.Text is null && value.Fields is null)
        {
            throw new ConfigurationException(value.Origin, Path, "has no value (remove the key to use the default)");
        }

        return apply(options, parse(ConfigEntry.ForValue(value)));
    }
}

/// <summary>
/// A key whose value is a list; a value replaces the list as a whole. The list may be empty unless an
/// <paramref name="emptyError"/> is given; <paramref name="conflict"/> rejects an item that clashes with an earlier one.
/// Items are scalars, or also mappings of <paramref name="fieldNames"/> when there are any.
/// </summary>
internal sealed class ListKey<T>(
    string path,
    IReadOnlyList<string> fieldNames,
    EntryParser<T> parse,
    Func<PalisadeOptions, IReadOnlyList<T>, PalisadeOptions> apply,
    string? emptyError,
    Func<IReadOnlyList<T>, T, ConfigEntry, string?> conflict)
    : ConfigKey(path, isList: true, fieldNames)
{
    public override PalisadeOptions Apply(PalisadeOptions options, ConfigValue value)
    {
        if (value.Text is not null)
        {
            throw new ConfigurationException(value.Origin, Path, $"expected a list, e.g. {Path}: [\"{value.Text}\"]");
        }

        if (value.Fields is not null)
        {
            throw new ConfigurationException(value.Origin, Path, "expected a list, not a mapping");
        }

        var items = value.Items ?? [];
        if (items.Count == 0 && emptyError is not null)
        {
            throw new ConfigurationException(value.Origin, Path, emptyError);
        }

        var parsed = new List<T>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var entry = ConfigEntry.ForItem(Path, i, items[i]);
            if (entry.IsMapping && !AcceptsMapping)
            {
                throw entry.Error("a list item must be a single value, got a mapping");
            }

            if (!entry.IsMapping && entry.Text is null)
            {
                throw entry.Error("a list item is empty");
            }

            var one = parse(entry);
            if (conflict(parsed, one, entry) is { } problem)
            {
                throw entry.Error(problem);
            }

            parsed.Add(one);
        }

        return apply(options, parsed.AsReadOnly());
    }
}

/// <summary>
/// A check across keys. It is reported at <paramref name="Key"/> when that key was set, else at the first of
/// <paramref name="RelatedKeys"/> that was; <paramref name="Check"/> returns what is wrong, phrased about
/// <paramref name="Key"/>, or null.
/// </summary>
internal sealed record ConfigRule(string Key, IReadOnlyList<string> RelatedKeys, Func<PalisadeOptions, string?> Check);
