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
