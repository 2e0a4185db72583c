using System.Globalization;

namespace Palisade.Server.Configuration;

/// <summary>
/// Reads configuration from environment variables the usual .NET way: <c>PALISADE__CACHE__MAXSIZE=64MB</c>, names
/// case-insensitive, <c>__</c> between levels, list items by index (<c>PALISADE__LISTEN__0</c>) or as one
/// comma-separated variable (<c>PALISADE__LISTEN=127.0.0.1:53,[::1]:53</c>). A list given here replaces the file's.
/// Keys whose values may be mappings take their fields one variable each: <c>PALISADE__BLOCKING__RESPONSE__IPV4</c>,
/// and for list items <c>PALISADE__BLOCKING__LISTS__0__SOURCE</c>; a value given so replaces the file's as a whole.
/// </summary>
internal static class EnvironmentConfigReader
{
    public const string Prefix = "PALISADE__";

    /// <exception cref="ConfigurationException">A <c>PALISADE__</c> variable names no key, or names one twice.</exception>
    public static IReadOnlyList<ConfigValue> Read(IEnumerable<KeyValuePair<string, string>> environment, ConfigSchema schema)
    {
        var scalars = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        var mappings = new Dictionary<string, List<ConfigField>>(StringComparer.Ordinal);
        var lists = new Dictionary<string, SortedDictionary<int, ItemBuilder>>(StringComparer.Ordinal);
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

                if (mappings.ContainsKey(key.Path))
                {
                    throw new ConfigurationException(origin, key.Path, "is set both as a whole and by field");
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

            // A field of a key's mapping value: PALISADE__BLOCKING__RESPONSE__IPV4.
            if (segments.Length >= 2
                && schema.FindIgnoringCase(string.Join('.', segments[..^1])) is { IsList: false, AcceptsMapping: true } mappingKey
                && FieldName(mappingKey, segments[^1]) is { } field)
            {
                if (scalars.ContainsKey(mappingKey.Path))
                {
                    throw new ConfigurationException(origin, mappingKey.Path, "is set both as a whole and by field");
                }

                var fields = mappings.TryGetValue(mappingKey.Path, out var existing) ? existing : mappings[mappingKey.Path] = [];
                if (fields.Any(f => f.Name == field))
                {
                    throw new ConfigurationException(origin, $"{mappingKey.Path}.{field}", "is set by more than one environment variable");
                }

                fields.Add(new ConfigField(field, value, origin));
                continue;
            }

            // A list item (PALISADE__LISTEN__0), or a field of one (PALISADE__BLOCKING__LISTS__0__SOURCE).
            if (FindListItem(schema, segments) is var (listKey, index, itemField))
            {
                if (wholeLists.ContainsKey(listKey.Path))
                {
                    throw new ConfigurationException(origin, listKey.Path, "is set both as a whole and by index");
                }

                var items = lists.TryGetValue(listKey.Path, out var existing) ? existing : lists[listKey.Path] = [];
                var item = items.TryGetValue(index, out var found) ? found : items[index] = new ItemBuilder();
                item.Add(listKey.Path, index, itemField, value, origin);
                continue;
            }

            var suggestion = DidYouMean.Closest(path, Candidates(schema, segments));
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
            var built = items.Values.Select(i => i.Build()).ToList();
            result.Add(ConfigValue.List(path, built[0].Origin, built));
        }

        foreach (var (path, fields) in mappings)
        {
            result.Add(ConfigValue.Mapping(path, fields[0].Origin, fields));
        }

        result.AddRange(scalars.Values);
        return result;
    }

    /// <summary>The variable that sets a key: <c>cache.maxSize</c> -&gt; <c>PALISADE__CACHE__MAXSIZE</c>.</summary>
    public static string VariableName(string path) => Prefix + path.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant();

    private static (ConfigKey Key, int Index, string? Field)? FindListItem(ConfigSchema schema, string[] segments)
    {
        if (segments.Length >= 2
            && schema.FindIgnoringCase(string.Join('.', segments[..^1])) is { IsList: true } listKey
            && TryParseIndex(segments[^1], out var index))
        {
            return (listKey, index, null);
        }

        if (segments.Length >= 3
            && schema.FindIgnoringCase(string.Join('.', segments[..^2])) is { IsList: true, AcceptsMapping: true } mappingListKey
            && TryParseIndex(segments[^2], out index)
            && FieldName(mappingListKey, segments[^1]) is { } field)
        {
            return (mappingListKey, index, field);
        }

        return null;
    }

    private static bool TryParseIndex(string segment, out int index) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out index);

    private static string? FieldName(ConfigKey key, string segment) =>
        key.FieldNames.FirstOrDefault(f => string.Equals(f, segment, StringComparison.OrdinalIgnoreCase));

    /// <summary>What a misspelled variable may have meant: every key, and every field (of this variable's list item, for lists).</summary>
    private static IEnumerable<string> Candidates(ConfigSchema schema, string[] segments)
    {
        var index = segments.Length >= 3 && TryParseIndex(segments[^2], out var i) ? i : 0;
        foreach (var key in schema.Keys)
        {
            yield return key.Path;
            foreach (var field in key.FieldNames)
            {
                yield return key.IsList ? $"{key.Path}.{index.ToString(CultureInfo.InvariantCulture)}.{field}" : $"{key.Path}.{field}";
            }
        }
    }

    /// <summary>One list item as its variables give it: a whole value, or fields.</summary>
    private sealed class ItemBuilder
    {
        private readonly List<ConfigField> _fields = [];
        private ConfigItem? _whole;

        public void Add(string path, int index, string? field, string? value, ConfigOrigin origin)
        {
            if (field is null)
            {
                if (value is null)
                {
                    throw new ConfigurationException(origin, path, "a list item is empty");
                }

                if (_whole is not null)
                {
                    throw new ConfigurationException(origin, path, $"item {index} is set by more than one environment variable");
                }

                if (_fields.Count > 0)
                {
                    throw new ConfigurationException(origin, path, $"item {index} is set both as a whole and by field");
                }

                _whole = new ConfigItem(value, origin);
                return;
            }

            if (_whole is not null)
            {
                throw new ConfigurationException(origin, path, $"item {index} is set both as a whole and by field");
            }

            if (_fields.Any(f => f.Name == field))
            {
                throw new ConfigurationException(origin, $"{path}[{index}].{field}", "is set by more than one environment variable");
            }

            _fields.Add(new ConfigField(field, value, origin));
        }

        public ConfigItem Build() => _whole ?? new ConfigItem(null, _fields[0].Origin, _fields);
    }
}
