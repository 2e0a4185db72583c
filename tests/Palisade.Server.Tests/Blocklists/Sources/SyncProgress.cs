namespace Palisade.Server.Tests.Blocklists.Sources;

/// <summary>Records progress reports as they happen (no synchronisation context), and says when the first arrives.</summary>
internal sealed class SyncProgress : IProgress<long>
{
    private readonly Lock _lock = new();
    private readonly List<long> _values = [];
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<long> Values
    {
        get
        {
            lock (_lock)
            {
                return [.. _values];
            }
        }
    }

    public Task First => _first.Task;

    public void Report(long value)
    {
        lock (_lock)
        {
            _values.Add(value);
        }

        _first.TrySetResult();
    }
}
