using System.Runtime.InteropServices;

namespace Davies.LinearAlgebra;

/// <summary>
/// LAPACK's Fortran entry points in <c>libopenblas.so.0</c> (OpenBLAS ships LAPACK inside; Debian's build exports
/// <c>dsyevr_</c>, <c>zheevr_</c>, …), called directly instead of through liblapacke: one library to load instead of
/// five (liblapacke, liblapack.so.3, libblas.so.3, libtmglib beside OpenBLAS), about 2–3 ms of every start
/// (docs/benchmarks.md, "Whole-process time, fourth pass"). Each wrapper does what LAPACKE's column-major wrapper
/// did: the NaN check of the inputs (returning the same negative info: the argument's position in the LAPACKE
/// call), the workspace query (lwork = −1), the workspace in native memory, the call. Fortran conventions: every
/// argument by reference, LP64 integers, and after the last argument one hidden length (gfortran: size_t) per
/// character argument.
/// </summary>
internal static unsafe class NativeLapack
{
    /// <summary>The LAPACK symbols the backend calls (the probe checks each one before the backend is used).</summary>
    internal static readonly string[] Symbols =
    [
        "zheevr_", "dsyevr_", "zgesv_", "dgesv_", "zgesdd_", "dgesdd_", "zgeev_", "dgeev_", "zpotrf_", "zgetrf_", "zgetrs_",
        "dpotrf_",
    ];

    private static readonly nint ZheevrFAddress = NativeMethods.Export("zheevr_");

    private static void ZheevrF(byte* jobz, byte* range, byte* uplo, int* n, Complex* a, int* lda, double* vl,
        double* vu, int* il, int* iu, double* abstol, int* m, double* w, Complex* z, int* ldz, int* isuppz,
        Complex* work, int* lwork, double* rwork, int* lrwork, int* iwork, int* liwork, int* info, nint l1, nint l2,
        nint l3) =>
        ((delegate* unmanaged<byte*, byte*, byte*, int*, Complex*, int*, double*, double*, int*, int*, double*, int*,
            double*, Complex*, int*, int*, Complex*, int*, double*, int*, int*, int*, int*, nint, nint, nint, void>)
            NativeMethods.Bound(ZheevrFAddress, "zheevr_"))(jobz, range, uplo, n, a, lda, vl, vu, il, iu, abstol, m, w,
            z, ldz, isuppz, work, lwork, rwork, lrwork, iwork, liwork, info, l1, l2, l3);

    private static readonly nint DsyevrFAddress = NativeMethods.Export("dsyevr_");

    private static void DsyevrF(byte* jobz, byte* range, byte* uplo, int* n, double* a, int* lda, double* vl,
        double* vu, int* il, int* iu, double* abstol, int* m, double* w, double* z, int* ldz, int* isuppz, double* work,
        int* lwork, int* iwork, int* liwork, int* info, nint l1, nint l2, nint l3) =>
        ((delegate* unmanaged<byte*, byte*, byte*, int*, double*, int*, double*, double*, int*, int*, double*, int*,
            double*, double*, int*, int*, double*, int*, int*, int*, int*, nint, nint, nint, void>)
            NativeMethods.Bound(DsyevrFAddress, "dsyevr_"))(jobz, range, uplo, n, a, lda, vl, vu, il, iu, abstol, m, w,
            z, ldz, isuppz, work, lwork, iwork, liwork, info, l1, l2, l3);

    private static readonly nint Dsyevd2StageFAddress = NativeMethods.Export("dsyevd_2stage_");

    private static void Dsyevd2StageF(byte* jobz, byte* uplo, int* n, double* a, int* lda, double* w, double* work,
        int* lwork, int* iwork, int* liwork, int* info, nint l1, nint l2) =>
        ((delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, int*, int*, int*, int*, nint, nint,
            void>)
            NativeMethods.Bound(Dsyevd2StageFAddress, "dsyevd_2stage_"))(jobz, uplo, n, a, lda, w, work, lwork, iwork,
            liwork, info, l1, l2);

    private static readonly nint ZgesvFAddress = NativeMethods.Export("zgesv_");

    private static void ZgesvF(int* n, int* nrhs, Complex* a, int* lda, int* ipiv, Complex* b, int* ldb, int* info) =>
        ((delegate* unmanaged<int*, int*, Complex*, int*, int*, Complex*, int*, int*, void>)
            NativeMethods.Bound(ZgesvFAddress, "zgesv_"))(n, nrhs, a, lda, ipiv, b, ldb, info);

