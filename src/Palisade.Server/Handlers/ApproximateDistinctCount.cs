namespace Palisade.Server.Handlers;

/// <summary>
/// About how many different values were added, in 128 bytes and without allocating: linear counting (Whang, Vander-Zanden
/// and Taylor, 1990) over a bitmap of 1,024 bits. A value sets the bit its hash picks; the estimate is
/// <c>-m ln(zero bits / m)</c>. Up to a few dozen values it is exact but for the rare collision, within a few per cent up
/// to a few thousand, and once every bit is set it says only "at least <see cref="Saturated"/>". Safe to add to from many
/// threads at once.
/// </summary>
internal sealed class ApproximateDistinctCount
{
    private const int Bits = 1024;

    private readonly ulong[] _words = new ulong[Bits / 64];

    /// <summary>What <see cref="TakeEstimate"/> returns when every bit is set: the count is at least this.</summary>
    public static int Saturated { get; } = (int)(Bits * Math.Log(Bits));

    /// <summary>Adds a value by its hash code (any spread; it is mixed here).</summary>
    public void Add(int hash)
    {
        // Fibonacci hashing: the top ten bits of the product spread hashes that differ only in low bits (IPv4 addresses
        // of one subnet) over the whole bitmap.
        uint bit = (uint)((ulong)(uint)hash * 0x9E3779B97F4A7C15UL >> (64 - 10));
        ulong mask = 1UL << (int)(bit & 63);
        ref ulong word = ref _words[bit >> 6];
        if ((Volatile.Read(ref word) & mask) == 0)
        {
            Interlocked.Or(ref word, mask);
        }
    }

    /// <summary>The estimate of the values added since the last call, and a fresh start.</summary>
    public int TakeEstimate()
    {
        int set = 0;
        for (int i = 0; i < _words.Length; i++)
        {
            set += System.Numerics.BitOperations.PopCount(Interlocked.Exchange(ref _words[i], 0));
        }

        if (set == Bits)
        {
            return Saturated;
        }

        return (int)Math.Round(-Bits * Math.Log((Bits - set) / (double)Bits));
    }
}
