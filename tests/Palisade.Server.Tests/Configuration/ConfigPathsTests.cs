using Palisade.Server.Configuration;
using static Palisade.Server.Tests.Configuration.ConfigurationTestHelpers;

namespace Palisade.Server.Tests.Configuration;

/// <summary>Issue 13 point 2: relative paths in the file are relative to the file's folder, not the working directory.</summary>
public sealed class ConfigPathsTests : IDisposable
{
    private const string EveryPathKey = """
        httpsListen: ["127.0.0.1:8443"]
        tls:
          certificate: tls/cert.pem
          privateKey: ./tls/key.pem
        dataDir: ./data
        blocking:
          lists:
            - lists/ads.txt
            - { source: ../shared/more.txt, name: more }
            - https://lists.example/hosts
            - /srv/lists/absolute.txt
          allowLists: [lists/allow.txt]
          cacheDir: cache
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-paths-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void LoadFromYaml_RelativePathsInTheFile_AreResolvedAgainstTheBaseDirectory()
    {
        var options = ConfigurationLoader.LoadFromYaml(EveryPathKey, "p.yml", NoEnvironment, baseDirectory: "/etc/palisade");

        Assert.Equal("/etc/palisade/tls/cert.pem", options.Tls.Certificate);
        Assert.Equal("/etc/palisade/tls/key.pem", options.Tls.PrivateKey);
        Assert.Equal("/etc/palisade/data", options.DataDir);
        Assert.Equal(
            ["/etc/palisade/lists/ads.txt", "/etc/shared/more.txt", "https://lists.example/hosts", "/srv/lists/absolute.txt"],
            options.Blocking.Lists.Select(l => l.Source));
        Assert.Equal(["ads.txt", "more", "lists.example/hosts", "absolute.txt"], options.Blocking.Lists.Select(l => l.Name));
        Assert.Equal(["/etc/palisade/lists/allow.txt"], options.Blocking.AllowLists.Select(l => l.Source));
        Assert.Equal("/etc/palisade/cache", options.BlocklistCacheDir);
    }

    [Fact]
    public void Resolve_EveryPathKey_IsCovered()
    {
        // A path key added to the schema but not to ConfigPaths.Keys would stay relative to the working directory.
        var pathKeys = ConfigSchema.Palisade.Keys.Select(k => k.Path)
            .Where(p => p.EndsWith("Dir", StringComparison.Ordinal) || p.StartsWith("tls.", StringComparison.Ordinal) || p.EndsWith("Lists", StringComparison.Ordinal) || p == "blocking.lists");
        Assert.Equal(pathKeys.Order(), ConfigPaths.Keys.Order());
    }

    [Fact]
    public void LoadFromYaml_NoDataDirInTheFile_PutsTheDefaultBesideTheFile()
    {
        var options = ConfigurationLoader.LoadFromYaml("log:\n  level: info\n", "p.yml", NoEnvironment, baseDirectory: "/etc/palisade");

        Assert.Equal("/etc/palisade/data", options.DataDir);
        Assert.Equal("/etc/palisade/data/lists", options.BlocklistCacheDir);
    }

    [Fact]
    public void LoadFromYaml_PathsFromTheEnvironment_StayRelativeToTheWorkingDirectory()
    {
        var environment = Env(("PALISADE__DATADIR", "./state"), ("PALISADE__BLOCKING__LISTS__0", "lists/env.txt"));

        var options = ConfigurationLoader.LoadFromYaml(EveryPathKey, "p.yml", environment, baseDirectory: "/etc/palisade");

        Assert.Equal("./state", options.DataDir);
        Assert.Equal(["lists/env.txt"], options.Blocking.Lists.Select(l => l.Source));
        Assert.Equal("/etc/palisade/cache", options.BlocklistCacheDir);
    }

    [Fact]
    public void Load_NoFile_KeepsTheDefaultDataDirInTheWorkingDirectory()
    {
        var options = ConfigurationLoader.Load(null, NoEnvironment);

        Assert.Equal("./data", options.DataDir);
    }

    [Fact]
    public void Load_ARealFile_ResolvesAgainstItsFolderWhateverTheWorkingDirectory()
    {
        var file = Path.Combine(_directory, "p.yml");
        File.WriteAllText(file, "dataDir: ./data\nblocking:\n  lists: [lists/ads.txt]\n");

        var options = ConfigurationLoader.Load(Path.GetRelativePath(Directory.GetCurrentDirectory(), file), NoEnvironment);

        Assert.Equal(Path.Combine(_directory, "data"), options.DataDir);
        Assert.Equal([Path.Combine(_directory, "lists", "ads.txt")], options.Blocking.Lists.Select(l => l.Source));
    }

    [Fact]
    public void LoadFromYaml_NoBaseDirectory_LeavesPathsAsWritten()
    {
        var options = Load("dataDir: ./data\nblocking:\n  lists: [lists/ads.txt]\n");

        Assert.Equal("./data", options.DataDir);
        Assert.Equal(["lists/ads.txt"], options.Blocking.Lists.Select(l => l.Source));
    }
}
