namespace Davies.LinearAlgebra;

/// <summary>
/// Reuse of large scratch arrays of recurring exact lengths (the block matrices of large Bohr sectors, their weighted
/// Hermitian parts and Cholesky copies, built and dropped one block after another in the spectrum's sector loop): a
/// fresh 16 MiB array costs its page faults on first touch (~3 s/GiB here, docs/benchmarks.md), which dominated that
/// loop. At most <see cref="PerLength"/> arrays per type and length, and <see cref="MaxBytes"/> in all, are kept; a
/// rented array has arbitrary contents.
/// </summary>
internal static class ScratchPool
{
    private const int PerLength = 2;
    private const long MaxBytes = 256L << 20;
    private const long MinBytes = 1L << 20;
    private static readonly Dictionary<(Type, long), Stack<Array>> Free = [];
    private static long _kept;

    /// <summary>An array of exactly <paramref name="length"/> elements, contents arbitrary.</summary>
    public static unsafe T[] Rent<T>(long length) where T : unmanaged
    {
        if (length * sizeof(T) >= MinBytes)
            lock (Free)
                if (Free.TryGetValue((typeof(T), length), out var stack) && stack.Count > 0)
                {
                    _kept -= length * sizeof(T);
                    return (T[])stack.Pop();
                }
        return GC.AllocateUninitializedArray<T>(checked((int)length));
    }

    /// <summary>A zeroed array of exactly <paramref name="length"/> elements.</summary>
    public static T[] RentZeroed<T>(long length) where T : unmanaged
    {
        var a = Rent<T>(length);
        Array.Clear(a);
        return a;
    }

    /// <summary>Drops every kept array (the end of a spectrum: nothing is held beyond the computation).</summary>
    public static void Clear()
    {
        lock (Free)
        {
            Free.Clear();
            _kept = 0;
        }
    }

    /// <summary>Hands <paramref name="array"/> back; the caller must not use it (or a matrix over it) afterwards.</summary>
    public static unsafe void Return<T>(T[] array) where T : unmanaged
    {
        long bytes = (long)array.Length * sizeof(T);
        if (bytes < MinBytes) return;
        lock (Free)
        {
            if (_kept + bytes > MaxBytes) return;
            if (!Free.TryGetValue((typeof(T), array.LongLength), out var stack)) Free[(typeof(T), array.LongLength)] = stack = new Stack<Array>();
            if (stack.Count >= PerLength) return;
            stack.Push(array);
            _kept += bytes;
        }
    }
}
