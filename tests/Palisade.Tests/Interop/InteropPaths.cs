namespace Palisade.Tests.Interop;

/// <summary>Where the interop kit finds its data: the source tree, found by walking up from the test binaries.</summary>
public static class InteropPaths
{
    /// <summary>The checkout's root: the nearest folder above <see cref="AppContext.BaseDirectory"/> holding Palisade.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>tests/Palisade.Tests/Interop/Zones in the source tree.</summary>
    public static string ZonesDirectory => Path.Combine(RepositoryRoot, "tests", "Palisade.Tests", "Interop", "Zones");

    /// <summary>The full path of a zone file in <see cref="ZonesDirectory"/>; throws when it is missing.</summary>
    public static string ZoneFile(string fileName)
    {
        string path = Path.Combine(ZonesDirectory, fileName);
        return File.Exists(path) ? path : throw new FileNotFoundException($"interop zone file {path} is missing", path);
    }

    /// <summary>palisade.dll beside the tests (the test project references src/Palisade).</summary>
    public static string PalisadeDll => Path.Combine(AppContext.BaseDirectory, "palisade.dll");

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Palisade.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no folder above {AppContext.BaseDirectory} holds Palisade.slnx; the interop tests read their zones from the source tree");
    }
}
