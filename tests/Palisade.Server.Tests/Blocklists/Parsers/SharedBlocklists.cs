namespace Palisade.Server.Tests.Blocklists.Parsers;

/// <summary>
/// Finds the real third-party lists in <c>../shared/data/blocklists</c> (next to the repository root, the folder
/// holding Palisade.slnx). Missing data fails the test with a clear message: these tests never skip silently.
/// </summary>
internal static class SharedBlocklists
{
    private static readonly Lazy<string> Root = new(LocateRoot);

    private static readonly Lazy<string> Folder = new(Locate);

    /// <summary>The folder holding Palisade.slnx.</summary>
    public static string RepositoryRoot => Root.Value;

    public static string PathOf(string fileName)
    {
        var path = Path.Combine(Folder.Value, fileName);
        Assert.True(File.Exists(path), $"The shared blocklist data is missing: {path} does not exist. See {Path.Combine(Folder.Value, "SOURCES.md")}.");
        return path;
    }

    /// <summary>The lines of a file, as SOURCES.md counts them (a final line without a newline counts too).</summary>
    public static string[] ReadLines(string fileName) => File.ReadAllLines(PathOf(fileName));

    private static string LocateRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Palisade.slnx")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            Assert.Fail($"The shared blocklist data is missing: no Palisade.slnx above {AppContext.BaseDirectory}, so ../shared/data/blocklists cannot be found.");
        }

        return directory.FullName;
    }

    private static string Locate()
    {
        var folder = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "blocklists"));
        Assert.True(
            File.Exists(Path.Combine(folder, "SOURCES.md")),
            $"The shared blocklist data is missing: expected the real lists and SOURCES.md in {folder} (../shared/data/blocklists from the repository root).");
        return folder;
    }
}
