namespace Davies.LinearAlgebra;

/// <summary>Cache-aware loops over dense column-major arrays shared by the backends and the spectral tables.</summary>
internal static class DenseKernels
{
    /// <summary>
    /// Loops over rows, columns or levels run in parallel from this many iterations on; below it the thread start-up
    /// costs more than the loop (one rule for every such loop of the library).
    /// </summary>
    internal const int ParallelMinimum = 256;

    /// <summary>Parallel options for a loop of <paramref name="n"/> iterations following <see cref="ParallelMinimum"/>.</summary>
    internal static ParallelOptions ParallelOver(int n, CancellationToken cancellation = default) =>
        new() { MaxDegreeOfParallelism = n >= ParallelMinimum && !Parallelism.SingleThreaded ? -1 : 1, CancellationToken = cancellation };

    /// <summary>
    /// Parallel options for a loop that runs on every core when <paramref name="parallel"/> holds, on the calling thread
    /// alone inside a single-threaded scope (<see cref="Parallelism.SingleThreaded"/>: the points of a sweep with several
    /// jobs, which must not each start a loop over all cores).
    /// </summary>
    internal static ParallelOptions Threads(bool parallel = true, CancellationToken cancellation = default) =>
        new() { MaxDegreeOfParallelism = parallel && !Parallelism.SingleThreaded ? -1 : 1, CancellationToken = cancellation };

    /// <summary><see cref="Threads(bool, CancellationToken)"/> on every core, with a cancellation token.</summary>
    internal static ParallelOptions Threads(CancellationToken cancellation) => Threads(true, cancellation);

    /// <summary>x·c with a real c, for T = double or Complex (no complex product; the type test is resolved when the
    /// method is compiled for T).</summary>
    internal static T Scaled<T>(T x, double c) where T : struct =>
        typeof(T) == typeof(double) ? (T)(object)((double)(object)x * c) : (T)(object)((Complex)(object)x * c);

    /// <summary>⟨x, y⟩ = Σ_i conj(x_i) y_i, summed in index order (the Krylov bases and the ETH matrix elements).</summary>
    internal static Complex ConjugateDot(ReadOnlySpan<Complex> x, ReadOnlySpan<Complex> y)
    {
        double re = 0, im = 0;
        for (int i = 0; i < x.Length; i++)
        {
            re += x[i].Real * y[i].Real + x[i].Imaginary * y[i].Imaginary;
            im += x[i].Real * y[i].Imaginary - x[i].Imaginary * y[i].Real;
        }
        return new Complex(re, im);
    }