    private static readonly nint DgesvFAddress = NativeMethods.Export("dgesv_");

    private static void DgesvF(int* n, int* nrhs, double* a, int* lda, int* ipiv, double* b, int* ldb, int* info) =>
        ((delegate* unmanaged<int*, int*, double*, int*, int*, double*, int*, int*, void>)
            NativeMethods.Bound(DgesvFAddress, "dgesv_"))(n, nrhs, a, lda, ipiv, b, ldb, info);

    private static readonly nint ZgesddFAddress = NativeMethods.Export("zgesdd_");

    private static void ZgesddF(byte* jobz, int* m, int* n, Complex* a, int* lda, double* s, Complex* u, int* ldu,
        Complex* vt, int* ldvt, Complex* work, int* lwork, double* rwork, int* iwork, int* info, nint l1) =>
        ((delegate* unmanaged<byte*, int*, int*, Complex*, int*, double*, Complex*, int*, Complex*, int*, Complex*,
            int*, double*, int*, int*, nint, void>)
            NativeMethods.Bound(ZgesddFAddress, "zgesdd_"))(jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, rwork,
            iwork, info, l1);

    private static readonly nint DgesddFAddress = NativeMethods.Export("dgesdd_");

    private static void DgesddF(byte* jobz, int* m, int* n, double* a, int* lda, double* s, double* u, int* ldu,
        double* vt, int* ldvt, double* work, int* lwork, int* iwork, int* info, nint l1) =>
        ((delegate* unmanaged<byte*, int*, int*, double*, int*, double*, double*, int*, double*, int*, double*, int*,
            int*, int*, nint, void>)
            NativeMethods.Bound(DgesddFAddress, "dgesdd_"))(jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork,
            info, l1);

    private static readonly nint ZgeevFAddress = NativeMethods.Export("zgeev_");

    private static void ZgeevF(byte* jobvl, byte* jobvr, int* n, Complex* a, int* lda, Complex* w, Complex* vl,
        int* ldvl, Complex* vr, int* ldvr, Complex* work, int* lwork, double* rwork, int* info, nint l1, nint l2) =>
        ((delegate* unmanaged<byte*, byte*, int*, Complex*, int*, Complex*, Complex*, int*, Complex*, int*, Complex*,
            int*, double*, int*, nint, nint, void>)
            NativeMethods.Bound(ZgeevFAddress, "zgeev_"))(jobvl, jobvr, n, a, lda, w, vl, ldvl, vr, ldvr, work, lwork,
            rwork, info, l1, l2);

    private static readonly nint DgeevFAddress = NativeMethods.Export("dgeev_");

    private static void DgeevF(byte* jobvl, byte* jobvr, int* n, double* a, int* lda, double* wr, double* wi,
        double* vl, int* ldvl, double* vr, int* ldvr, double* work, int* lwork, int* info, nint l1, nint l2) =>
        ((delegate* unmanaged<byte*, byte*, int*, double*, int*, double*, double*, double*, int*, double*, int*,
            double*, int*, int*, nint, nint, void>)
            NativeMethods.Bound(DgeevFAddress, "dgeev_"))(jobvl, jobvr, n, a, lda, wr, wi, vl, ldvl, vr, ldvr, work,
            lwork, info, l1, l2);

    private static readonly nint ZpotrfFAddress = NativeMethods.Export("zpotrf_");

    private static void ZpotrfF(byte* uplo, int* n, Complex* a, int* lda, int* info, nint l1) =>
        ((delegate* unmanaged<byte*, int*, Complex*, int*, int*, nint, void>)
            NativeMethods.Bound(ZpotrfFAddress, "zpotrf_"))(uplo, n, a, lda, info, l1);

    private static readonly nint DpotrfFAddress = NativeMethods.Export("dpotrf_");

    private static void DpotrfF(byte* uplo, int* n, double* a, int* lda, int* info, nint l1) =>
        ((delegate* unmanaged<byte*, int*, double*, int*, int*, nint, void>)
            NativeMethods.Bound(DpotrfFAddress, "dpotrf_"))(uplo, n, a, lda, info, l1);

    private static readonly nint ZgetrfFAddress = NativeMethods.Export("zgetrf_");

