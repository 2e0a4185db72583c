namespace Palisade.Server.Transport.Upstreams;

/// <summary>
/// Whether a UDP upstream echoes the letter case of the query's name, as DNS 0x20 needs. Until it has answered
/// <see cref="MismatchesBeforeExempt"/> times in a row with the right ID and question but another letter case (and no
/// case-exact answer in between), queries to it are case-randomised; after that it is exempt for good. Thread-safe.
/// </summary>
public sealed class CaseEchoDetector
{
    public const int MismatchesBeforeExempt = 3;

    private int _consecutiveMismatches;
    private int _exempt;
    private int _reported;

    /// <summary>Is the case of queries to this upstream randomised (it has not been found not to echo it)?</summary>
    public bool Randomizes => Volatile.Read(ref _exempt) == 0;

    /// <summary>Records an answer that echoed the query's case exactly.</summary>
    public void RecordEcho() => Interlocked.Exchange(ref _consecutiveMismatches, 0);

    /// <summary>Records an exchange that got only answers in another letter case; true when this exempts the upstream.</summary>
    public bool RecordMismatch() =>
        Interlocked.Increment(ref _consecutiveMismatches) >= MismatchesBeforeExempt &&
        Interlocked.CompareExchange(ref _exempt, 1, 0) == 0;

    /// <summary>True once, after the upstream has been exempted: whether the warning about it is still to be logged.</summary>
    public bool TryMarkReported() => !Randomizes && Interlocked.Exchange(ref _reported, 1) == 0;
}
