namespace Palisade.Tests.Commands;

/// <summary>
/// <c>palisade check</c> as a script uses it: exit 0 not blocked, 1 blocked, 2 for anything that is not an answer (a
/// name that is not a domain name, a usage mistake), and every reason a rule does or does not apply, with its line.
/// </summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-check-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("https://ads.example.com/banner", "is a URL", "palisade check ads.example.com")]
    [InlineData("ads example.com", "contains a space", "")]
    [InlineData("", "no name was given", "")]
    [InlineData("ads..example.com", "is not a domain name", "")]
    [InlineData("192.0.2.1", "is an IP address", "")]
    public void Check_NotADomainName_ExitCode2WithTheReason(string name, string reason, string hint)
    {
        var result = PalisadeProcess.Run("check", name, "--config", WriteConfig("blocking:\n  deny: [ads.example.com]\n"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Contains(hint, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("check", "a.example", "--no-such-option")]
    [InlineData("check", "a.example", "b.example")]
    public void Check_UsageError_ExitCode2(params string[] arguments)
    {
        var result = PalisadeProcess.Run(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.Error);
    }

    [Fact]
    public void Check_RuleCancelledByBadfilter_SaysWhichRuleInWhichListAndLine()
    {
        string ads = WriteFile("ads.txt", "# ads", "||linksprf.test^", "||other.test^");
        string fixes = WriteFile("fixes.txt", "! fixes", "! more", "||linksprf.test^$badfilter");
        string config = WriteConfig($"blocking:\n  lists: [\"{ads}\", \"{fixes}\"]\n");

        var result = PalisadeProcess.Run("check", "www.linksprf.test", "--config", config);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("www.linksprf.test: not listed", result.Output, StringComparison.Ordinal);
        Assert.Contains(
            $"block linksprf.test and its subdomains: list 'ads.txt' ({ads}), line 2: cancelled by `||linksprf.test^$badfilter` ($badfilter) in list 'fixes.txt' ({fixes}), line 3",
            result.Output,
            StringComparison.Ordinal);
        Assert.Equal(1, PalisadeProcess.Run("check", "other.test", "--config", config).ExitCode);
    }

    [Fact]
    public void Check_InlineAllow_CitesTheLineOfTheConfigFile()
    {
        string list = WriteFile("ads.txt", "||ads.test^");
        string config = WriteConfig($"# a home network\n\nblocking:\n  lists: [\"{list}\"]\n  allow:\n    - other.test\n    - ok.ads.test\n");

        var result = PalisadeProcess.Run("check", "ok.ads.test", "--config", config);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("ok.ads.test: allowed", result.Output, StringComparison.Ordinal);
        Assert.Contains($"allow ok.ads.test: list 'blocking.allow' ({config}), line 8", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ListThatCannotBeRead_NamesTheFullPathAndTheReason()
    {
        string missing = Path.Combine(_directory, "lists", "missing.txt");
        string config = WriteConfig($"blocking:\n  lists: [\"{missing}\"]\n  deny: [ads.test]\n");

        var result = PalisadeProcess.Run("check", "ads.test", "--config", config);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"list 'missing.txt' is not loaded: cannot read {missing}: No such file or directory (ENOENT)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NameUnderRebindingAllow_SaysSo()
    {
        string config = WriteConfig("blocking:\n  lists: []\n  deny: [ads.test]\nsecurity:\n  rebindingAllow: [home.arpa]\n");

        var covered = PalisadeProcess.Run("check", "nas.home.arpa", "--config", config);
        var other = PalisadeProcess.Run("check", "nas.example.test", "--config", config);

        Assert.Equal(0, covered.ExitCode);
        Assert.Contains("security.rebindingAllow: 'home.arpa' covers it", covered.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("rebindingAllow", other.Output, StringComparison.Ordinal);
    }

    private string WriteConfig(string text) => WriteFile("palisade.yml", $"dataDir: \"{_directory}/data\"\n" + text);

    private string WriteFile(string name, params string[] lines)
    {
        string path = Path.Combine(_directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }
}
