namespace Palisade.Server.Configuration;

/// <summary>
/// The configuration cannot be used. <see cref="Exception.Message"/> is one line naming where the bad value came from
/// (<c>palisade.yml:7</c>, <c>environment PALISADE__CACHE__MAXSIZE</c>, <c>--listen</c>), the key and what is wrong, e.g.
/// <c>palisade.yml:7: cache.maxSize: '20XB' is not a size (use e.g. 200MB, 64MiB or 0)</c>.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException()
        : base("the configuration is not valid")
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ConfigurationException(ConfigOrigin origin, string? key, string problem, Exception? innerException = null)
        : base(Compose(origin, key, problem), innerException)
    {
        Origin = origin.Description;
        Line = origin.Line;
        Key = key;
    }

    /// <summary>Where the bad value came from (<c>palisade.yml:7</c>, <c>environment PALISADE__LISTEN__0</c>, <c>--listen</c>), when known.</summary>
    public string? Origin { get; }

    /// <summary>The line in the YAML file, for values that came from the file.</summary>
    public int? Line { get; }

    /// <summary>The key path (<c>cache.maxSize</c>), when the problem is about one key.</summary>
    public string? Key { get; }

    private static string Compose(ConfigOrigin origin, string? key, string problem)
    {
        var text = key is null || origin.NamesKey
            ? $"{origin.Description}: {problem}"
            : $"{origin.Description}: {key}: {problem}";
        // One line, whatever the inner text (YamlDotNet messages, file system errors) looked like.
        return text.ReplaceLineEndings(" ");
    }
}
