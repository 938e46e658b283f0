namespace Davies.LinearAlgebra;

/// <summary>The gate around native calls and OpenBLAS's thread count (see <see cref="CallGate"/>).</summary>
internal sealed partial class NativeBackend
{
    /// <summary>
    /// Enters <see cref="CallGate"/> for one native call on arrays of <paramref name="elements"/> entries and sets
    /// OpenBLAS's thread count for it: one thread below 256² entries (waking OpenBLAS's pool costs more than it gains
    /// there) and in a single-threaded scope (<see cref="Parallelism"/>), all of them otherwise. A call in a
    /// single-threaded scope holds the gate shared (such calls run at once, each on its own thread, OpenBLAS at one
    /// thread); any other call holds it alone. Dispose to leave.
    /// </summary>
    private static Gate Enter(long elements)
    {
        while (Parallelism.SingleThreaded && !_threadControlMissing)
        {
            CallGate.EnterReadLock();
            if (Volatile.Read(ref _threads) == 1) return new Gate(shared: true);
            CallGate.ExitReadLock();
            CallGate.EnterWriteLock();
            try { SetThreads(1); }
            finally { CallGate.ExitWriteLock(); }
        }
        CallGate.EnterWriteLock();
        SetThreads(elements < SmallCallElements || Parallelism.SingleThreaded ? 1 : DefaultThreads);
        return new Gate(shared: false);
    }

    /// <summary>Sets OpenBLAS's thread count (holding the gate alone); another BLAS without the call is left alone.</summary>
    private static void SetThreads(int want)
    {
        if (want == _threads || _threadControlMissing) return;
        try
        {
            NativeMethods.OpenBlasSetNumThreads(want);
            Volatile.Write(ref _threads, want);
        }
        catch (Exception)
        {
            _threadControlMissing = true; // another BLAS: leave its threading alone (and never throw holding the gate)
        }
    }

    /// <summary>
    /// Ends OpenBLAS's idle worker threads (holding the gate alone). The pthread build starts them when the library
    /// loads, and an idle worker spins in <c>sched_yield</c> for 2^28 cycles (~0.1 s) before it sleeps: the whole life
    /// of a small command, on a second core it takes from the process's own threads (docs/benchmarks.md, "Whole-process
    /// time, third pass"). Calls below <see cref="SmallCallElements"/> run on one thread and never wake them; the first
    /// call on more threads starts them again. Another BLAS without the entry point is left alone; never throws.
    /// </summary>
    internal static void ParkWorkerThreads()
    {
        CallGate.EnterWriteLock();
        try { NativeMethods.OpenBlasThreadShutdown(); }
        catch (Exception) { } // another BLAS (no such entry point): its threads are its business
        finally { CallGate.ExitWriteLock(); }
    }

    private const long SmallCallElements = 256 * 256;
    private static readonly int DefaultThreads = DetectThreads();
    private static int _threads = -1;
    private static bool _threadControlMissing;

    private static int DetectThreads()
    {
        try { return Math.Max(1, NativeMethods.OpenBlasGetNumThreads()); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _threadControlMissing = true;
            return 1;
        }
    }

    private readonly struct Gate(bool shared) : IDisposable
    {
        public void Dispose()
        {
            if (shared) CallGate.ExitReadLock();
            else CallGate.ExitWriteLock();
        }
    }

    /// <summary>
    /// Serialises the calls into OpenBLAS/LAPACKE that may use OpenBLAS's threads. OpenBLAS 0.3.21 (Debian) crashed
    /// intermittently when several .NET threads called it at once (seen in the parallel test suite); it parallelises
    /// internally anyway. Calls at one OpenBLAS thread (a single-threaded scope, e.g. the points of a sweep) run in the
    /// calling thread and share the gate: that is OpenBLAS's documented way to be called from a threaded program.
    /// </summary>
    private static readonly ReaderWriterLockSlim CallGate = new(LockRecursionPolicy.NoRecursion);
}
