namespace Palisade.Server.Configuration;

/// <summary>Where a configuration value came from, as it is named in error messages.</summary>
/// <param name="Description"><c>palisade.yml:7</c>, <c>environment PALISADE__LISTEN__0</c> or <c>--listen</c>.</param>
/// <param name="Line">The line in the YAML file, for file values.</param>
/// <param name="NamesKey">True when <paramref name="Description"/> already says which key it is (a command-line option).</param>
internal sealed record ConfigOrigin(string Description, int? Line = null, bool NamesKey = false)
{
    public static ConfigOrigin File(string fileName, int line) => new($"{fileName}:{line}", line);

    public static ConfigOrigin Environment(string variable) => new($"environment {variable}");

    public static ConfigOrigin CommandLine(string option) => new(option, NamesKey: true);
}

/// <summary>One named scalar inside a mapping value (<c>source: https://...</c>), with its own origin.</summary>
/// <param name="Name">The sub-key as the schema spells it (<c>source</c>).</param>
/// <param name="Text">The value; null when it was given without one (<c>name:</c>).</param>
/// <param name="Origin">Its line in the file, its variable.</param>
internal sealed record ConfigField(string Name, string? Text, ConfigOrigin Origin);

/// <summary>
/// One element of a list value, with its own origin (its line in the file, its variable): a scalar
/// (<see cref="Text"/>) or, for keys whose items may be mappings, named fields (<see cref="Fields"/>).
/// </summary>
internal sealed record ConfigItem(string? Text, ConfigOrigin Origin, IReadOnlyList<ConfigField>? Fields = null);

/// <summary>
/// A value for one key, as read from a source and not yet parsed: a scalar (<see cref="Text"/>), a list
/// (<see cref="Items"/>) or, for keys that allow it, a mapping of named fields (<see cref="Fields"/>). All three are
/// null for a value that was given without one (<c>maxSize:</c>).
/// </summary>
internal sealed record ConfigValue(string Key, ConfigOrigin Origin, string? Text, IReadOnlyList<ConfigItem>? Items, IReadOnlyList<ConfigField>? Fields = null)
{
    public static ConfigValue Scalar(string key, ConfigOrigin origin, string? text) => new(key, origin, text, null);

    public static ConfigValue List(string key, ConfigOrigin origin, IReadOnlyList<ConfigItem> items) =>
        new(key, origin, null, items);

    public static ConfigValue Mapping(string key, ConfigOrigin origin, IReadOnlyList<ConfigField> fields) =>
        new(key, origin, null, null, fields);
}
