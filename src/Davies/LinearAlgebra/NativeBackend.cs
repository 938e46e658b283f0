using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace Davies.LinearAlgebra;

/// <summary>
/// The native backend: OpenBLAS (libopenblas.so.0) for everything, LAPACK's Fortran routines for the decompositions and
/// solves (<see cref="NativeLapack"/>) and CBLAS for products. Obtain it with <see cref="TryGet"/>; it exists only
/// when the library loads, exports every routine it uses and passes a small smoke test. Inputs are copied before
/// LAPACK overwrites them, so arguments are never changed. Thread-safe (it holds no mutable state).
/// </summary>
internal sealed unsafe partial class NativeBackend : ILinearAlgebraBackend
{
    private static readonly Lazy<(NativeBackend? Backend, string? Failure)> Probe =
        new(ProbeCore, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Lazy<(string Name, string Path)> _description = new(Describe);

    /// <summary>Whether the native libraries loaded and passed the smoke test (probed once per process).</summary>
    public static bool IsAvailable => Probe.Value.Backend is not null;

    /// <summary>
    /// Returns the native backend when available; otherwise false, with <paramref name="failure"/> saying why (the
    /// probe is done once per process and never throws).
    /// </summary>
    public static bool TryGet([NotNullWhen(true)] out NativeBackend? backend, [NotNullWhen(false)] out string? failure)
    {
        (backend, var reason) = Probe.Value;
        failure = backend is null ? reason ?? "unknown failure" : null;
        return backend is not null;
    }

    /// <inheritdoc />
    public string Name => _description.Value.Name;

    /// <summary>
    /// The file the process mapped for libopenblas.so.0 (e.g. …/openblas-pthread/libopenblas.so.0), or its name when
    /// that cannot be determined.
    /// </summary>
    public string? LibraryPath => _description.Value.Path;

    /// <inheritdoc />
    public HermitianEigen EigenHermitian(Matrix<Complex> a)
    {
        int n = RequireSquare(a.RowCount, a.ColumnCount);
        int ld = Math.Max(1, n);
        var data = CopyOf(a);
        var w = new double[n];
        var z = LargeArrays.Zeroed<Complex>((long)n * n);
        var isuppz = new int[2 * ld];
        int m = 0, info;
        using (Enter(data.LongLength))
        fixed (Complex* pa = data, pz = z)
        fixed (double* pw = w)
        fixed (int* ps = isuppz)
            info = NativeLapack.Zheevr((byte)'V', (byte)'L', n, pa, ld, &m, pw, pz, ld, ps);
        Check(info, "zheevr", "the Hermitian eigensolver failed to converge");
        if (m != n) throw new LinearAlgebraException($"zheevr returned {m} of {n} eigenvalues.");
        return new HermitianEigen(w, Matrix<Complex>.Build.Dense(n, n, z));
    }

    /// <inheritdoc />
    public SymmetricEigen EigenSymmetric(Matrix<double> a)
    {
        int n = RequireSquare(a.RowCount, a.ColumnCount);
        var z = LargeArrays.Zeroed<double>((long)n * n);
        var w = Dsyevr(CopyOf(a), n, z);
        return new SymmetricEigen(w, Matrix<double>.Build.Dense(n, n, z));
    }

    /// <summary>
    /// <see cref="EigenSymmetric"/> of a dense matrix the caller gives up: dsyevr overwrites its array instead of a copy
    /// (one d × d array less, whose page faults are part of a small model's start-up). Same call, same result.
    /// </summary>
    internal SymmetricEigen EigenSymmetricOverwriting(Matrix<double> a)
    {
        int n = RequireSquare(a.RowCount, a.ColumnCount);
        if (a.Storage is not DenseColumnMajorMatrixStorage<double> dense || dense.Data.LongLength != (long)n * n) return EigenSymmetric(a);
        var z = LargeArrays.Zeroed<double>((long)n * n);
        var w = Dsyevr(dense.Data, n, z);
        return new SymmetricEigen(w, Matrix<double>.Build.Dense(n, n, z));
    }

    // All eigenvalues (ascending) of the symmetric column-major n×n `data` (overwritten) by dsyevr; the eigenvectors
    // into `vectors` (n·n) when given, values only when null.
    private static double[] Dsyevr(double[] data, int n, double[]? vectors)
    {
        int ld = Math.Max(1, n);
        var w = new double[n];
        var isuppz = new int[2 * ld];
        int m = 0, info;
        using (Enter(data.LongLength))
        fixed (double* pa = data, pz = vectors, pw = w)
        fixed (int* ps = isuppz)
            info = NativeLapack.Dsyevr(vectors is null ? (byte)'N' : (byte)'V', (byte)'L', n, pa, ld, &m, pw, pz,
                vectors is null ? 1 : ld, ps);
        Check(info, "dsyevr", "the symmetric eigensolver failed to converge");
        if (m != n) throw new LinearAlgebraException($"dsyevr returned {m} of {n} eigenvalues.");
        return w;
    }

    private static volatile bool _twoStageMissing;

    /// <inheritdoc />
    /// <remarks>
    /// Matrices from 1024² on use the two-stage reduction `dsyevd_2stage` (values only; the faster one at scale, see
    /// docs/benchmarks.md); small ones, or a LAPACK without it, use `dsyevr`.
    /// </remarks>
    public double[] EigenvaluesSymmetric(Matrix<double> a) => EigenvaluesSymmetric(a, CopyOf(a));

    /// <inheritdoc />
    /// <remarks><paramref name="a"/>'s storage is the LAPACK work matrix: no d×d copy.</remarks>
    public double[] EigenvaluesSymmetricInPlace(Matrix<double> a) =>
        EigenvaluesSymmetric(a, DenseKernels.Data(a));

    private double[] EigenvaluesSymmetric(Matrix<double> a, double[] data)
    {
        int n = RequireSquare(a.RowCount, a.ColumnCount);
        int ld = Math.Max(1, n);
        var w = new double[n];
        int info;
        if (n >= 1024 && !_twoStageMissing)
        {
            try
            {
                using (Enter(data.LongLength))
                fixed (double* pa = data, pw = w)
                    info = NativeLapack.Dsyevd2Stage((byte)'N', (byte)'L', n, pa, ld, pw);
                Check(info, "dsyevd_2stage", "the symmetric eigensolver failed to converge");
                return w;
            }
            catch (EntryPointNotFoundException)
            {
                _twoStageMissing = true; // the call never ran: data is untouched
            }
        }
        return Dsyevr(data, n, null);
    }

    /// <inheritdoc />
    public Matrix<Complex> Multiply(Matrix<Complex> a, Matrix<Complex> b)
    {
        if (a.ColumnCount != b.RowCount)
            throw new ArgumentException($"Multiply: {a.RowCount}×{a.ColumnCount} times {b.RowCount}×{b.ColumnCount}.");
        return Gemm(NativeMethods.CblasNoTrans, a, b, a.RowCount, b.ColumnCount, a.ColumnCount);
    }

    /// <inheritdoc />
    public Matrix<Complex> AdjointMultiply(Matrix<Complex> a, Matrix<Complex> b)
    {
        if (a.RowCount != b.RowCount)
            throw new ArgumentException(
                $"AdjointMultiply: ({a.RowCount}×{a.ColumnCount})† times {b.RowCount}×{b.ColumnCount}.");
        return Gemm(NativeMethods.CblasConjTrans, a, b, a.ColumnCount, b.ColumnCount, a.RowCount);
    }

    /// <inheritdoc />
    public Vector<Complex> Solve(Matrix<Complex> a, Vector<Complex> b)
    {
        int n = RequireSquare(a.RowCount, a.ColumnCount);
        if (b.Count != n) throw new ArgumentException($"Solve: {n}×{n} matrix with a right-hand side of length {b.Count}.");
        int ld = Math.Max(1, n);
        var data = CopyOf(a);
        var x = b.ToArray();
        var ipiv = new int[ld];
        int info;
        using (Enter(data.LongLength))
        fixed (Complex* pa = data, px = x)
        fixed (int* pi = ipiv)
            info = NativeLapack.Zgesv(n, 1, pa, ld, pi, px, ld);
        Check(info, "zgesv", $"the {n}×{n} complex matrix is singular");
        return Vector<Complex>.Build.Dense(x);
    }

    /// <inheritdoc />
    public Vector<double> Solve(Matrix<double> a, Vector<double> b)
    {
        int n = RequireSquare(a.RowCount, a.ColumnCount);
        if (b.Count != n) throw new ArgumentException($"Solve: {n}×{n} matrix with a right-hand side of length {b.Count}.");
        int ld = Math.Max(1, n);
        var data = CopyOf(a);
        var x = b.ToArray();
        var ipiv = new int[ld];
        int info;
        using (Enter(data.LongLength))
        fixed (double* pa = data, px = x)
        fixed (int* pi = ipiv)
            info = NativeLapack.Dgesv(n, 1, pa, ld, pi, px, ld);
        Check(info, "dgesv", $"the {n}×{n} real matrix is singular");
        return Vector<double>.Build.Dense(x);
    }

    /// <inheritdoc />
    public (double[] S, Matrix<Complex> U, Matrix<Complex> VH) Svd(Matrix<Complex> a)
    {
        int m = a.RowCount, n = a.ColumnCount;
        if (Math.Max(m, n) > SvdNativeLimit) return ManagedBackend.Instance.Svd(a);
        var data = Padded(CopyOf(a));
        var s = new double[Math.Min(m, n) + Slack];
        var u = new Complex[m * m + Slack];
        var vt = new Complex[n * n + Slack];
        int info;
        using (Enter(data.LongLength))
        fixed (Complex* pa = data, pu = u, pv = vt)
        fixed (double* ps = s)
            info = NativeLapack.Zgesdd((byte)'A', m, n, pa, Math.Max(1, m), ps,
                pu, Math.Max(1, m), pv, Math.Max(1, n));
        Check(info, "zgesdd", "the singular value decomposition failed to converge");
        return (s[..Math.Min(m, n)], Matrix<Complex>.Build.Dense(m, m, u[..(m * m)]), Matrix<Complex>.Build.Dense(n, n, vt[..(n * n)]));
    }

    /// <inheritdoc />
    public (double[] S, Matrix<double> U, Matrix<double> VT) Svd(Matrix<double> a)
    {
        int m = a.RowCount, n = a.ColumnCount;
        if (Math.Max(m, n) > SvdNativeLimit) return ManagedBackend.Instance.Svd(a);
        var data = Padded(CopyOf(a));
        var s = new double[Math.Min(m, n) + Slack];
        var u = new double[m * m + Slack];
        var vt = new double[n * n + Slack];
        int info;
        using (Enter(data.LongLength))
        fixed (double* pa = data, pu = u, pv = vt, ps = s)
            info = NativeLapack.Dgesdd((byte)'A', m, n, pa, Math.Max(1, m), ps,
                pu, Math.Max(1, m), pv, Math.Max(1, n));
        Check(info, "dgesdd", "the singular value decomposition failed to converge");
        return (s[..Math.Min(m, n)], Matrix<double>.Build.Dense(m, m, u[..(m * m)]), Matrix<double>.Build.Dense(n, n, vt[..(n * n)]));
    }

    /// <inheritdoc />
    public bool IsPositiveDefinite(Matrix<Complex> a)
    {
        int n = RequireSquare(a.RowCount, a.ColumnCount);
        if (n == 0) return true;
        var data = CopyOf(a);
        int info;
        using (Enter(data.LongLength))
        fixed (Complex* pa = data)
            info = NativeLapack.Zpotrf((byte)'L', n, pa, n);
        if (info < 0) Check(info, "zpotrf", "invalid argument");
        return info == 0;
    }

    /// <inheritdoc />
    public Complex[] EigenvaluesGeneral(Matrix<Complex> a)
    {
        int n = RequireSquare(a.RowCount, a.ColumnCount);
        int ld = Math.Max(1, n);
        var data = CopyOf(a);
        var w = new Complex[n];
        int info;
        using (Enter(data.LongLength))
        fixed (Complex* pa = data, pw = w)
            info = NativeLapack.Zgeev((byte)'N', (byte)'N', n, pa, ld, pw,
                null, 1, null, 1);
        Check(info, "zgeev", "the QR algorithm failed to compute all eigenvalues");
        return w;
    }

    /// <inheritdoc />
    public GeneralEigen EigenGeneral(Matrix<Complex> a)
    {
        int n = RequireSquare(a.RowCount, a.ColumnCount);
        int ld = Math.Max(1, n);
        var data = CopyOf(a);
        var w = new Complex[n];
        var vr = new Complex[n * n];
        int info;
        using (Enter(data.LongLength))
        fixed (Complex* pa = data, pw = w, pv = vr)
            info = NativeLapack.Zgeev((byte)'N', (byte)'V', n, pa, ld, pw,
                null, 1, pv, ld);
        Check(info, "zgeev", "the QR algorithm failed to compute all eigenvalues");
        return new GeneralEigen(w, Matrix<Complex>.Build.Dense(n, n, vr));
    }

    /// <inheritdoc />
    public GeneralEigen EigenGeneral(Matrix<double> a)
    {
        int n = RequireSquare(a.RowCount, a.ColumnCount);
        int ld = Math.Max(1, n);
        var data = CopyOf(a);
        var wr = new double[n];
        var wi = new double[n];
        var vr = new double[n * n];
        int info;
        using (Enter(data.LongLength))
        fixed (double* pa = data, pwr = wr, pwi = wi, pv = vr)
            info = NativeLapack.Dgeev((byte)'N', (byte)'V', n, pa, ld, pwr, pwi,
                null, 1, pv, ld);
        Check(info, "dgeev", "the QR algorithm failed to compute all eigenvalues");

        // dgeev packs a conjugate pair (wi[j] > 0, wi[j+1] = -wi[j]) as v_j = VR[:,j] + i·VR[:,j+1], v_{j+1} = conj v_j.
        var values = new Complex[n];
        var vecs = new Complex[n * n];
        for (int j = 0; j < n; j++)
        {
            values[j] = new Complex(wr[j], wi[j]);
            if (wi[j] == 0.0 || j + 1 >= n)
            {
                for (int i = 0; i < n; i++) vecs[j * n + i] = vr[j * n + i];
                continue;
            }
            values[j + 1] = new Complex(wr[j + 1], wi[j + 1]);
            for (int i = 0; i < n; i++)
            {
                var v = new Complex(vr[j * n + i], vr[(j + 1) * n + i]);
                vecs[j * n + i] = v;
                vecs[(j + 1) * n + i] = Complex.Conjugate(v);
            }
            j++;
        }
        return new GeneralEigen(values, Matrix<Complex>.Build.Dense(n, n, vecs));
    }

    /// <inheritdoc />
    public Matrix<double> Multiply(Matrix<double> a, Matrix<double> b)
    {
        if (a.ColumnCount != b.RowCount)
            throw new ArgumentException($"Multiply: {a.RowCount}×{a.ColumnCount} times {b.RowCount}×{b.ColumnCount}.");
        return Dgemm(NativeMethods.CblasNoTrans, a, b, a.RowCount, b.ColumnCount, a.ColumnCount);
    }

    /// <inheritdoc />
    public Matrix<double> TransposeMultiply(Matrix<double> a, Matrix<double> b)
    {
        if (a.RowCount != b.RowCount)
            throw new ArgumentException($"TransposeMultiply: ({a.RowCount}×{a.ColumnCount})ᵀ times {b.RowCount}×{b.ColumnCount}.");
        return Dgemm(NativeMethods.CblasTrans, a, b, a.ColumnCount, b.ColumnCount, a.RowCount);
    }

    /// <inheritdoc />
    public Matrix<double> Gram(Matrix<double> a)
    {
        int n = a.ColumnCount, k = a.RowCount;
        var c = LargeArrays.Zeroed<double>((long)n * n);
        if (n > 0 && k > 0)
        {
            var ad = DenseKernels.Data(a);
            using (Enter(Math.Max(ad.LongLength, c.LongLength)))
            fixed (double* pa = ad, pc = c)
                NativeMethods.Dsyrk(NativeMethods.CblasColMajor, NativeMethods.CblasLower, NativeMethods.CblasTrans, n, k, 1.0,
                    pa, Math.Max(1, k), 0.0, pc, Math.Max(1, n));
            DenseKernels.MirrorLower(c, n, static x => x);
        }
        return Matrix<double>.Build.Dense(n, n, c);
    }

    /// <inheritdoc />
    public Matrix<Complex> Gram(Matrix<Complex> a)
    {
        int n = a.ColumnCount, k = a.RowCount;
        var c = LargeArrays.Zeroed<Complex>((long)n * n);
        if (n > 0 && k > 0)
        {
            var ad = DenseKernels.Data(a);
            using (Enter(Math.Max(ad.LongLength, c.LongLength)))
            fixed (Complex* pa = ad, pc = c)
                NativeMethods.Zherk(NativeMethods.CblasColMajor, NativeMethods.CblasLower, NativeMethods.CblasConjTrans, n, k, 1.0,
                    pa, Math.Max(1, k), 0.0, pc, Math.Max(1, n));
            for (int j = 0; j < n; j++) c[j + j * n] = new Complex(c[j + j * n].Real, 0);
            DenseKernels.MirrorLower(c, n, Complex.Conjugate);
        }
        return Matrix<Complex>.Build.Dense(n, n, c);
    }

    // A column-major copy LAPACK may overwrite (huge-page advised when large).
    private static T[] CopyOf<T>(Matrix<T> a) where T : unmanaged, IEquatable<T>, IFormattable
        => a.Storage is DenseColumnMajorMatrixStorage<T> dense ? LargeArrays.Copy(dense.Data) : a.ToColumnMajorArray();

    /// <summary>
    /// C = op(A) B into the first m·n entries of <paramref name="c"/> (column-major, leading dimension m), op(A) = Aᵀ when
    /// <paramref name="transposeA"/>: A is k × m (lda = k) then, else m × k (lda = m); B is k × n (ldb = k). For callers
    /// that reuse one work array across many products of varying sizes (fresh memory costs its page faults).
    /// </summary>
    internal static void DgemmInto(bool transposeA, double[] a, double[] b, int m, int n, int k, double[] c)
    {
        if ((long)m * n > c.LongLength) throw new ArgumentException($"DgemmInto: {m}×{n} result in an array of {c.LongLength}.");
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            Array.Clear(c, 0, m * n);
            return;
        }
        using (Enter(Math.Max(a.LongLength, (long)m * n)))
        fixed (double* pa = a, pb = b, pc = c)
            NativeMethods.Dgemm(NativeMethods.CblasColMajor, transposeA ? NativeMethods.CblasTrans : NativeMethods.CblasNoTrans,
                NativeMethods.CblasNoTrans, m, n, k, 1.0, pa, transposeA ? k : m, pb, k, 0.0, pc, m);
    }

