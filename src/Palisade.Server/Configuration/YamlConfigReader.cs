using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Palisade.Server.Configuration;

/// <summary>
/// Reads a YAML configuration file into flat values (<c>cache.maxSize</c> -&gt; <c>"64MB"</c>, line 7), checking the
/// keys and the shape of the file against the schema. Values are not parsed here; the schema does that.
/// </summary>
internal static partial class YamlConfigReader
{
    /// <exception cref="ConfigurationException">The YAML is not valid, or a key is unknown or has the wrong kind of value.</exception>
    public static IReadOnlyList<ConfigValue> Read(string yaml, string fileName, ConfigSchema schema)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(yaml)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            if (e.Message.StartsWith("Duplicate key ", StringComparison.Ordinal))
            {
                throw new ConfigurationException(Origin(fileName, e.Start), null, $"key '{e.Message["Duplicate key ".Length..]}' appears twice", e);
            }

            if (e.Message.Contains(" tab", StringComparison.Ordinal) && FindIndentingTab(yaml, e.Start.Line) is var (tabLine, tabColumn))
            {
                // YamlDotNet places these at the start of the mapping being read, often lines above the tab itself.
                throw new ConfigurationException(
                    new ConfigOrigin($"{fileName}:{tabLine}:{tabColumn}", tabLine),
                    null,
                    "YAML syntax error: a tab indents this line (YAML indents with spaces only)",
                    e);
            }

            var line = LineAt(yaml, e.Start.Line);
            var hint = UnquotedIPv6EndPoint().IsMatch(line) ? " (quote IPv6 addresses with a port: \"[::1]:53\")"
                : UnquotedAdblockRule().IsMatch(line) ? " (quote rules that start with '|' or '@', like \"||example.com^\")"
                : UnquotedLeadingColons().IsMatch(line) ? " (quote IPv6 addresses that start with ':', like \"::\")"
                : string.Empty;
            throw new ConfigurationException(OriginWithColumn(fileName, e.Start), null, $"YAML syntax error: {e.Message}{hint}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner gives up without a position on some unclosed flow collections ("[a, b" then more keys).
            throw new ConfigurationException(
                OriginWithColumn(fileName, parser.LastEnd),
                null,
                "YAML syntax error after this point (is a '[', '{' or quote not closed?)",
                e);
        }
        catch (ArgumentException e)
        {
            // YamlDotNet throws these for some malformed input found by fuzzing: a complex key with no node ("? :"), a tag
            // that is not a URI ("!!a+!!"), an escape beyond Unicode ("\UFFFFFFFF").
            throw new ConfigurationException(OriginWithColumn(fileName, parser.LastEnd), null, $"YAML syntax error after this point ({e.Message})", e);
        }

        if (stream.Documents.Count == 0)
        {
            return [];
        }

        if (stream.Documents.Count > 1)
        {
            throw new ConfigurationException(
                ConfigOrigin.File(fileName, checked((int)stream.Documents[1].RootNode.Start.Line)),
                null,
                "only one YAML document is allowed (remove the '---' separator)");
        }

        var root = stream.Documents[0].RootNode;
        if (IsNull(root))
        {
            return [];
        }

        if (root is not YamlMappingNode mapping)
        {
            throw new ConfigurationException(
                Origin(fileName, root.Start),
                null,
                $"the file must be a mapping of keys (like 'listen: [\"127.0.0.1:53\"]'), not {Describe(root)}");
        }

        var values = new List<ConfigValue>();
        ReadMapping(mapping, string.Empty, fileName, schema, values);
        return values;
    }

    private static void ReadMapping(YamlMappingNode mapping, string section, string fileName, ConfigSchema schema, List<ConfigValue> values)
    {
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                throw new ConfigurationException(Origin(fileName, keyNode.Start), null, $"a key must be a plain name, not {Describe(keyNode)}");
            }

