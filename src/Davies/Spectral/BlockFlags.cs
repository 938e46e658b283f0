namespace Davies.Spectral;

/// <summary>
/// One bit per level block (row-major, [to · L + from]): whether a coupling's block is non-negligible. Packed 64 to a
/// word, so that the flags of every coupling of a non-degenerate spectrum (L = d) take d²/8 bytes each instead of d²
/// (n = 14: 32 MiB instead of 256 MiB per coupling). Bits are set atomically, so parallel writers may share a word.
/// </summary>
internal sealed class BlockFlags
{
    private readonly ulong[] _bits;

    public BlockFlags(long count)
    {
        Count = count;
        _bits = LinearAlgebra.LargeArrays.Zeroed<ulong>((count + 63) / 64);
    }

    /// <summary>Number of flags.</summary>
    public long Count { get; }

    public bool this[long index] => (_bits[index >> 6] & (1UL << (int)(index & 63))) != 0;

    /// <summary>Sets the flag (thread-safe).</summary>
    public void Set(long index) => Interlocked.Or(ref _bits[index >> 6], 1UL << (int)(index & 63));

    /// <summary>Sets the flags start + k for every bit k of <paramref name="bits"/> (thread-safe; one or two words).</summary>
    public void SetBits(long start, ulong bits)
    {
        if (bits == 0) return;
        int shift = (int)(start & 63);
        long word = start >> 6;
        Interlocked.Or(ref _bits[word], bits << shift);
        if (shift > 0 && bits >> (64 - shift) is var high && high != 0) Interlocked.Or(ref _bits[word + 1], high);
    }
}
