using System.Text;

namespace Palisade.Tests.Interop;

/// <summary>
/// Compares a reply that went through palisade with the reply the authoritative server gave directly. Equal means: same
/// status, same TC flag, and answer and authority sections holding the same RRsets in the same order, where records within an
/// RRset may come in any order, owner names and names inside record data compare case-insensitively, and every TTL is at most
/// the original's (a cache counts TTLs down; it never raises them). The additional section is not compared.
/// </summary>
public static class DnsAnswerComparer
{
    /// <summary>Types whose record data is, or ends in, domain names, which compare case-insensitively.</summary>
    private static readonly HashSet<string> NameDataTypes = new(StringComparer.Ordinal) { "CNAME", "DNAME", "NS", "PTR", "MX", "SRV", "SOA" };

    /// <summary>The differences, one line each; empty when the replies are equivalent.</summary>
    public static IReadOnlyList<string> Differences(DigAnswer original, DigAnswer actual, bool compareAuthority = true)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(actual);
        var differences = new List<string>();
        if (original.Status != actual.Status)
        {
            differences.Add($"status: expected {original.Status}, got {actual.Status}");
        }

        if (original.Truncated != actual.Truncated)
        {
            differences.Add($"TC flag: expected {original.Truncated}, got {actual.Truncated}");
        }

        CompareSection("answer", original.Answer, actual.Answer, differences);
        if (compareAuthority)
        {
            CompareSection("authority", original.Authority, actual.Authority, differences);
        }

        return differences;
    }

    /// <summary>Fails the test, showing both replies, unless <paramref name="actual"/> is equivalent to <paramref name="original"/>.</summary>
    public static void AssertEquivalent(DigAnswer original, DigAnswer actual, bool compareAuthority = true)
    {
        IReadOnlyList<string> differences = Differences(original, actual, compareAuthority);
        if (differences.Count == 0)
        {
            return;
        }

        var message = new StringBuilder();
        message.Append("replies differ:\n  ").AppendJoin("\n  ", differences);
        message.Append("\n--- original ---\n").Append(original.Raw);
        message.Append("--- actual ---\n").Append(actual.Raw);
        Assert.Fail(message.ToString());
    }

    /// <summary>
    /// The RRsets of a section in order of first appearance, each as (owner, class, type) and the normalized data of its records.
    /// </summary>
    public static IReadOnlyList<(string Key, IReadOnlyList<DigRecord> Records)> RRsets(IEnumerable<DigRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var order = new List<string>();
        var sets = new Dictionary<string, List<DigRecord>>(StringComparer.Ordinal);
        foreach (DigRecord record in records)
        {
            string key = $"{record.Name.ToLowerInvariant()} {record.Class} {record.Type}";
            if (!sets.TryGetValue(key, out List<DigRecord>? set))
            {
                set = [];
                sets[key] = set;
                order.Add(key);
            }

            set.Add(record);
        }

        return [.. order.Select(key => (key, (IReadOnlyList<DigRecord>)sets[key]))];
    }

    /// <summary>The record's data as compared: lower-cased for types whose data holds domain names.</summary>
    public static string ComparableData(DigRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return NameDataTypes.Contains(record.Type) ? record.Data.ToLowerInvariant() : record.Data;
    }

    private static void CompareSection(string section, IReadOnlyList<DigRecord> original, IReadOnlyList<DigRecord> actual, List<string> differences)
    {
        var originalSets = RRsets(original);
        var actualSets = RRsets(actual);
        var originalKeys = originalSets.Select(s => s.Key).ToList();
        var actualKeys = actualSets.Select(s => s.Key).ToList();
        if (!originalKeys.SequenceEqual(actualKeys))
        {
            differences.Add($"{section} RRsets: expected [{string.Join(", ", originalKeys)}], got [{string.Join(", ", actualKeys)}]");
            return;
        }

        for (int i = 0; i < originalSets.Count; i++)
        {
            var expectedData = originalSets[i].Records.Select(ComparableData).Order(StringComparer.Ordinal).ToList();
            var actualData = actualSets[i].Records.Select(ComparableData).Order(StringComparer.Ordinal).ToList();
            if (!expectedData.SequenceEqual(actualData))
            {
                differences.Add($"{section} {originalSets[i].Key}: expected {{{string.Join(" | ", expectedData)}}}, got {{{string.Join(" | ", actualData)}}}");
            }

            uint maximum = originalSets[i].Records.Max(r => r.Ttl);
            foreach (DigRecord record in actualSets[i].Records.Where(r => r.Ttl > maximum))
            {
                differences.Add($"{section} {originalSets[i].Key}: TTL {record.Ttl} is above the original {maximum}");
            }
        }
    }
}
