using System.Runtime.InteropServices;

namespace Davies.Cli;

/// <summary>
/// Puts the first memory a small command touches on transparent huge pages: the garbage collector's first small- and
/// large-object regions. On the benchmark VM the first touch of a 4 KiB page costs 13–17 µs (a page fault, then the
/// hypervisor's own fault on the same page: 6–8 µs of it remain even after <c>MADV_POPULATE_WRITE</c>), while a 2 MiB
/// page costs ~0.1–0.2 µs per 4 KiB; the n = 7 chain's <c>steady</c> touched ~1,000 pages there (docs/benchmarks.md,
/// "Whole-process time, fourth pass"). The heap is advised (<c>MADV_HUGEPAGE</c>), so the kernel maps each 2 MiB chunk
/// at its first touch; the one chunk the runtime has already written before <c>Main</c> (which keeps the kernel from
/// faulting a huge page in there) is collapsed (<c>MADV_COLLAPSE</c>, Linux 6.1+; where that fails it is populated
/// instead, <c>MADV_POPULATE_WRITE</c>, Linux 5.14+). The CLI process only (Program.cs): tests and library users are
/// untouched (the library's own large arrays take huge pages themselves, <c>LargeArrays</c>). Elsewhere every call fails
/// quietly and the pages fault in as before.
/// </summary>
internal static partial class FreshMemory
{
    /// <summary>
    /// The span advised from the small-object region's first chunk on: the memory the no-GC region of Program.cs commits
    /// lies there (the first small-object region, then the large-object one 4 MiB on, then the rest of the budget; here
    /// the n = 7 chain uses ~2 MiB of each of the first two). Advice costs nothing for memory never touched; a range
    /// that runs past a mapping is advised where it is mapped (the rest fails, ignored).
    /// </summary>
    internal const long HeapBytes = 64L << 20;

    private const int HugePage = 14, PopulateWrite = 23, Collapse = 25;
    private const long Chunk = 2L << 20;

    [LibraryImport("libc.so.6", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);

    /// <summary>
    /// Advises the heap's first <see cref="HeapBytes"/> and collapses the chunk the runtime has already written (~1 ms
    /// against ~1,000 page faults at n = 7). Call first in the process, in its no-GC region: the probe that finds the
    /// small-object region is an array that then stays (16 B).
    /// </summary>
    public static void Start()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            nint small = AddressOf(new byte[16]);
            long chunk = small & ~(Chunk - 1);
            _ = Madvise((nint)chunk, (nuint)HeapBytes, HugePage);
            if (Madvise((nint)chunk, (nuint)Chunk, Collapse) != 0)
                _ = Madvise((nint)chunk, (nuint)Chunk, PopulateWrite);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or DllNotFoundException or EntryPointNotFoundException) { }
    }

    private static nint AddressOf(byte[] array)
    {
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try { return handle.AddrOfPinnedObject(); }
        finally { handle.Free(); }
    }
}
