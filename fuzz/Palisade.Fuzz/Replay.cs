namespace Palisade.Fuzz;

/// <summary>Runs saved inputs through a target without afl-fuzz: to check a crash, or a corpus, by hand.</summary>
internal static class Replay
{
    public static int Run(string name, FuzzTarget target, string path)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [path];
        int failed = 0;
        foreach (string file in files)
        {
            try
            {
                target(File.ReadAllBytes(file));
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                failed++;
                Console.WriteLine($"FAIL {file}: {exception}");
            }
        }

        Console.WriteLine($"{name}: {files.Count - failed} of {files.Count} inputs passed");
        return failed == 0 ? 0 : 1;
    }
}
