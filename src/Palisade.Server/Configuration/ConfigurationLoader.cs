using System.Collections;

namespace Palisade.Server.Configuration;

/// <summary>
/// Builds <see cref="PalisadeOptions"/> from, in this order, the defaults, an optional YAML file, the environment
/// (<c>PALISADE__CACHE__MAXSIZE=64MB</c>) and command-line overrides, and validates the result. Every problem is a
/// <see cref="ConfigurationException"/> whose message is one line naming the source, line, key and what is wrong.
/// </summary>
public static class ConfigurationLoader
{
    /// <summary>The prefix of the environment variables that are read: <c>PALISADE__</c>.</summary>
    public const string EnvironmentPrefix = EnvironmentConfigReader.Prefix;

    /// <summary>Loads from <paramref name="configPath"/> (when not null), this process's environment and <paramref name="overrides"/>.</summary>
    /// <exception cref="ConfigurationException">The configuration is not valid or the file cannot be read.</exception>
    public static PalisadeOptions Load(string? configPath, ConfigurationOverrides? overrides = null) =>
        Load(configPath, ReadProcessEnvironment(), overrides);

    /// <summary>Loads from <paramref name="configPath"/> (when not null), <paramref name="environment"/> and <paramref name="overrides"/>.</summary>
    /// <exception cref="ConfigurationException">The configuration is not valid or the file cannot be read.</exception>
    public static PalisadeOptions Load(string? configPath, IReadOnlyDictionary<string, string> environment, ConfigurationOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (configPath is null)
        {
            return Build([], environment, overrides, baseDirectory: null);
        }

        string yaml;
        try
        {
            yaml = File.ReadAllText(configPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigurationException(new ConfigOrigin(configPath), null, "the configuration file does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigurationException(new ConfigOrigin(configPath), null, $"the configuration file cannot be read: {e.Message}", e);
        }

        // Relative paths in the file are relative to the file's folder (ConfigPaths).
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? Directory.GetCurrentDirectory();
        return LoadFromYaml(yaml, configPath, environment, overrides, baseDirectory);
    }

    /// <summary>
    /// Loads from YAML text, naming it <paramref name="fileName"/> in error messages, then <paramref name="environment"/>
    /// and <paramref name="overrides"/>.
    /// </summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="fileName">How the file is named in error messages.</param>
    /// <param name="environment">The <c>PALISADE__</c> variables.</param>
    /// <param name="overrides">The command-line options.</param>
    /// <param name="baseDirectory">
    /// The folder relative paths in the file (and the default <c>dataDir</c>) are resolved against, normally the file's
    /// own; null leaves every path as written.
    /// </param>
    /// <exception cref="ConfigurationException">The configuration is not valid.</exception>
    public static PalisadeOptions LoadFromYaml(
        string yaml,
        string fileName,
        IReadOnlyDictionary<string, string> environment,
        ConfigurationOverrides? overrides = null,
        string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(environment);
        return Build(YamlConfigReader.Read(yaml, fileName, ConfigSchema.Palisade), environment, overrides, baseDirectory);
    }

    /// <summary>The <c>PALISADE__</c> variables of this process.</summary>
    public static IReadOnlyDictionary<string, string> ReadProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                result[name] = entry.Value as string ?? string.Empty;
            }
        }

        return result;
    }

    private static PalisadeOptions Build(IReadOnlyList<ConfigValue> fileValues, IReadOnlyDictionary<string, string> environment, ConfigurationOverrides? overrides, string? baseDirectory)
    {
        var schema = ConfigSchema.Palisade;
        var environmentValues = EnvironmentConfigReader.Read(environment, schema);
        var commandLineValues = CommandLineValues(overrides ?? ConfigurationOverrides.None);

        var options = new PalisadeOptions();
        var origins = new Dictionary<string, ConfigOrigin>(StringComparer.Ordinal);
        foreach (var value in fileValues.Concat(environmentValues).Concat(commandLineValues))
        {
            var key = schema.Find(value.Key) ?? throw new InvalidOperationException($"no key '{value.Key}' in the schema");
            options = key.Apply(options, value);
            origins[value.Key] = value.Origin;
        }

        foreach (var rule in schema.Rules)
        {
            if (rule.Check(options) is { } problem)
            {
                var origin = origins.GetValueOrDefault(rule.Key)
                    ?? rule.RelatedKeys.Select(origins.GetValueOrDefault).FirstOrDefault(o => o is not null)
                    ?? new ConfigOrigin("configuration");
                throw new ConfigurationException(origin, rule.Key, problem);
            }
        }

        // After the checks, which quote the values as written.
        return baseDirectory is null
            ? options
            : ConfigPaths.Resolve(options, baseDirectory, key => origins.TryGetValue(key, out var origin) ? origin.Line is not null : null);
    }

    private static IEnumerable<ConfigValue> CommandLineValues(ConfigurationOverrides overrides)
    {
        if (overrides.Listen is { Count: > 0 } listen)
        {
            yield return FromOption("listen", "--listen", listen);
        }

        if (overrides.Upstreams is { Count: > 0 } upstreams)
        {
            yield return FromOption("upstreams", "--upstream", upstreams);
        }

        static ConfigValue FromOption(string key, string option, IReadOnlyList<string> texts)
        {
            var origin = ConfigOrigin.CommandLine(option);
            return ConfigValue.List(key, origin, texts.Select(t => new ConfigItem(t, origin)).ToList());
        }
    }
}
