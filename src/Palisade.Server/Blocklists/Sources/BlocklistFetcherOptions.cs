namespace Palisade.Server.Blocklists.Sources;

/// <summary>Limits for downloading blocklists.</summary>
public sealed record BlocklistFetcherOptions
{
    /// <summary>The defaults: 60 s in all, 20 s without data, 64 MiB, keep at least half the rules.</summary>
    public static BlocklistFetcherOptions Default { get; } = new();

    /// <summary>The longest a whole download (headers and body) may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest to wait for the response headers or for the next bytes of the body.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The largest list accepted, in bytes; a larger body is refused.</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// A new copy with fewer rules than this fraction of the last good copy's is refused as suspicious (a list that
    /// lost most of its entries is more likely broken than cleaned up).
    /// </summary>
    public double MinimumRetainedFraction { get; init; } = 0.5;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxBytes, 0, nameof(MaxBytes));
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "The timeout must be positive (or infinite).");
        }

        if (StallTimeout <= TimeSpan.Zero && StallTimeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(StallTimeout), StallTimeout, "The stall timeout must be positive (or infinite).");
        }

        if (MinimumRetainedFraction is < 0 or > 1 || double.IsNaN(MinimumRetainedFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumRetainedFraction), MinimumRetainedFraction, "The fraction must be between 0 and 1.");
        }
    }
}
