namespace Palisade.Server.Caching;

public sealed partial class ResponseCache
{
    /// <summary>One independently locked part of the cache. Every member but the size and count needs <see cref="Lock"/>.</summary>
    private sealed class Shard
    {
        private readonly Dictionary<byte[], CacheEntry> _entries;

        /// <summary>The ends of the LRU list: <c>Next</c> is the most recently used, <c>Previous</c> the least.</summary>
        private readonly CacheEntry _sentinel;

        private long _size;
        private int _count;

        public Shard(long capacity)
        {
            Capacity = capacity;
            _entries = new Dictionary<byte[], CacheEntry>(CacheKeyComparer.Instance);
            Entries = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
            _sentinel = new CacheEntry([], [], [], 0, 0, 0, 0, false, 0);
            _sentinel.Next = _sentinel;
            _sentinel.Previous = _sentinel;
        }

        public Lock Lock { get; } = new();

        public Dictionary<byte[], CacheEntry>.AlternateLookup<ReadOnlySpan<byte>> Entries { get; }

        public long Capacity { get; }

        public long Size => Volatile.Read(ref _size);

        public int Count => Volatile.Read(ref _count);

        /// <summary>Adds or replaces, evicting from the LRU end until it fits.</summary>
        public bool Add(CacheEntry entry, long now)
        {
            if (_entries.TryGetValue(entry.Key, out var existing))
            {
                // A SERVFAIL must not push out an answer that is still good to serve, fresh or stale.
                if (entry.IsServerFailure && !existing.IsServerFailure && now - existing.StoredAt < existing.StaleTicks)
                {
                    return false;
                }

                Remove(existing);
            }

            while (_size + entry.Size > Capacity && _sentinel.Previous != _sentinel)
            {
                Remove(_sentinel.Previous!);
            }

            _entries.Add(entry.Key, entry);
            Link(entry);
            Volatile.Write(ref _size, _size + entry.Size);
            Volatile.Write(ref _count, _count + 1);
            return true;
        }

        public void Remove(CacheEntry entry)
        {
            _entries.Remove(entry.Key);
            Unlink(entry);
            Volatile.Write(ref _size, _size - entry.Size);
            Volatile.Write(ref _count, _count - 1);
        }

        public void MoveToFront(CacheEntry entry)
        {
            if (_sentinel.Next != entry)
            {
                Unlink(entry);
                Link(entry);
            }
        }

        public void Clear()
        {
            _entries.Clear();
            _sentinel.Next = _sentinel;
            _sentinel.Previous = _sentinel;
            Volatile.Write(ref _size, 0);
            Volatile.Write(ref _count, 0);
        }

        private void Link(CacheEntry entry)
        {
            var first = _sentinel.Next!;
            entry.Previous = _sentinel;
            entry.Next = first;
            first.Previous = entry;
            _sentinel.Next = entry;
        }

        private static void Unlink(CacheEntry entry)
        {
            entry.Previous!.Next = entry.Next;
            entry.Next!.Previous = entry.Previous;
            entry.Previous = null;
            entry.Next = null;
        }
    }
}
