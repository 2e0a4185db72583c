using System.Text;
using Palisade.Server.Configuration;

namespace Palisade.Fuzz.Targets;

/// <summary>
/// The YAML configuration loader on arbitrary text, decoded as <see cref="File.ReadAllText(string)"/> decodes a file:
/// a bad configuration is a <see cref="ConfigurationException"/> (one line) and nothing else; a good one can be
/// displayed.
/// </summary>
public static class ConfigTarget
{
    private static readonly Dictionary<string, string> NoEnvironment = new(StringComparer.Ordinal);

    /// <summary>The fuzz target: every exception but <see cref="ConfigurationException"/> comes out.</summary>
    public static void Run(ReadOnlySpan<byte> input)
    {
        string yaml;
        using (var stream = new MemoryStream(input.ToArray(), writable: false))
        using (var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            yaml = reader.ReadToEnd();
        }

        PalisadeOptions options;
        try
        {
            options = ConfigurationLoader.LoadFromYaml(yaml, "fuzz.yml", NoEnvironment);
        }
        catch (ConfigurationException exception)
        {
            if (string.IsNullOrEmpty(exception.Message) || exception.Message.Contains('\n', StringComparison.Ordinal))
            {
                throw new FuzzInvariantException($"a configuration error is not one line: '{exception.Message}'", exception);
            }

            return;
        }

        _ = ConfigurationFormatter.ToDisplayLines(options);
    }
}
