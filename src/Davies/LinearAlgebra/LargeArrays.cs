using System.Runtime.InteropServices;

namespace Davies.LinearAlgebra;

/// <summary>
/// Allocation of the d²-sized arrays (couplings in the eigenbasis, Pauli matrices, id tables, sector bounds).
/// On Linux, arrays of 4 MiB and more are pinned and advised to use transparent huge pages (madvise
/// MADV_HUGEPAGE) before they are first touched: the kernel then maps fresh memory 2 MiB at a time instead of
/// 4 KiB: page faults on fresh memory are what a first touch costs (measured in docs/benchmarks.md), and
/// huge pages also spare the TLB on the random reads of the Bohr-sector passes. Elsewhere, or when the call is
/// refused, it is a plain array.
/// </summary>
internal static unsafe partial class LargeArrays
{
    private const long AdviseBytes = 4L << 20;
    private const nuint HugePage = 2u << 20;
    private const int MadvHugePage = 14;
    private static volatile bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>A zeroed array of <paramref name="length"/> elements.</summary>
    public static T[] Zeroed<T>(long length) where T : unmanaged
    {
        if (_unavailable || length * sizeof(T) < AdviseBytes) return new T[length];
        var a = Advised<T>(length);
        Clear(a);
        return a;
    }

    /// <summary>A copy of <paramref name="source"/> in a new (advised) array.</summary>
    public static T[] Copy<T>(T[] source) where T : unmanaged
    {
        var a = _unavailable || (long)source.Length * sizeof(T) < AdviseBytes ? new T[source.Length] : Advised<T>(source.Length);
        Array.Copy(source, a, source.Length);
        return a;
    }

    // A pinned, uninitialised array whose 2 MiB-aligned interior is advised to use huge pages before first touch.
    private static T[] Advised<T>(long length) where T : unmanaged
    {
        var a = GC.AllocateUninitializedArray<T>(checked((int)length), pinned: true);
        fixed (T* p = a)
        {
            nuint start = ((nuint)p + HugePage - 1) & ~(HugePage - 1);
            nuint end = ((nuint)p + (nuint)(length * sizeof(T))) & ~(HugePage - 1);
            if (end > start)
            {
                try { _ = Madvise((void*)start, end - start, MadvHugePage); }
                catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { _unavailable = true; }
            }
        }
        return a;
    }

    /// <summary>
    /// Zeroes <paramref name="a"/> in parallel 8 MiB chunks (the first touch of fresh pages dominates, and page faults
    /// proceed in parallel; a reused array is cleared at memory bandwidth).
    /// </summary>
    public static void Clear<T>(T[] a) where T : unmanaged
    {
        int chunk = (8 << 20) / sizeof(T);
        int chunks = (a.Length + chunk - 1) / chunk;
        Parallel.For(0, chunks, DenseKernels.Threads(), i => a.AsSpan(i * chunk, Math.Min(chunk, a.Length - i * chunk)).Clear());
    }

    /// <summary>
    /// A blocking full collection, for a loop that drops one d²-sized array before it allocates the next (the streaming
    /// build): the pinned arrays are freed only by a gen-2 collection, which the GC's own budget may put off until several
    /// dead ones are resident (n = 12: ~190 MiB more per coupling without it). Aggressive: the freed memory is also
    /// returned to the system at once, not kept for later allocations (the n = 14 chain peaked at 15.5 GiB resident
    /// with 11–12 GiB live without it). The heap is a few large arrays of numbers, so the collection takes milliseconds.
    /// </summary>
    public static void Reclaim() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    [LibraryImport("libc.so.6", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
