namespace Palisade.Fuzz.Tests;

/// <summary>
/// Every saved fuzz input through the same target code that afl-fuzz runs: the seed corpus (<c>fuzz/corpus/</c>) and
/// the crashers kept as regressions (<c>fuzz/regressions/</c>). A target throws only when an input shows a bug.
/// </summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string, string> SavedInputs => FuzzInputs.Files("corpus", "regressions");

    [Theory]
    [MemberData(nameof(SavedInputs))]
    public void Target_SavedInput_DoesNotFail(string target, string file)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(FuzzInputs.FuzzDirectory, file));
        FuzzTargets.All[target](input);
    }

    [Fact]
    public void Corpus_EveryTarget_HasSeeds()
    {
        foreach (string target in FuzzTargets.All.Keys)
        {
            string directory = Path.Combine(FuzzInputs.FuzzDirectory, "corpus", target);
            Assert.True(Directory.Exists(directory) && Directory.EnumerateFiles(directory).Any(), $"no seeds in {directory}");
        }
    }

    [Fact]
    public void Corpus_Total_StaysSmall()
    {
        long bytes = Directory.EnumerateFiles(Path.Combine(FuzzInputs.FuzzDirectory, "corpus"), "*", SearchOption.AllDirectories)
            .Sum(f => new FileInfo(f).Length);
        Assert.InRange(bytes, 1, 300_000);
    }
}
