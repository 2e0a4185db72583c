namespace Palisade.TestSupport;

/// <summary>
/// Where the real third-party blocklists the tests read are, by the rule <c>scripts/fetch-test-lists.sh</c> writes them
/// by: <c>PALISADE_TEST_LISTS</c> (absolute, or relative to the repository root) when set; else
/// <c>../shared/data/blocklists</c> beside the checkout when it exists; else <c>tests/data/blocklists</c>. One file,
/// linked into each test project that needs it.
/// </summary>
internal static class TestLists
{
    public const string Variable = "PALISADE_TEST_LISTS";

    public const string FetchCommand = "scripts/fetch-test-lists.sh";

    /// <summary>Every list the script fetches (see SOURCES.md beside the shared copy).</summary>
    public static readonly IReadOnlyList<string> Files =
    [
        "hagezi-hosts-light.txt",
        "hagezi-hosts-light-compressed.txt",
        "hagezi-domains-light.txt",
        "hagezi-wildcard-pro-onlydomains.txt",
        "hagezi-wildcard-multi.txt",
        "hagezi-adblock-multi.txt",
        "hagezi-adblock-pro.mini.txt",
        "hagezi-adblock-light.txt",
        "stevenblack-unified-trimmed-domains.txt",
        "adguard-dns-filter-without-privacy.txt",
    ];

    private static readonly Lazy<string> Root = new(LocateRoot);

    private static readonly Lazy<string> FolderPath = new(() => Locate(Environment.GetEnvironmentVariable(Variable)));

    /// <summary>The folder holding Palisade.slnx.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The folder the lists are read from (whether or not they are there).</summary>
    public static string Folder => FolderPath.Value;

    /// <summary>Why the real-list tests cannot run (a list is missing, and the command that fetches it), or null when they can.</summary>
    public static string? Unavailable =>
        Files.FirstOrDefault(f => !File.Exists(Path.Combine(Folder, f))) is { } missing
            ? $"the real blocklists are not in {Folder} ({missing} is missing): run {FetchCommand}, or set {Variable} to a folder that has them"
            : null;

    /// <summary>The folder for a given value of <see cref="Variable"/> (null: not set).</summary>
    public static string Locate(string? variable)
    {
        if (!string.IsNullOrEmpty(variable))
        {
            return Path.GetFullPath(variable, RepositoryRoot);
        }

        string shared = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "blocklists"));
        return Directory.Exists(shared) ? shared : Path.Combine(RepositoryRoot, "tests", "data", "blocklists");
    }

    private static string LocateRoot()
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
}
