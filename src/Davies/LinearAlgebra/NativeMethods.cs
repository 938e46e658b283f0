using System.Runtime.InteropServices;

namespace Davies.LinearAlgebra;

/// <summary>
/// Source-generated P/Invoke declarations for OpenBLAS's CBLAS and its thread control (LAPACK's Fortran entry points
/// in the same library: <see cref="NativeLapack"/>). The library is named by its versioned SONAME so that only the
/// runtime package (libopenblas0-pthread) is needed, not the -dev one. Integers are LP64 (32-bit blasint), as in the
/// Debian package; <see cref="Complex"/> has the layout of C's double _Complex.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string OpenBlas = "libopenblas.so.0";

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

    [LibraryImport(OpenBlas, EntryPoint = "cblas_zgemm")]
    internal static partial void Zgemm(int order, int transA, int transB, int m, int n, int k, Complex* alpha,
        Complex* a, int lda, Complex* b, int ldb, Complex* beta, Complex* c, int ldc);

    [LibraryImport(OpenBlas, EntryPoint = "cblas_dgemm")]
    internal static partial void Dgemm(int order, int transA, int transB, int m, int n, int k, double alpha,
        double* a, int lda, double* b, int ldb, double beta, double* c, int ldc);

    [LibraryImport(OpenBlas, EntryPoint = "cblas_dsyrk")]
    internal static partial void Dsyrk(int order, int uplo, int trans, int n, int k, double alpha,
        double* a, int lda, double beta, double* c, int ldc);

    [LibraryImport(OpenBlas, EntryPoint = "cblas_zherk")]
    internal static partial void Zherk(int order, int uplo, int trans, int n, int k, double alpha,
        Complex* a, int lda, double beta, Complex* c, int ldc);

    [LibraryImport(OpenBlas, EntryPoint = "openblas_get_config")]
    internal static partial nint OpenBlasGetConfig();

    /// <summary>OpenBLAS's thread count for the following calls (not in <see cref="RequiredSymbols"/>: optional).</summary>
    [LibraryImport(OpenBlas, EntryPoint = "openblas_set_num_threads")]
    internal static partial void OpenBlasSetNumThreads(int threads);

    /// <summary>
    /// OpenBLAS's <c>blas_thread_shutdown_</c> (pthread build; not in <see cref="RequiredSymbols"/>: optional): ends its
    /// worker threads; the next call that runs on more than one thread starts them again (OpenBLAS's own fork handler
    /// uses the same pair).
    /// </summary>
    [LibraryImport(OpenBlas, EntryPoint = "blas_thread_shutdown_")]
    internal static partial int OpenBlasThreadShutdown();

    /// <summary>OpenBLAS's current thread count.</summary>
    [LibraryImport(OpenBlas, EntryPoint = "openblas_get_num_threads")]
    internal static partial int OpenBlasGetNumThreads();
}
