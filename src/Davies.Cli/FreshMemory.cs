using System.Runtime.InteropServices;

namespace Davies.Cli;

/// <summary>
/// Maps the memory a small command is about to touch in two system calls, instead of one page fault per 4 KiB page. On the benchmark VM a page fault costs 10–17 µs (the hypervisor's exception round trip),
/// while <c>madvise(MADV_POPULATE_WRITE)</c> maps a page in 1–4 µs, and the n = 7 chain's <c>steady</c> took ~1,000
/// faults in the first pages of the garbage collector's small- and large-object regions (docs/benchmarks.md,
/// "Whole-process time, fourth pass"; the executable's own ~170 faults were tried too and gained nothing). The CLI
/// process only (Program.cs): tests and library users are untouched. Linux 5.14 or later; elsewhere the call fails
/// quietly and the pages fault in as before.
/// </summary>
internal static partial class FreshMemory
{
    /// <summary>Bytes of the small-object region mapped ahead: what a small model's command allocates there (~2 MiB at n = 7).</summary>
    internal const int SmallObjectBytes = 2 << 20;

    /// <summary>Bytes of the large-object region mapped ahead (the d × d arrays: ~1.9 MiB at n = 7).</summary>
    internal const int LargeObjectBytes = 2 << 20;

    private const int PopulateWrite = 23;

    [LibraryImport("libc.so.6", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);

    private static nint _large;

    /// <summary>
    /// Maps the small-object region's first <see cref="SmallObjectBytes"/> (~2 ms against ~500 page faults). Call first
    /// in the process, in its no-GC region: the probes that find the heap's regions are two arrays that then stay (16 B
    /// and 100 kB, not cleared). The large-object region waits for <see cref="MapLargeObjectsAhead"/>.
    /// </summary>
    public static void Start()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            nint small = AddressOf(new byte[16]);
            _large = AddressOf(GC.AllocateUninitializedArray<byte>(100_000)); // a large object: in the large-object region
            Advise(small, SmallObjectBytes, PopulateWrite);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or DllNotFoundException or EntryPointNotFoundException) { }
    }

    /// <summary>
    /// Maps the large-object region's first <see cref="LargeObjectBytes"/> (once per process): called where the main
    /// thread would otherwise wait for the native libraries, before the first d × d arrays.
    /// </summary>
    public static void MapLargeObjectsAhead()
    {
        nint large = Interlocked.Exchange(ref _large, 0);
        if (large == 0) return;
        try { Advise(large, LargeObjectBytes, PopulateWrite); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    private static nint AddressOf(byte[] array)
    {
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try { return handle.AddrOfPinnedObject(); }
        finally { handle.Free(); }
    }

    // Page-aligned; a range that runs past its mapping populates up to the end of it and fails there (ignored).
    private static void Advise(nint address, long length, int advice)
    {
        long start = address & ~4095L;
        _ = Madvise((nint)start, (nuint)(length + (address - start)), advice);
    }
}
