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

/// <summary>One element of a list value, with its own origin (its line in the file, its variable).</summary>
internal sealed record ConfigItem(string Text, ConfigOrigin Origin);

/// <summary>
/// A value for one key, as read from a source and not yet parsed: either a scalar (<see cref="Text"/>) or a list
/// (<see cref="Items"/>). <see cref="Text"/> is null for a value that was given without one (<c>maxSize:</c>).
/// </summary>
internal sealed record ConfigValue(string Key, ConfigOrigin Origin, string? Text, IReadOnlyList<ConfigItem>? Items)
{
    public static ConfigValue Scalar(string key, ConfigOrigin origin, string? text) => new(key, origin, text, null);

    public static ConfigValue List(string key, ConfigOrigin origin, IReadOnlyList<ConfigItem> items) =>
        new(key, origin, null, items);
}