    private static void ZgetrfF(int* m, int* n, Complex* a, int* lda, int* ipiv, int* info) =>
        ((delegate* unmanaged<int*, int*, Complex*, int*, int*, int*, void>)
            NativeMethods.Bound(ZgetrfFAddress, "zgetrf_"))(m, n, a, lda, ipiv, info);

    private static readonly nint ZgetrsFAddress = NativeMethods.Export("zgetrs_");

    private static void ZgetrsF(byte* trans, int* n, int* nrhs, Complex* a, int* lda, int* ipiv, Complex* b, int* ldb,
        int* info, nint l1) =>
        ((delegate* unmanaged<byte*, int*, int*, Complex*, int*, int*, Complex*, int*, int*, nint, void>)
            NativeMethods.Bound(ZgetrsFAddress, "zgetrs_"))(trans, n, nrhs, a, lda, ipiv, b, ldb, info, l1);

    /// <summary>All eigenvalues (and vectors when <paramref name="jobz"/> is 'V') of a Hermitian matrix (range 'A').</summary>
    internal static int Zheevr(byte jobz, byte uplo, int n, Complex* a, int lda, int* m, double* w, Complex* z, int ldz, int* isuppz)
    {
        if (Triangle(uplo, n, a, lda)) return -6;
        byte range = (byte)'A';
        double vl = 0, vu = 0, abstol = 0;
        int il = 0, iu = 0, info = 0, lwork = -1, lrwork = -1, liwork = -1, iq = 0;
        Complex cq = 0;
        double rq = 0;
        ZheevrF(&jobz, &range, &uplo, &n, a, &lda, &vl, &vu, &il, &iu, &abstol, m, w, z, &ldz, isuppz, &cq, &lwork, &rq,
            &lrwork, &iq, &liwork, &info, 1, 1, 1);
        if (info != 0) return info;
        lwork = (int)cq.Real;
        lrwork = (int)rq;
        liwork = iq;
        using var work = new Workspace<Complex>(lwork);
        using var rwork = new Workspace<double>(lrwork);
        using var iwork = new Workspace<int>(liwork);
        ZheevrF(&jobz, &range, &uplo, &n, a, &lda, &vl, &vu, &il, &iu, &abstol, m, w, z, &ldz, isuppz, work.Pointer, &lwork,
            rwork.Pointer, &lrwork, iwork.Pointer, &liwork, &info, 1, 1, 1);
        return info;
    }

    /// <summary>All eigenvalues (and vectors when <paramref name="jobz"/> is 'V') of a real symmetric matrix (range 'A').</summary>
    internal static int Dsyevr(byte jobz, byte uplo, int n, double* a, int lda, int* m, double* w, double* z, int ldz, int* isuppz)
    {
        if (Triangle(uplo, n, a, lda)) return -6;
        byte range = (byte)'A';
        double vl = 0, vu = 0, abstol = 0, rq = 0;
        int il = 0, iu = 0, info = 0, lwork = -1, liwork = -1, iq = 0;
        DsyevrF(&jobz, &range, &uplo, &n, a, &lda, &vl, &vu, &il, &iu, &abstol, m, w, z, &ldz, isuppz, &rq, &lwork, &iq,
            &liwork, &info, 1, 1, 1);
        if (info != 0) return info;
        lwork = (int)rq;
        liwork = iq;
        using var work = new Workspace<double>(lwork);
        using var iwork = new Workspace<int>(liwork);
        DsyevrF(&jobz, &range, &uplo, &n, a, &lda, &vl, &vu, &il, &iu, &abstol, m, w, z, &ldz, isuppz, work.Pointer, &lwork,
            iwork.Pointer, &liwork, &info, 1, 1, 1);
        return info;
    }

    /// <summary>Eigenvalues (jobz 'N') of a real symmetric matrix by the two-stage tridiagonal reduction (LAPACK ≥ 3.7).</summary>
    internal static int Dsyevd2Stage(byte jobz, byte uplo, int n, double* a, int lda, double* w)
    {
        if (Triangle(uplo, n, a, lda)) return -5;
        double rq = 0;
        int info = 0, lwork = -1, liwork = -1, iq = 0;
        Dsyevd2StageF(&jobz, &uplo, &n, a, &lda, w, &rq, &lwork, &iq, &liwork, &info, 1, 1);
        if (info != 0) return info;
        lwork = (int)rq;
        liwork = iq;
        using var work = new Workspace<double>(lwork);
        using var iwork = new Workspace<int>(liwork);
        Dsyevd2StageF(&jobz, &uplo, &n, a, &lda, w, work.Pointer, &lwork, iwork.Pointer, &liwork, &info, 1, 1);
        return info;
    }

