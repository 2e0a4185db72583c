using System.Text.RegularExpressions;
using Palisade.Server.Configuration;
using static Palisade.Server.Tests.Configuration.ConfigurationTestHelpers;

namespace Palisade.Server.Tests.Configuration;

public sealed partial class ExampleConfigTests
{
    private static readonly string ExamplePath = Path.Combine(FindRepositoryRoot(), "palisade.example.yml");

    [Fact]
    public void Example_LoadsAndIsTheDefaultsExceptTheSafeLocalListenUpstreamAndLists()
    {
        var options = ConfigurationLoader.Load(ExamplePath, NoEnvironment);

        Assert.Equal(["127.0.0.1:5354", "[::1]:5354"], options.Listen.Select(e => e.ToString()));
        Assert.Equal(["udp://127.0.0.1:5300"], options.Upstreams.Select(u => u.ToString()));
        Assert.Empty(options.Blocking.Lists);

        // Loaded from a file, the default dataDir is beside it (ConfigPaths).
        var defaults = new PalisadeOptions { DataDir = Path.Combine(Path.GetDirectoryName(ExamplePath)!, "data") };
        Assert.Equal(ExceptSafeLocalValues(defaults, options), options);
    }

    [Fact]
    public void Example_ShowsTheRealDefaultLists()
    {
        var text = File.ReadAllText(ExamplePath);
        Assert.All(BlockingOptions.DefaultLists, list => Assert.Contains(list.Source, text, StringComparison.Ordinal));
    }

    [Fact]
    public void Example_CommentedDefaults_AreValidAndAreTheRealDefaults()
    {
        // Uncomment every '#key: value' line: the result must still load and still be the defaults.
        var uncommented = CommentedSetting().Replace(File.ReadAllText(ExamplePath), "$1$2");
        Assert.NotEqual(File.ReadAllText(ExamplePath), uncommented);

        var options = ConfigurationLoader.LoadFromYaml(uncommented, "palisade.example.yml", NoEnvironment);

        // access.allow written out is the private networks; only the default, not written, adds this machine's networks.
        var defaults = new PalisadeOptions();
        Assert.Equal(defaults.Access.Allow, options.Access.Allow);
        Assert.False(options.Access.IsDefaultAllow);
        options = options with { Access = defaults.Access with { Action = options.Access.Action } };
        Assert.Equal(ExceptSafeLocalValues(defaults, options), options);
    }

    [Fact]
    public void Example_MentionsEveryKey()
    {
        var uncommented = CommentedSetting().Replace(File.ReadAllText(ExamplePath), "$1$2");
        var values = YamlConfigReader.Read(uncommented, "palisade.example.yml", ConfigSchema.Palisade);

        Assert.Equal(
            ConfigSchema.Palisade.Keys.Select(k => k.Path).Order(StringComparer.Ordinal),
            values.Select(v => v.Key).Order(StringComparer.Ordinal));
    }

    /// <summary>The defaults, with the values the example sets so that trying it out stays on this machine taken from <paramref name="example"/>.</summary>
    private static PalisadeOptions ExceptSafeLocalValues(PalisadeOptions defaults, PalisadeOptions example) =>
        defaults with
        {
            Listen = example.Listen,
            Upstreams = example.Upstreams,
            Blocking = defaults.Blocking with { Lists = example.Blocking.Lists },
        };

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Palisade.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Palisade.slnx above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^(\s*)#([a-zA-Z][a-zA-Z0-9]*:)", RegexOptions.Multiline)]
    private static partial Regex CommentedSetting();
}