    private static Matrix<double> Dgemm(int transA, Matrix<double> a, Matrix<double> b, int m, int n, int k)
    {
        var c = LargeArrays.Zeroed<double>((long)m * n);
        if (k == 0 || m == 0 || n == 0) return Matrix<double>.Build.Dense(m, n, c);
        var ad = DenseKernels.Data(a);
        var bd = DenseKernels.Data(b);
        using (Enter(Math.Max(ad.LongLength, c.LongLength)))
        fixed (double* pa = ad, pb = bd, pc = c)
            NativeMethods.Dgemm(NativeMethods.CblasColMajor, transA, NativeMethods.CblasNoTrans, m, n, k, 1.0,
                pa, Math.Max(1, a.RowCount), pb, Math.Max(1, b.RowCount), 0.0, pc, Math.Max(1, m));
        return Matrix<double>.Build.Dense(m, n, c);
    }

    /// <summary>
    /// Largest dimension for which SVDs go to LAPACK (larger ones use the managed SVD). On this Debian
    /// (then LAPACKE 3.11 over OpenBLAS 0.3.21, Cooperlake kernels on AMD EPYC) `zgesdd` called from .NET segfaulted in
    /// OpenBLAS's zgemv kernel from n ≈ 850 (backtrace: zgesdd → zgebrd → zlabrd → zgemv_n_COOPERLAKE), whatever the
    /// thread count, stack size or alignment. No solver path at scale depends on an SVD (the Pauli matrix uses
    /// closed classes, the dynamics use LU-based condition numbers), so the fallback costs time only for large
    /// degenerate ν = 0 sectors.
    /// </summary>
    public const int SvdNativeLimit = 512;