    /// <summary>Solves A X = B by LU with partial pivoting (A and B overwritten).</summary>
    internal static int Zgesv(int n, int nrhs, Complex* a, int lda, int* ipiv, Complex* b, int ldb)
    {
        if (General(n, n, a, lda)) return -4;
        if (General(n, nrhs, b, ldb)) return -7;
        int info = 0;
        ZgesvF(&n, &nrhs, a, &lda, ipiv, b, &ldb, &info);
        return info;
    }

    /// <inheritdoc cref="Zgesv"/>
    internal static int Dgesv(int n, int nrhs, double* a, int lda, int* ipiv, double* b, int ldb)
    {
        if (General(n, n, a, lda)) return -4;
        if (General(n, nrhs, b, ldb)) return -7;
        int info = 0;
        DgesvF(&n, &nrhs, a, &lda, ipiv, b, &ldb, &info);
        return info;
    }

    /// <summary>The SVD A = U Σ Vᴴ by divide and conquer (A overwritten).</summary>
    internal static int Zgesdd(byte jobz, int m, int n, Complex* a, int lda, double* s, Complex* u, int ldu, Complex* vt, int ldvt)
    {
        if (General(m, n, a, lda)) return -5;
        int mn = Math.Min(m, n), mx = Math.Max(m, n);
        // LAPACKE 3.11's sizes for rwork and iwork (no query for them).
        long lrwork = jobz == (byte)'N' ? Math.Max(1, 7L * mn) : Math.Max(1, (long)mn * Math.Max(5L * mn + 7, 2L * mx + 2L * mn + 1));
        int info = 0, lwork = -1;
        Complex cq = 0;
        using var rwork = new Workspace<double>(lrwork);
        using var iwork = new Workspace<int>(Math.Max(1, 8L * mn));
        ZgesddF(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, &cq, &lwork, rwork.Pointer, iwork.Pointer, &info, 1);
        if (info != 0) return info;
        lwork = (int)cq.Real;
        using var work = new Workspace<Complex>(lwork);
        ZgesddF(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work.Pointer, &lwork, rwork.Pointer, iwork.Pointer, &info, 1);
        return info;
    }

    /// <inheritdoc cref="Zgesdd"/>
    internal static int Dgesdd(byte jobz, int m, int n, double* a, int lda, double* s, double* u, int ldu, double* vt, int ldvt)
    {
        if (General(m, n, a, lda)) return -5;
        int info = 0, lwork = -1;
        double rq = 0;
        using var iwork = new Workspace<int>(Math.Max(1, 8L * Math.Min(m, n)));
        DgesddF(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, &rq, &lwork, iwork.Pointer, &info, 1);
        if (info != 0) return info;
        lwork = (int)rq;
        using var work = new Workspace<double>(lwork);
        DgesddF(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work.Pointer, &lwork, iwork.Pointer, &info, 1);
        return info;
    }

    /// <summary>Eigenvalues and (when asked) eigenvectors of a general complex matrix (A overwritten).</summary>
    internal static int Zgeev(byte jobvl, byte jobvr, int n, Complex* a, int lda, Complex* w, Complex* vl, int ldvl, Complex* vr, int ldvr)
    {
        if (General(n, n, a, lda)) return -5;
        int info = 0, lwork = -1;
        Complex cq = 0;
        using var rwork = new Workspace<double>(Math.Max(1, 2L * n));
        ZgeevF(&jobvl, &jobvr, &n, a, &lda, w, vl, &ldvl, vr, &ldvr, &cq, &lwork, rwork.Pointer, &info, 1, 1);
        if (info != 0) return info;
        lwork = (int)cq.Real;
        using var work = new Workspace<Complex>(lwork);
        ZgeevF(&jobvl, &jobvr, &n, a, &lda, w, vl, &ldvl, vr, &ldvr, work.Pointer, &lwork, rwork.Pointer, &info, 1, 1);
        return info;
    }

