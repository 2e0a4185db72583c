using Palisade.TestSupport;

namespace Palisade.Server.Tests.Blocklists.Parsers;

/// <summary>
/// The real third-party lists, where <see cref="TestLists"/> finds them (<c>PALISADE_TEST_LISTS</c>, else
/// <c>../shared/data/blocklists</c> beside the checkout, else <c>tests/data/blocklists</c>). The tests that read them are
/// <see cref="RealListsFactAttribute"/>s, skipped with the command to run (<c>scripts/fetch-test-lists.sh</c>) when the
/// lists are not there.
/// </summary>
internal static class SharedBlocklists
{
    /// <summary>The folder holding Palisade.slnx.</summary>
    public static string RepositoryRoot => TestLists.RepositoryRoot;

    /// <summary>The folder the lists are read from.</summary>
    public static string Folder => TestLists.Folder;

    public static string PathOf(string fileName)
    {
        var path = Path.Combine(Folder, fileName);
        Assert.True(File.Exists(path), $"The real blocklist {path} is missing: run {TestLists.FetchCommand}, or set {TestLists.Variable} to a folder that has it.");
        return path;
    }

    /// <summary>The lines of a file, as SOURCES.md counts them (a final line without a newline counts too).</summary>
    public static string[] ReadLines(string fileName) => File.ReadAllLines(PathOf(fileName));
}
