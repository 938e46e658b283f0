namespace Davies.LinearAlgebra;

/// <summary>
/// A process-wide switch to single-threaded linear algebra, for callers that run independent computations in
/// parallel themselves (a sweep with several jobs, <see cref="Studies.SweepRunner"/>): while a scope is open, OpenBLAS
/// runs every call on the calling thread and the library's loops that follow <see cref="DenseKernels.ParallelOver"/>
/// run serially. The results do not depend on it (the parallel loops partition their outputs, and every reduction is a
/// maximum or runs in a fixed order).
/// </summary>
internal static class Parallelism
{
    private static int _singleThreadedScopes;

    /// <summary>Whether a single-threaded scope is open.</summary>
    public static bool SingleThreaded => Volatile.Read(ref _singleThreadedScopes) > 0;

    /// <summary>Opens a single-threaded scope; dispose to close it (scopes nest and may overlap).</summary>
    public static IDisposable SingleThreadedScope()
    {
        Interlocked.Increment(ref _singleThreadedScopes);
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref _singleThreadedScopes);
        }
    }
}

/// <summary>
/// One value computed on a thread of its own while the caller goes on with other work (a small model's independent
/// stages on a second core that the library's kernels leave idle below <see cref="DenseKernels.ParallelMinimum"/>);
/// <see cref="Join"/> returns it, or rethrows its exception as it was thrown.
/// </summary>
internal sealed class Aside<T>
{
    private readonly Thread _thread;
    private T? _value;
    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _error;

    private Aside(Func<T> compute)
    {
        _thread = new Thread(() =>
        {
            try { _value = compute(); }
            catch (Exception e) { _error = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e); }
        }) { IsBackground = true, Name = "davies aside" };
        _thread.Start();
    }

    /// <summary>
    /// Starts <paramref name="compute"/> on its own thread, or returns null when <paramref name="worthIt"/> is false or a
    /// single-threaded scope is open (<see cref="Parallelism"/>): the caller then computes it in line.
    /// </summary>
    public static Aside<T>? Start(bool worthIt, Func<T> compute) =>
        worthIt && !Parallelism.SingleThreaded ? new Aside<T>(compute) : null;

    /// <summary>Waits for the value; rethrows the computation's exception.</summary>
    public T Join()
    {
        _thread.Join();
        _error?.Throw();
        return _value!;
    }
}
