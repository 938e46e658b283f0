using System.Runtime.InteropServices;

namespace Davies.LinearAlgebra;

/// <summary>
/// Source-generated P/Invoke declarations for the Debian system LAPACKE (liblapacke, which forwards to whichever
/// liblapack.so.3 alternative is active) and OpenBLAS's CBLAS. Libraries are named by their versioned SONAME so that
/// only the runtime packages (libopenblas0-pthread, liblapacke) are needed, not the -dev ones. Integers are LP64
/// (32-bit lapack_int / blasint), as in the Debian packages; <see cref="Complex"/> has the layout of C's double _Complex.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Lapacke = "liblapacke.so.3";
    internal const string OpenBlas = "libopenblas.so.0";

    internal const int LapackColMajor = 102;
    internal const int CblasColMajor = 102;
    internal const int CblasNoTrans = 111;
    internal const int CblasTrans = 112;
    internal const int CblasConjTrans = 113;
    internal const int CblasLower = 122;

    /// <summary>Every entry point the native backend calls, with its library; checked before the backend is used.</summary>
    internal static readonly (string Library, string Symbol)[] RequiredSymbols =
    [
        (Lapacke, "LAPACKE_zheevr"), (Lapacke, "LAPACKE_dsyevr"), (Lapacke, "LAPACKE_zgesv"), (Lapacke, "LAPACKE_dgesv"),
        (Lapacke, "LAPACKE_zgesdd"), (Lapacke, "LAPACKE_dgesdd"), (Lapacke, "LAPACKE_zgeev"), (Lapacke, "LAPACKE_dgeev"),
        (Lapacke, "LAPACKE_zpotrf"), (Lapacke, "LAPACKE_zgetrf"), (Lapacke, "LAPACKE_zgetrs"),
        (Lapacke, "LAPACKE_dpotrf"),
        (OpenBlas, "cblas_zgemm"), (OpenBlas, "cblas_dgemm"), (OpenBlas, "cblas_dsyrk"), (OpenBlas, "cblas_zherk"),
        (OpenBlas, "openblas_get_config"),
    ];

    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_zheevr")]
    internal static partial int Zheevr(int layout, byte jobz, byte range, byte uplo, int n, Complex* a, int lda,
        double vl, double vu, int il, int iu, double abstol, int* m, double* w, Complex* z, int ldz, int* isuppz);

    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_zpotrf")]
    internal static partial int Zpotrf(int layout, byte uplo, int n, Complex* a, int lda);

    // Two-stage tridiagonal reduction (LAPACK ≥ 3.7), eigenvalues only: the large symmetric eigenvalue problems.
    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_dsyevd_2stage")]
    internal static partial int Dsyevd2Stage(int layout, byte jobz, byte uplo, int n, double* a, int lda, double* w);

    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_dsyevr")]
    internal static partial int Dsyevr(int layout, byte jobz, byte range, byte uplo, int n, double* a, int lda,
        double vl, double vu, int il, int iu, double abstol, int* m, double* w, double* z, int ldz, int* isuppz);

    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_zgesv")]
    internal static partial int Zgesv(int layout, int n, int nrhs, Complex* a, int lda, int* ipiv, Complex* b, int ldb);

    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_dpotrf")]
    internal static partial int Dpotrf(int layout, byte uplo, int n, double* a, int lda);

    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_zgetrf")]
    internal static partial int Zgetrf(int layout, int m, int n, Complex* a, int lda, int* ipiv);

    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_zgetrs")]
    internal static partial int Zgetrs(int layout, byte trans, int n, int nrhs, Complex* a, int lda, int* ipiv, Complex* b, int ldb);

    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_dgesv")]
    internal static partial int Dgesv(int layout, int n, int nrhs, double* a, int lda, int* ipiv, double* b, int ldb);

    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_zgesdd")]
    internal static partial int Zgesdd(int layout, byte jobz, int m, int n, Complex* a, int lda, double* s,
        Complex* u, int ldu, Complex* vt, int ldvt);

    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_dgesdd")]
    internal static partial int Dgesdd(int layout, byte jobz, int m, int n, double* a, int lda, double* s,
        double* u, int ldu, double* vt, int ldvt);

    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_zgeev")]
    internal static partial int Zgeev(int layout, byte jobvl, byte jobvr, int n, Complex* a, int lda, Complex* w,
        Complex* vl, int ldvl, Complex* vr, int ldvr);

    [LibraryImport(Lapacke, EntryPoint = "LAPACKE_dgeev")]
    internal static partial int Dgeev(int layout, byte jobvl, byte jobvr, int n, double* a, int lda, double* wr,
        double* wi, double* vl, int ldvl, double* vr, int ldvr);

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