    /// <summary>Σ_i a[i] b[i] (SIMD: vector lanes accumulated, then the tail in order).</summary>
    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length, i = 0;
        double sum = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && n >= System.Numerics.Vector<double>.Count)
        {
            var acc = System.Numerics.Vector<double>.Zero;
            for (; i <= n - System.Numerics.Vector<double>.Count; i += System.Numerics.Vector<double>.Count)
                acc += new System.Numerics.Vector<double>(a[i..]) * new System.Numerics.Vector<double>(b[i..]);
            sum = System.Numerics.Vector.Sum(acc);
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>max_n |x[n]| (SIMD; 0 for an empty span; finite entries).</summary>
    internal static double MaxAbs(ReadOnlySpan<double> x)
    {
        int n = x.Length, i = 0;
        double max = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && n >= System.Numerics.Vector<double>.Count)
        {
            var acc = System.Numerics.Vector<double>.Zero;
            for (; i <= n - System.Numerics.Vector<double>.Count; i += System.Numerics.Vector<double>.Count)
                acc = System.Numerics.Vector.Max(acc, System.Numerics.Vector.Abs(new System.Numerics.Vector<double>(x[i..])));
            for (int k = 0; k < System.Numerics.Vector<double>.Count; k++) max = Math.Max(max, acc[k]);
        }
        for (; i < n; i++) max = Math.Max(max, Math.Abs(x[i]));
        return max;
    }

    /// <summary>Σ_n g[n] x[n]² (SIMD).</summary>
    internal static double WeightedSumOfSquares(ReadOnlySpan<double> g, ReadOnlySpan<double> x)
    {
        int d = g.Length, i = 0;
        double sum = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && d >= System.Numerics.Vector<double>.Count)
        {
            var acc = System.Numerics.Vector<double>.Zero;
            for (; i <= d - System.Numerics.Vector<double>.Count; i += System.Numerics.Vector<double>.Count)
            {
                var xi = new System.Numerics.Vector<double>(x[i..]);
                acc += new System.Numerics.Vector<double>(g[i..]) * xi * xi;
            }
            sum = System.Numerics.Vector.Sum(acc);
        }
        for (; i < d; i++) sum += g[i] * x[i] * x[i];
        return sum;
    }

    /// <summary>y[n] += g[n] x[n]² (SIMD).</summary>
    internal static void AddWeightedSquares(ReadOnlySpan<double> g, ReadOnlySpan<double> x, Span<double> y)
    {
        int d = g.Length, i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && d >= System.Numerics.Vector<double>.Count)
            for (; i <= d - System.Numerics.Vector<double>.Count; i += System.Numerics.Vector<double>.Count)
            {
                var xi = new System.Numerics.Vector<double>(x[i..]);
                (new System.Numerics.Vector<double>(y[i..]) + new System.Numerics.Vector<double>(g[i..]) * xi * xi).CopyTo(y[i..]);
            }
        for (; i < d; i++) y[i] += g[i] * x[i] * x[i];
    }

    /// <summary>The column-major entries of <paramref name="m"/>: its own array when dense (no copy), else a copy.</summary>
    internal static T[] Data<T>(Matrix<T> m) where T : struct, IEquatable<T>, IFormattable =>
        m.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<T> dense ? dense.Data : m.ToColumnMajorArray();

    /// <summary>
    /// Calls <paramref name="f"/>(i, j) for every i ≤ j &lt; n, in 64×64 tiles (column tile j, row tiles up to it), so
    /// that a loop touching both [i, j] and [j, i] of a column-major n×n array stays in cache (a plain transposed loop
    /// misses the cache and TLB on every element at n ≳ 2048); tile columns in parallel for n ≥ 512.
    /// </summary>
    internal static void LowerTriangleTiles(int n, Action<int, int> f)
    {
        const int Tile = 64;
        Parallel.For(0, (n + Tile - 1) / Tile, Threads(n >= 512), tj =>
        {
            int j0 = tj * Tile, j1 = Math.Min(n, j0 + Tile);
            for (int i0 = 0; i0 < j1; i0 += Tile)
                for (int j = j0; j < j1; j++)
                    for (int i = i0; i < Math.Min(Math.Min(i0 + Tile, j1), j + 1); i++) f(i, j);
        });
    }

    /// <summary>
    /// Fills the strict upper triangle of a column-major n×n matrix from its lower triangle, c[i, j] = f(c[j, i]).
    /// </summary>
    internal static void MirrorLower<T>(T[] c, int n, Func<T, T> f) =>
        LowerTriangleTiles(n, (i, j) =>
        {
            if (i < j) c[i + (long)j * n] = f(c[j + (long)i * n]);
        });

    /// <summary>
    /// Makes a column-major n×n matrix exactly Hermitian, A ← ½(A + A†) (products V†SV agree with their adjoint only
    /// to rounding).
    /// </summary>
    internal static void Hermitize(double[] a, int n) =>
        LowerTriangleTiles(n, (i, j) =>
        {
            long ij = i + (long)j * n, ji = j + (long)i * n;
            a[ij] = a[ji] = 0.5 * (a[ij] + a[ji]);
        });

    /// <inheritdoc cref="Hermitize(double[], int)"/>
    internal static void Hermitize(Complex[] a, int n) =>
        LowerTriangleTiles(n, (i, j) =>
        {
            long ij = i + (long)j * n, ji = j + (long)i * n;
            if (i == j)
            {
                a[ij] = new Complex(a[ij].Real, 0);
                return;
            }
            var avg = 0.5 * (a[ij] + Complex.Conjugate(a[ji]));
            a[ij] = avg;
            a[ji] = Complex.Conjugate(avg);
        });
}
