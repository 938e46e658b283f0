using System.Runtime.InteropServices;

namespace Davies.LinearAlgebra;

/// <summary>
/// OpenBLAS's CBLAS and thread-control entry points (LAPACK's Fortran entry points in the same library:
/// <see cref="NativeLapack"/>). The library is named by its versioned SONAME so that only the runtime package
/// (libopenblas0-pthread) is needed, not the -dev one. Integers are LP64 (32-bit blasint), as in the Debian package;
/// <see cref="Complex"/> has the layout of C's double _Complex. A missing library or entry point throws what a P/Invoke
/// would (<see cref="DllNotFoundException"/>, <see cref="EntryPointNotFoundException"/>) at the call.
/// </summary>
internal static unsafe class NativeMethods
{
    internal const string OpenBlas = "libopenblas.so.0";

    /// <summary>
    /// <see cref="OpenBlas"/>, loaded at the first use of this class (0 when it does not load) where a P/Invoke would look
    /// for it: a copy in the application's directory, then the system's search. Its entry points are called through
    /// function pointers read once (<see cref="Export"/>) instead of P/Invokes, whose first call resolves its library by
    /// reflection over the declaring assembly (~0.5 ms and ~100 page faults of a Native AOT start-up on the benchmark VM).
    /// </summary>
    internal static readonly nint Handle = Load();

    private static nint Load()
    {
        var local = Path.Combine(AppContext.BaseDirectory, OpenBlas);
        if (File.Exists(local) && NativeLibrary.TryLoad(local, out var handle)) return handle;
        return NativeLibrary.TryLoad(OpenBlas, out handle) ? handle : 0;
    }

    /// <summary>The address of <paramref name="symbol"/> in <see cref="OpenBlas"/>, or 0 (not loaded, or not exported).</summary>
    internal static nint Export(string symbol) =>
        Handle != 0 && NativeLibrary.TryGetExport(Handle, symbol, out var address) ? address : 0;

    /// <summary>
    /// <paramref name="address"/>, or the exception a P/Invoke would throw for a missing library
    /// (<see cref="DllNotFoundException"/>) or entry point (<see cref="EntryPointNotFoundException"/>).
    /// </summary>
    internal static nint Bound(nint address, string symbol) => address != 0 ? address
        : throw (Handle == 0 ? new DllNotFoundException($"cannot load {OpenBlas}")
            : new EntryPointNotFoundException($"{OpenBlas} does not export {symbol}"));

    internal const int CblasColMajor = 102;
    internal const int CblasNoTrans = 111;
    internal const int CblasTrans = 112;
    internal const int CblasConjTrans = 113;
    internal const int CblasLower = 122;

    /// <summary>Every entry point of <see cref="OpenBlas"/> the native backend calls; checked before the backend is used.</summary>
    internal static readonly string[] RequiredSymbols =
    [
        .. NativeLapack.Symbols,
        "cblas_zgemm", "cblas_dgemm", "cblas_dsyrk", "cblas_zherk", "openblas_get_config",
    ];

    private static readonly nint ZgemmAddress = Export("cblas_zgemm");

    internal static void Zgemm(int order, int transA, int transB, int m, int n, int k, Complex* alpha, Complex* a,
        int lda, Complex* b, int ldb, Complex* beta, Complex* c, int ldc) =>
        ((delegate* unmanaged<int, int, int, int, int, int, Complex*, Complex*, int, Complex*, int, Complex*, Complex*,
            int, void>)
            Bound(ZgemmAddress, "cblas_zgemm"))(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    private static readonly nint DgemmAddress = Export("cblas_dgemm");

    internal static void Dgemm(int order, int transA, int transB, int m, int n, int k, double alpha, double* a, int lda,
        double* b, int ldb, double beta, double* c, int ldc) =>
        ((delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int,
            void>)
            Bound(DgemmAddress, "cblas_dgemm"))(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    private static readonly nint DsyrkAddress = Export("cblas_dsyrk");

    internal static void Dsyrk(int order, int uplo, int trans, int n, int k, double alpha, double* a, int lda,
        double beta, double* c, int ldc) =>
        ((delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void>)
            Bound(DsyrkAddress, "cblas_dsyrk"))(order, uplo, trans, n, k, alpha, a, lda, beta, c, ldc);

    private static readonly nint ZherkAddress = Export("cblas_zherk");

    internal static void Zherk(int order, int uplo, int trans, int n, int k, double alpha, Complex* a, int lda,
        double beta, Complex* c, int ldc) =>
        ((delegate* unmanaged<int, int, int, int, int, double, Complex*, int, double, Complex*, int, void>)
            Bound(ZherkAddress, "cblas_zherk"))(order, uplo, trans, n, k, alpha, a, lda, beta, c, ldc);

    private static readonly nint OpenBlasGetConfigAddress = Export("openblas_get_config");

    internal static nint OpenBlasGetConfig() =>
        ((delegate* unmanaged<nint>)
            Bound(OpenBlasGetConfigAddress, "openblas_get_config"))();

    private static readonly nint OpenBlasSetNumThreadsAddress = Export("openblas_set_num_threads");

    /// <summary>OpenBLAS's thread count for the following calls (not in <see cref="RequiredSymbols"/>: optional).</summary>
    internal static void OpenBlasSetNumThreads(int threads) =>
        ((delegate* unmanaged<int, void>)
            Bound(OpenBlasSetNumThreadsAddress, "openblas_set_num_threads"))(threads);

    private static readonly nint OpenBlasThreadShutdownAddress = Export("blas_thread_shutdown_");

    /// <summary>
    /// OpenBLAS's <c>blas_thread_shutdown_</c> (pthread build; not in <see cref="RequiredSymbols"/>: optional): ends its
    /// worker threads; the next call that runs on more than one thread starts them again (OpenBLAS's own fork handler
    /// uses the same pair).
    /// </summary>
    internal static int OpenBlasThreadShutdown() =>
        ((delegate* unmanaged<int>)
            Bound(OpenBlasThreadShutdownAddress, "blas_thread_shutdown_"))();

    private static readonly nint OpenBlasGetNumThreadsAddress = Export("openblas_get_num_threads");

    /// <summary>OpenBLAS's current thread count.</summary>
    internal static int OpenBlasGetNumThreads() =>
        ((delegate* unmanaged<int>)
            Bound(OpenBlasGetNumThreadsAddress, "openblas_get_num_threads"))();
}
