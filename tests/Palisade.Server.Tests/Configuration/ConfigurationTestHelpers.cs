using Palisade.Server.Configuration;

namespace Palisade.Server.Tests.Configuration;

internal static class ConfigurationTestHelpers
{
    public static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    public static PalisadeOptions Load(string yaml, IReadOnlyDictionary<string, string>? environment = null, ConfigurationOverrides? overrides = null) =>
        ConfigurationLoader.LoadFromYaml(yaml, "palisade.yml", environment ?? NoEnvironment, overrides);

    public static ConfigurationException Error(string yaml, IReadOnlyDictionary<string, string>? environment = null, ConfigurationOverrides? overrides = null)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(yaml, environment, overrides));
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
        return e;
    }

    public static Dictionary<string, string> Env(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);
}
