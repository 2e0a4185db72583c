using System.CommandLine;
using Palisade.Server.Configuration;

namespace Palisade.Commands;

/// <summary>The <c>--config</c> option every command shares, and loading it with one-line errors.</summary>
internal static class ConfigOption
{
    public static Option<FileInfo?> Create() => new("--config", "-c")
    {
        Description = "The YAML configuration file (see palisade.example.yml). Without it, the built-in defaults apply.",
    };

    /// <summary>Loads the configuration; on a mistake, writes one line to <paramref name="error"/> and returns null.</summary>
    public static PalisadeOptions? TryLoad(FileInfo? file, ConfigurationOverrides overrides, TextWriter error)
    {
        var options = TryLoad(file, overrides, out string? problem);
        if (options is null)
        {
            error.WriteLine($"palisade: {problem}");
        }

        return options;
    }

    /// <summary>
    /// Loads the configuration; on a mistake, returns null and the one-line reason (file, line, key: what is wrong), the
    /// text every command prints after <c>palisade: </c>.
    /// </summary>
    public static PalisadeOptions? TryLoad(FileInfo? file, ConfigurationOverrides overrides, out string? problem)
    {
        try
        {
            problem = null;
            return ConfigurationLoader.Load(file?.FullName, overrides);
        }
        catch (ConfigurationException exception)
        {
            problem = exception.Message;
            return null;
        }
    }
}