            var path = section.Length == 0 ? name : $"{section}.{name}";
            var keyOrigin = Origin(fileName, keyNode.Start);
            if (schema.Find(path) is { } key)
            {
                values.Add(ReadValue(key, keyOrigin, valueNode, fileName));
            }
            else if (schema.IsSection(path))
            {
                if (valueNode is YamlMappingNode child)
                {
                    ReadMapping(child, path, fileName, schema, values);
                }
                else if (!IsNull(valueNode))
                {
                    throw new ConfigurationException(
                        Origin(fileName, valueNode.Start),
                        path,
                        $"expected a mapping of keys ({string.Join(", ", schema.ChildNames(path))}), got {Describe(valueNode)}");
                }
            }
            else
            {
                throw new ConfigurationException(keyOrigin, null, UnknownKey(name, section, schema));
            }
        }
    }

    private static ConfigValue ReadValue(ConfigKey key, ConfigOrigin keyOrigin, YamlNode node, string fileName)
    {
        if (IsNull(node))
        {
            return key.IsList ? ConfigValue.List(key.Path, keyOrigin, []) : ConfigValue.Scalar(key.Path, keyOrigin, null);
        }

        var origin = Origin(fileName, node.Start);
        if (!key.IsList)
        {
            return node switch
            {
                YamlScalarNode scalar => ConfigValue.Scalar(key.Path, origin, scalar.Value ?? string.Empty),
                YamlMappingNode mapping when key.AcceptsMapping => ConfigValue.Mapping(key.Path, origin, ReadFields(mapping, key, key.Path, fileName)),
                _ => throw new ConfigurationException(
                    origin,
                    key.Path,
                    $"expected a single value{(key.AcceptsMapping ? $" or a mapping ({string.Join(", ", key.FieldNames)})" : string.Empty)}, got {Describe(node)}"),
            };
        }

        if (node is not YamlSequenceNode sequence)
        {
            var hint = node is YamlScalarNode { Value: { } text } ? $", e.g. {key.Path}: [\"{text}\"]" : string.Empty;
            throw new ConfigurationException(origin, key.Path, $"expected a list{hint}, got {Describe(node)}");
        }

        var items = new List<ConfigItem>(sequence.Children.Count);
        foreach (var itemNode in sequence.Children)
        {
            var itemOrigin = Origin(fileName, itemNode.Start);
            if (itemNode is YamlMappingNode itemMapping && key.AcceptsMapping)
            {
                items.Add(new ConfigItem(null, itemOrigin, ReadFields(itemMapping, key, $"{key.Path}[{items.Count}]", fileName)));
                continue;
            }

            if (itemNode is not YamlScalarNode itemScalar)
            {
                throw new ConfigurationException(
                    itemOrigin,
                    key.Path,
                    key.AcceptsMapping
                        ? $"a list item must be a single value or a mapping ({string.Join(", ", key.FieldNames)}), got {Describe(itemNode)}"
                        : $"a list item must be a single value, got {Describe(itemNode)} (quote values with '[' or ': ' in them, like \"[::1]:53\")");
            }

            if (IsNull(itemScalar))
            {
                throw new ConfigurationException(itemOrigin, key.Path, "a list item is empty");
            }

            items.Add(new ConfigItem(itemScalar.Value ?? string.Empty, itemOrigin));
        }

        return ConfigValue.List(key.Path, origin, items);
    }

    /// <summary>The fields of a mapping value or list item (<paramref name="path"/> is <c>blocking.lists[1]</c>), each a scalar.</summary>
    private static List<ConfigField> ReadFields(YamlMappingNode mapping, ConfigKey key, string path, string fileName)
    {
        var fields = new List<ConfigField>(mapping.Children.Count);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var fieldOrigin = Origin(fileName, keyNode.Start);
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                throw new ConfigurationException(fieldOrigin, path, $"a key must be a plain name, not {Describe(keyNode)}");
            }

            if (!key.FieldNames.Contains(name, StringComparer.Ordinal))
            {
                throw new ConfigurationException(
                    fieldOrigin,
                    null,
                    DidYouMean.Closest(name, key.FieldNames) is { } suggestion
                        ? $"unknown key '{path}.{name}' (did you mean '{suggestion}'?)"
                        : $"unknown key '{path}.{name}' (known keys: {string.Join(", ", key.FieldNames)})");
            }

            fields.Add(valueNode switch
            {
                _ when IsNull(valueNode) => new ConfigField(name, null, fieldOrigin),
                YamlScalarNode scalar => new ConfigField(name, scalar.Value ?? string.Empty, fieldOrigin),
                _ => throw new ConfigurationException(Origin(fileName, valueNode.Start), $"{path}.{name}", $"expected a single value, got {Describe(valueNode)}"),
            });
        }

        return fields;
    }

    private static string UnknownKey(string name, string section, ConfigSchema schema)
    {
        var path = section.Length == 0 ? name : $"{section}.{name}";
        var siblings = schema.ChildNames(section);
        var suggestion = DidYouMean.Closest(name, siblings) is { } sibling
            ? (section.Length == 0 ? sibling : $"{section}.{sibling}")
            : schema.AllPaths.FirstOrDefault(p => string.Equals(p[(p.LastIndexOf('.') + 1)..], name, StringComparison.OrdinalIgnoreCase));
        return suggestion is not null
            ? $"unknown key '{path}' (did you mean '{suggestion}'?)"
            : $"unknown key '{path}' (known keys{(section.Length == 0 ? string.Empty : $" in {section}")}: {string.Join(", ", siblings)})";
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Value: var value } => $"the value '{value}'",
        _ => "something else",
    };

    private static ConfigOrigin Origin(string fileName, Mark mark) => ConfigOrigin.File(fileName, checked((int)mark.Line));

    private static ConfigOrigin OriginWithColumn(string fileName, Mark mark) =>
        new($"{fileName}:{mark.Line}:{mark.Column}", checked((int)mark.Line));

    /// <summary>The line and column (from 1) of the first tab in the indentation of a line at or after <paramref name="fromLine"/>.</summary>
    private static (int Line, int Column)? FindIndentingTab(string text, long fromLine)
    {
        var lines = text.Split('\n');
        for (var i = (int)Math.Max(fromLine - 1, 0); i < lines.Length; i++)
        {
            var indentation = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indentation)
            {
                return (i + 1, tab + 1);
            }
        }

        return null;
    }

    private static string LineAt(string text, long line)
    {
        var lines = text.Split('\n');
        return line >= 1 && line <= lines.Length ? lines[line - 1] : string.Empty;
    }

    [GeneratedRegex(@"(^|[\s,\[-])\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]:[0-9]")]
    private static partial Regex UnquotedIPv6EndPoint();

    [GeneratedRegex(@"(^\s*-\s+|[\[,]\s*|:\s+)[|@]")]
    private static partial Regex UnquotedAdblockRule();

    [GeneratedRegex(@"(^\s*-\s+|[\[,{]\s*|:\s+)::")]
    private static partial Regex UnquotedLeadingColons();

    /// <summary>Passes the events through, remembering where the last one ended (for errors that come without a position).</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public Mark LastEnd { get; private set; } = Mark.Empty;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current)
            {
                LastEnd = current.End;
            }

            return moved;
        }
    }
}
