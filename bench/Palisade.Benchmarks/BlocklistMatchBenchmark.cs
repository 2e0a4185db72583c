using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Palisade.Server.Blocklists.Matching;
using Palisade.Server.Blocklists.Parsers;

namespace Palisade.Benchmarks;

/// <summary>
/// Blocklist lookups in a matcher of 1 000 000 synthetic domains of about 24 characters (each blocking its
/// subdomains too), with the query name in lower-case wire form as the server has it. Must allocate nothing. The
/// setup logs how long the build took and how much memory the matcher keeps.
/// </summary>
[MemoryDiagnoser]
public class BlocklistMatchBenchmark
{
    private const int DomainCount = 1_000_000;

    private static readonly string[] Tlds = ["com", "net", "org", "io", "de", "co.uk", "info"];

    private BlocklistMatcher _matcher = BlocklistMatcher.Empty;
    private byte[] _listed = [];
    private byte[] _belowListed = [];
    private byte[] _miss = [];
    private byte[] _missDeep = [];
    private string _belowListedText = "";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var rules = new BlocklistRule[DomainCount];
        for (int i = 0; i < DomainCount; i++)
        {
            rules[i] = new BlocklistRule(SyntheticDomain(random, i), RuleMatch.WithSubdomains, RuleAction.Block, false, i + 1);
        }

        long before = GC.GetTotalMemory(forceFullCollection: true);
        var stopwatch = Stopwatch.StartNew();
        var builder = new BlocklistMatcherBuilder(DomainCount);
        foreach (var rule in rules)
        {
            builder.Add(rule, 0);
        }

        _matcher = builder.Build();
        stopwatch.Stop();
        long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        Console.WriteLine(
            $"// Built {_matcher.DomainCount:N0} domains in {stopwatch.ElapsedMilliseconds} ms; retained {retained:N0} bytes " +
            $"({(double)retained / DomainCount:F1} a name); ApproximateBytes {(double)_matcher.ApproximateBytes / DomainCount:F1} a name");

        string listed = rules[DomainCount / 2].Domain;
        _listed = Wire(listed);
        _belowListedText = "a.b.c.d.e." + listed;
        _belowListed = Wire(_belowListedText);
        _miss = Wire("qwzxkjv98765.nothere.com");
        _missDeep = Wire("a.b.c.d.e.qwzxkjv98765.nothere.com");

        if (!HitExact() || !HitViaParent() || Miss() || MissDeep() || !HitViaParentText())
        {
            throw new InvalidOperationException("The lookups do not find what they should.");
        }
    }

    /// <summary>A listed name itself: one probe, a hit.</summary>
    [Benchmark(Baseline = true)]
    public bool HitExact() => _matcher.Match(_listed).IsBlocked;

    /// <summary>Five labels below a listed name: five misses, then the hit, then its parents.</summary>
    [Benchmark]
    public bool HitViaParent() => _matcher.Match(_belowListed).IsBlocked;

    /// <summary>An unlisted three-label name: three misses.</summary>
    [Benchmark]
    public bool Miss() => _matcher.Match(_miss).IsBlocked;

    /// <summary>An unlisted eight-label name: eight misses.</summary>
    [Benchmark]
    public bool MissDeep() => _matcher.Match(_missDeep).IsBlocked;

    /// <summary>The dotted-text path (<c>palisade check</c>): conversion to wire form, then as HitViaParent.</summary>
    [Benchmark]
    public bool HitViaParentText() => _matcher.Match(_belowListedText.AsSpan()).IsBlocked;

    private static byte[] Wire(string name)
    {
        var wire = new List<byte>();
        foreach (string label in name.Split('.'))
        {
            wire.Add((byte)label.Length);
            wire.AddRange(label.Select(c => (byte)c));
        }

        wire.Add(0);
        return [.. wire];
    }

    /// <summary>Letters, the index (for uniqueness), a second label, a TLD: about 24 characters.</summary>
    private static string SyntheticDomain(Random random, int index)
    {
        var text = new System.Text.StringBuilder(32);
        for (int i = random.Next(4, 10); i > 0; i--)
        {
            text.Append((char)('a' + random.Next(26)));
        }

        text.Append(index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('.');
        for (int i = random.Next(5, 10); i > 0; i--)
        {
            text.Append((char)('a' + random.Next(26)));
        }

        return text.Append('.').Append(Tlds[random.Next(Tlds.Length)]).ToString();
    }
}
