namespace Palisade.Server.Blocklists.Matching;

/// <summary>
/// The kinds of rule a listed domain carries, one bit each. The bit number is
/// <c>(important ? 4 : 0) + (allow ? 2 : 0) + (withSubdomains ? 1 : 0)</c>, so the four priority classes are
/// adjacent pairs (exact, then subtree) and the subtree kinds are the odd bits.
/// </summary>
[Flags]
internal enum RuleFlags : byte
{
    None = 0,
    ExactBlock = 1 << 0,
    SubtreeBlock = 1 << 1,
    ExactAllow = 1 << 2,
    SubtreeAllow = 1 << 3,
    ExactImportantBlock = 1 << 4,
    SubtreeImportantBlock = 1 << 5,
    ExactImportantAllow = 1 << 6,
    SubtreeImportantAllow = 1 << 7,

    /// <summary>The kinds that also match every name below the listed one.</summary>
    Subtree = SubtreeBlock | SubtreeAllow | SubtreeImportantBlock | SubtreeImportantAllow,

    Block = ExactBlock | SubtreeBlock,
    Allow = ExactAllow | SubtreeAllow,
    ImportantBlock = ExactImportantBlock | SubtreeImportantBlock,
    ImportantAllow = ExactImportantAllow | SubtreeImportantAllow,
}