    private static Matrix<Complex> Gemm(int transA, Matrix<Complex> a, Matrix<Complex> b, int m, int n, int k)
    {
        var c = LargeArrays.Zeroed<Complex>((long)m * n);
        if (k == 0 || m == 0 || n == 0) return Matrix<Complex>.Build.Dense(m, n, c);
        // cblas_zgemm only reads A and B, so dense inputs are pinned in place rather than copied.
        var ad = DenseKernels.Data(a);
        var bd = DenseKernels.Data(b);
        Complex alpha = Complex.One, beta = Complex.Zero;
        using (Enter(Math.Max(ad.LongLength, c.LongLength)))
        fixed (Complex* pa = ad, pb = bd, pc = c)
            NativeMethods.Zgemm(NativeMethods.CblasColMajor, transA, NativeMethods.CblasNoTrans, m, n, k, &alpha,
                pa, Math.Max(1, a.RowCount), pb, Math.Max(1, b.RowCount), &beta, pc, Math.Max(1, m));
        return Matrix<Complex>.Build.Dense(m, n, c);
    }

    /// <summary>
    /// Extra elements after every array handed to ?gesdd. On OpenBLAS 0.3.21 (ZEN kernels) the SVD reads
    /// past the end of one of its arrays; when a large .NET array ends just before an unmapped page that read
    /// segfaults (in ztrmm_kernel_LR_ZEN, intermittently). 1024 spare elements (8–16 KiB) cover the over-read; the
    /// runs that showed it are in docs/benchmarks.md.
    /// </summary>
    private const int Slack = 1024;

    private static T[] Padded<T>(T[] data)
    {
        var padded = new T[data.Length + Slack];
        Array.Copy(data, padded, data.Length);
        return padded;
    }

    private static int RequireSquare(int rows, int columns)
    {
        if (rows != columns) throw new ArgumentException($"Matrix must be square, got {rows}×{columns}.");
        return rows;
    }

    private static void Check(int info, string routine, string positiveMeaning)
    {
        if (info == 0) return;
        if (info < 0) throw new LinearAlgebraException($"{routine}: argument {-info} was rejected (info = {info}).");
        throw new LinearAlgebraException($"{routine}: {positiveMeaning} (info = {info}).");
    }
}
