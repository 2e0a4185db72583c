namespace Palisade.Server.Configuration;

/// <summary>
/// Parses a value that may be a scalar or a mapping of named fields, and applies nothing: it returns the parsed value
/// or throws a <see cref="ConfigurationException"/> made by <see cref="ConfigEntry.Error"/> or
/// <see cref="ConfigEntry.FieldError"/>, so that the message names the right line and sub-key.
/// </summary>
internal delegate T EntryParser<T>(ConfigEntry entry);

/// <summary>
/// A value as a parser of a mapping-capable key sees it: one list item (<c>blocking.lists[1]</c>) or a key's whole
/// value (<c>blocking.response</c>), written either as a scalar (<see cref="Text"/>) or as a mapping of fields.
/// </summary>
internal sealed class ConfigEntry
{
    private readonly IReadOnlyList<ConfigField>? _fields;

    private ConfigEntry(string key, string path, ConfigOrigin origin, string? text, IReadOnlyList<ConfigField>? fields)
    {
        Key = key;
        Path = path;
        Origin = origin;
        Text = text;
        _fields = fields;
    }

    /// <summary>The key (<c>blocking.lists</c>); problems with the entry as a whole are reported under it.</summary>
    public string Key { get; }

    /// <summary>The entry's own path (<c>blocking.lists[1]</c>, <c>blocking.response</c>); fields are named under it.</summary>
    public string Path { get; }

    /// <summary>Where the entry came from: its line (the start of the mapping), its variable.</summary>
    public ConfigOrigin Origin { get; }

    /// <summary>The scalar form's text; null for a mapping.</summary>
    public string? Text { get; }

    /// <summary>Whether the entry was written as a mapping of fields.</summary>
    public bool IsMapping => _fields is not null;

    /// <summary>A list item: its position in the list (from 0) is part of its <see cref="Path"/>, <c>blocking.lists[1]</c>.</summary>
    public static ConfigEntry ForItem(string key, int index, ConfigItem item) =>
        new(key, $"{key}[{index}]", item.Origin, item.Text, item.Fields);

    /// <summary>A key's whole value.</summary>
    public static ConfigEntry ForValue(ConfigValue value) =>
        new(value.Key, value.Key, value.Origin, value.Text, value.Fields);

    /// <summary>Whether the mapping has the field <paramref name="name"/> (with or without a value).</summary>
    public bool Has(string name) => FindField(name) is not null;

    /// <summary>The text of field <paramref name="name"/>; null when the entry is a scalar or has no such field.</summary>
    /// <exception cref="ConfigurationException">The field is there without a value.</exception>
    public string? Field(string name)
    {
        var field = FindField(name);
        if (field is null)
        {
            return null;
        }

        return field.Text ?? throw FieldError(name, "has no value (remove it to use the default)");
    }

    /// <summary>Field <paramref name="name"/> parsed with <paramref name="parse"/>, or <paramref name="fallback"/> when it is not there.</summary>
    /// <exception cref="ConfigurationException">The field has no value or is not valid.</exception>
    public T Field<T>(string name, ValueParser<T> parse, T fallback)
    {
        var text = Field(name);
        if (text is null)
        {
            return fallback;
        }

        return parse(text, out var value, out var error) ? value : throw FieldError(name, error);
    }

    /// <summary>
    /// A problem with the entry as a whole, reported at its origin: for a scalar under <see cref="Key"/>
    /// (<c>blocking.lists: 'ftp://...' ...</c>, like any list item), for a mapping under <see cref="Path"/>
    /// (<c>blocking.lists[1]: has no source</c>).
    /// </summary>
    public ConfigurationException Error(string problem) => new(Origin, IsMapping ? Path : Key, problem);

    /// <summary>A problem with one field, reported at the field's own origin under <c>path.field</c>.</summary>
    public ConfigurationException FieldError(string name, string problem) =>
        new(FindField(name)?.Origin ?? Origin, $"{Path}.{name}", problem);

    private ConfigField? FindField(string name) =>
        _fields?.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
