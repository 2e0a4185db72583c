namespace Palisade.Fuzz.Tests;

/// <summary>The saved fuzz inputs: the seed corpus (<c>fuzz/corpus/TARGET/</c>) and the crashers kept as regressions (<c>fuzz/regressions/TARGET/</c>).</summary>
internal static class FuzzInputs
{
    /// <summary>The checkout's <c>fuzz/</c> folder, found by walking up from the test binaries.</summary>
    public static string FuzzDirectory { get; } = FindFuzzDirectory();

    /// <summary>
    /// Rows of (target, path relative to <c>fuzz/</c>) for every file directly in each of <paramref name="folders"/>/TARGET
    /// (not in subfolders such as <c>open/</c>), READMEs excepted.
    /// </summary>
    public static TheoryData<string, string> Files(params string[] folders)
    {
        var data = new TheoryData<string, string>();
        foreach (string folder in folders)
        {
            AddFiles(data, folder);
        }

        return data;
    }

    private static void AddFiles(TheoryData<string, string> data, string folder)
    {
        foreach (string target in FuzzTargets.All.Keys)
        {
            string directory = Path.Combine(FuzzDirectory, folder, target);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
            {
                if (!file.EndsWith(".md", StringComparison.Ordinal))
                {
                    data.Add(target, Path.GetRelativePath(FuzzDirectory, file));
                }
            }
        }
    }

    private static string FindFuzzDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "fuzz", "corpus");
            if (Directory.Exists(candidate))
            {
                return Path.Combine(directory.FullName, "fuzz");
            }
        }

        throw new DirectoryNotFoundException($"no fuzz/corpus above {AppContext.BaseDirectory}");
    }
}