    /// <summary>Eigenvalues (real and imaginary parts) and (when asked) eigenvectors of a general real matrix.</summary>
    internal static int Dgeev(byte jobvl, byte jobvr, int n, double* a, int lda, double* wr, double* wi, double* vl, int ldvl,
        double* vr, int ldvr)
    {
        if (General(n, n, a, lda)) return -5;
        int info = 0, lwork = -1;
        double rq = 0;
        DgeevF(&jobvl, &jobvr, &n, a, &lda, wr, wi, vl, &ldvl, vr, &ldvr, &rq, &lwork, &info, 1, 1);
        if (info != 0) return info;
        lwork = (int)rq;
        using var work = new Workspace<double>(lwork);
        DgeevF(&jobvl, &jobvr, &n, a, &lda, wr, wi, vl, &ldvl, vr, &ldvr, work.Pointer, &lwork, &info, 1, 1);
        return info;
    }

    /// <summary>Cholesky factorisation of a Hermitian positive definite matrix (info &gt; 0: not positive definite).</summary>
    internal static int Zpotrf(byte uplo, int n, Complex* a, int lda)
    {
        if (Triangle(uplo, n, a, lda)) return -4;
        int info = 0;
        ZpotrfF(&uplo, &n, a, &lda, &info, 1);
        return info;
    }

    /// <inheritdoc cref="Zpotrf"/>
    internal static int Dpotrf(byte uplo, int n, double* a, int lda)
    {
        if (Triangle(uplo, n, a, lda)) return -4;
        int info = 0;
        DpotrfF(&uplo, &n, a, &lda, &info, 1);
        return info;
    }

    /// <summary>LU factorisation with partial pivoting, in place.</summary>
    internal static int Zgetrf(int m, int n, Complex* a, int lda, int* ipiv)
    {
        if (General(m, n, a, lda)) return -4;
        int info = 0;
        ZgetrfF(&m, &n, a, &lda, ipiv, &info);
        return info;
    }

    /// <summary>Solves op(A) X = B with the factors of <see cref="Zgetrf"/> (B overwritten).</summary>
    internal static int Zgetrs(byte trans, int n, int nrhs, Complex* a, int lda, int* ipiv, Complex* b, int ldb)
    {
        if (General(n, n, a, lda)) return -5;
        if (General(n, nrhs, b, ldb)) return -8;
        int info = 0;
        ZgetrsF(&trans, &n, &nrhs, a, &lda, ipiv, b, &ldb, &info, 1);
        return info;
    }

    // LAPACKE's NaN checks (column-major): a general m × n block, or one triangle (with the diagonal) of a square one.
    private static bool General(int m, int n, double* a, int lda)
    {
        for (long j = 0; j < n; j++)
            if (HasNaN(new ReadOnlySpan<double>(a + j * lda, m))) return true;
        return false;
    }

    private static bool General(int m, int n, Complex* a, int lda) => General(2 * m, n, (double*)a, 2 * lda);

    private static bool Triangle(byte uplo, int n, Complex* a, int lda) => Triangle(uplo, n, (double*)a, lda, 2);

    // One triangle with the diagonal, column by column; width 2 reads complex entries as (re, im) pairs of doubles.
    private static bool Triangle(byte uplo, int n, double* a, int lda, int width = 1)
    {
        bool lower = uplo is (byte)'L' or (byte)'l';
        for (long j = 0; j < n; j++)
        {
            long start = j * lda + (lower ? j : 0), count = lower ? n - j : j + 1;
            if (HasNaN(new ReadOnlySpan<double>(a + width * start, (int)(width * count)))) return true;
        }
        return false;
    }

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
            for (; i + System.Numerics.Vector<double>.Count <= values.Length; i += System.Numerics.Vector<double>.Count)
            {
                var v = new System.Numerics.Vector<double>(values[i..]);
                if (!System.Numerics.Vector.EqualsAll(v, v)) return true; // NaN is the one value unequal to itself
            }
        for (; i < values.Length; i++)
            if (double.IsNaN(values[i])) return true;
        return false;
    }

    /// <summary>A LAPACK workspace in native memory (as LAPACKE's malloc), freed on dispose.</summary>
    private readonly struct Workspace<T> : IDisposable where T : unmanaged
    {
        public Workspace(long count) =>
            Pointer = (T*)NativeMemory.Alloc((nuint)Math.Max(1, count), (nuint)sizeof(T));

        public T* Pointer { get; }

        public void Dispose() => NativeMemory.Free(Pointer);
    }
}
