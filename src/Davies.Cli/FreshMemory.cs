using System.Runtime.InteropServices;

namespace Davies.Cli;

/// <summary>
/// Puts the first memory a small command touches on transparent huge pages: the first 2 MiB chunks of the garbage
/// collector's small- and large-object regions. On the benchmark VM the first touch of a 4 KiB page costs 13–17 µs
/// (a page fault, then the hypervisor's own fault on the same page: 6–8 µs of it remain even after
/// <c>MADV_POPULATE_WRITE</c>), while a 2 MiB page costs ~0.1–0.2 µs per 4 KiB; the n = 7 chain's <c>steady</c> touched
/// ~1,000 such pages in those two chunks (docs/benchmarks.md, "Whole-process time, fourth pass"). The runtime and the
/// probes have already written a few pages of each chunk when they are advised, which keeps the kernel from faulting a
/// huge page in there,
/// so the chunk is advised (<c>MADV_HUGEPAGE</c>) and collapsed (<c>MADV_COLLAPSE</c>, Linux 6.1+; where it fails, the
/// chunk is populated instead, <c>MADV_POPULATE_WRITE</c>, Linux 5.14+); the following chunks are advised only, so the
/// kernel maps each 2 MiB at its first touch. The CLI process only (Program.cs): tests and library users are untouched
/// (the library's own large arrays take huge pages themselves, <c>LargeArrays</c>). Elsewhere every call fails quietly
/// and the pages fault in as before.
/// </summary>
internal static partial class FreshMemory
{
    /// <summary>The span of the small-object region advised: its first region (a small model's command uses ~2 MiB).</summary>
    internal const long SmallObjectBytes = 4L << 20;

    /// <summary>The span of the large-object region advised (the d × d arrays: ~1.9 MiB at n = 7, ×4 per site).</summary>
    internal const long LargeObjectBytes = 16L << 20;

    private const int HugePage = 14, PopulateWrite = 23, Collapse = 25;
    private const long Chunk = 2L << 20;

    [LibraryImport("libc.so.6", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);

    /// <summary>
    /// Puts the first chunks of both regions on huge pages (~1 ms against ~1,000 page faults at n = 7; the model file's
    /// first d × d array comes before the native library is loaded). Call first in the process, in its no-GC region: the
    /// probes that find the regions are two arrays that then stay (16 B and 100 kB, not cleared).
    /// </summary>
    public static void Start()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            nint small = AddressOf(new byte[16]);
            nint large = AddressOf(GC.AllocateUninitializedArray<byte>(100_000)); // a large object: in the large-object region
            Map(small, SmallObjectBytes);
            Map(large, LargeObjectBytes);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or DllNotFoundException or EntryPointNotFoundException) { }
    }

    private static nint AddressOf(byte[] array)
    {
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try { return handle.AddrOfPinnedObject(); }
        finally { handle.Free(); }
    }

    // Huge pages for [chunk of address, + length); the probe's own chunk collapsed now (populated where that fails).
    // A range past its mapping is advised up to the end of it (the rest fails, ignored).
    private static void Map(nint address, long length)
    {
        long chunk = address & ~(Chunk - 1);
        _ = Madvise((nint)chunk, (nuint)length, HugePage);
        if (Madvise((nint)chunk, (nuint)Chunk, Collapse) != 0)
            _ = Madvise((nint)chunk, (nuint)Chunk, PopulateWrite);
    }
}
