using System.Globalization;

namespace Palisade.Server.Configuration;

/// <summary>
/// Reads configuration from environment variables the usual .NET way: <c>PALISADE__CACHE__MAXSIZE=64MB</c>, names
/// case-insensitive, <c>__</c> between levels, list items by index (<c>PALISADE__LISTEN__0</c>) or as one
/// comma-separated variable (<c>PALISADE__LISTEN=127.0.0.1:53,[::1]:53</c>). A list given here replaces the file's.
/// </summary>
internal static class EnvironmentConfigReader
{
    public const string Prefix = "PALISADE__";

    /// <exception cref="ConfigurationException">A <c>PALISADE__</c> variable names no key, or names one twice.</exception>
    public static IReadOnlyList<ConfigValue> Read(IEnumerable<KeyValuePair<string, string>> environment, ConfigSchema schema)
    {
        var scalars = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        var lists = new Dictionary<string, SortedDictionary<int, ConfigItem>>(StringComparer.Ordinal);
        var wholeLists = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var (name, text) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var origin = ConfigOrigin.Environment(name);
            var segments = name[Prefix.Length..].Split("__");
            var path = string.Join('.', segments);
            var value = string.IsNullOrWhiteSpace(text) ? null : text;
            if (schema.FindIgnoringCase(path) is { } key)
            {
                if (scalars.ContainsKey(key.Path) || wholeLists.ContainsKey(key.Path) || lists.ContainsKey(key.Path))
                {
                    throw new ConfigurationException(origin, key.Path, "is set by more than one environment variable");
                }

                if (key.IsList)
                {
                    var items = (value ?? string.Empty)
                        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(item => new ConfigItem(item, origin))
                        .ToList();
                    wholeLists[key.Path] = ConfigValue.List(key.Path, origin, items);
                }
                else
                {
                    scalars[key.Path] = ConfigValue.Scalar(key.Path, origin, value);
                }

                continue;
            }

            if (segments.Length >= 2
                && schema.FindIgnoringCase(string.Join('.', segments[..^1])) is { IsList: true } listKey
                && int.TryParse(segments[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                if (wholeLists.ContainsKey(listKey.Path))
                {
                    throw new ConfigurationException(origin, listKey.Path, "is set both as a whole and by index");
                }

                var items = lists.TryGetValue(listKey.Path, out var existing) ? existing : lists[listKey.Path] = [];
                if (value is null)
                {
                    throw new ConfigurationException(origin, listKey.Path, "a list item is empty");
                }

                if (!items.TryAdd(index, new ConfigItem(value, origin)))
                {
                    throw new ConfigurationException(origin, listKey.Path, $"item {index} is set by more than one environment variable");
                }

                continue;
            }

            var suggestion = DidYouMean.Closest(path, schema.Keys.Select(k => k.Path));
            throw new ConfigurationException(
                origin,
                null,
                suggestion is null
                    ? $"unknown key '{path}' (known keys: {string.Join(", ", schema.Keys.Select(k => k.Path))})"
                    : $"unknown key '{path}' (did you mean {VariableName(suggestion)}?)");
        }

        var result = new List<ConfigValue>();
        result.AddRange(wholeLists.Values);
        foreach (var (path, items) in lists)
        {
            result.Add(ConfigValue.List(path, items.Values.First().Origin, [.. items.Values]));
        }

        result.AddRange(scalars.Values);
        return result;
    }

    /// <summary>The variable that sets a key: <c>cache.maxSize</c> -&gt; <c>PALISADE__CACHE__MAXSIZE</c>.</summary>
    public static string VariableName(string path) => Prefix + path.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant();
}
