using Davies.LinearAlgebra;

namespace Davies.Solvers;

/// <summary>
/// x(t) = e^{At}x₀ of one generator block at many times without decomposing A: Arnoldi builds an orthonormal basis
/// V_m of the Krylov space K_m(A, x) (m ≤ <see cref="MaxBasis"/>, classical Gram–Schmidt applied twice) and the
/// Hessenberg matrix H_m = V_m† A V_m, and x(t₀ + τ) ≈ β V_m e^{τH_m} e₁ (β = ‖x(t₀)‖) for every requested time the
/// basis covers. Coverage is judged by Saad's a-posteriori estimate of the error, β h_{m+1,m} |e_mᵀ e^{τH_m} e₁|, against
/// <see cref="Tolerance"/>·‖x₀‖; past the last covered time the basis is rebuilt from x there (a new segment), and when
/// not even the next requested time is covered an intermediate step is taken (τ halved until covered). When the Krylov
/// space becomes invariant (h_{m+1,m} ≈ 0, always by m = dim A) the result is exact. The small exponential e^{τH_m}e₁
/// comes from the eigen-decomposition of H_m (once per segment), or from the Padé exponential of τH_m when its
/// eigenvectors are ill-conditioned. Saad, SIAM J. Numer. Anal. 29, 209 (1992); Sidje, ACM TOMS 24, 130 (1998)
/// (Expokit).
/// </summary>
internal static class KrylovTrajectory
{
    /// <summary>Smallest block propagated this way by default (smaller ones are decomposed: cheap and exact).</summary>
    internal const int DefaultMinimum = 256;

    /// <summary>Largest Krylov basis of one segment.</summary>
    internal const int MaxBasis = 64;

    /// <summary>Error allowed per segment, relative to ‖x₀‖.</summary>
    internal const double Tolerance = 1e-13;

    /// <summary>
    /// One segment of the trajectory: the orthonormal basis (its first <c>m</c> vectors) and, per covered time index,
    /// the coefficients y with x(t) = Σ_j y_j V_j.
    /// </summary>
    internal sealed record Segment(Complex[][] Basis, IReadOnlyList<(int TimeIndex, Complex[] Y)> Times);

    /// <summary>
    /// Propagates <paramref name="x0"/> by <paramref name="a"/> to every time of <paramref name="times"/> (each ≥ 0, any
    /// order) and hands each segment to <paramref name="sink"/>, in increasing time.
    /// </summary>
    public static void Run(BlockOperator a, Complex[] x0, IReadOnlyList<double> times, Action<Segment> sink,
        CancellationToken cancellation = default)
    {
        int n = a.Dimension;
        var order = Enumerable.Range(0, times.Count).OrderBy(i => times[i]).ToArray();
        double beta0 = Norm(x0);
        var x = (Complex[])x0.Clone();
        double t0 = 0, tolerance = Tolerance * beta0;
        int next = 0;
        var w = new Complex[n];
        while (next < order.Length)
        {
            cancellation.ThrowIfCancellationRequested();
            double beta = Norm(x);
            if (beta == 0 || beta0 == 0)
            {
                // nothing left to propagate: the state is zero from here on
                var zero = order.Skip(next).Select(i => (i, Array.Empty<Complex>())).ToList();
                sink(new Segment([], zero));
                return;
            }
            var (basis, h, m, invariant) = Arnoldi(a, x, beta, w, cancellation);
            double hNext = invariant ? 0 : h[m, m - 1].Magnitude;
            var small = new SmallExponential(h.SubMatrix(0, m, 0, m));
            double Error(double tau) => hNext == 0 ? 0 : beta * hNext * small.Apply(tau)[m - 1].Magnitude;

            var covered = new List<(int, Complex[])>();
            while (next < order.Length)
            {
                double tau = times[order[next]] - t0;
                if (Error(tau) > tolerance) break;
                covered.Add((order[next], Scaled(small.Apply(tau), beta)));
                next++;
            }
            if (covered.Count > 0)
            {
                sink(new Segment(basis, covered));
                if (next == order.Length) return;
                double tEnd = times[covered[^1].Item1];
                x = Combine(basis, covered[^1].Item2, n);
                t0 = tEnd;
                continue;
            }
            // not even the next time is covered: an intermediate step to the largest τ (halving) that is
            double step = times[order[next]] - t0;
            for (int halvings = 0; halvings < 60 && Error(step) > tolerance; halvings++) step *= 0.5;
            x = Combine(basis, Scaled(small.Apply(step), beta), n);
            t0 += step;
        }
    }

    private static (Complex[][] Basis, Matrix<Complex> H, int M, bool Invariant) Arnoldi(BlockOperator a, Complex[] x,
        double beta, Complex[] w, CancellationToken cancellation)
    {
        int n = a.Dimension, mMax = Math.Min(MaxBasis, n);
        var basis = new Complex[mMax + 1][];
        var h = Matrix<Complex>.Build.Dense(mMax + 1, mMax);
        basis[0] = Scaled(x, 1 / beta);
        double scale = 0;
        for (int j = 0; j < mMax; j++)
        {
            cancellation.ThrowIfCancellationRequested();
            a.Apply(basis[j], w);
            double wNorm = Norm(w);
            scale = Math.Max(scale, wNorm);
            for (int pass = 0; pass < 2; pass++)
                for (int i = 0; i <= j; i++)
                {
                    var c = DenseKernels.ConjugateDot(basis[i], w);
                    h[i, j] += c;
                    Subtract(w, c, basis[i]);
                }
            double norm = Norm(w);
            h[j + 1, j] = norm;
            if (norm <= 1e-14 * Math.Max(scale, wNorm) || j + 1 == n)
                return (basis[..(j + 1)], h, j + 1, true); // invariant subspace: exact from here
            basis[j + 1] = Scaled(w, 1 / norm);
        }
        return (basis[..mMax], h, mMax, false);
    }

    private static double Norm(ReadOnlySpan<Complex> x) => Math.Sqrt(DenseKernels.ConjugateDot(x, x).Real);

    private static Complex[] Scaled(ReadOnlySpan<Complex> x, double c)
    {
        var y = new Complex[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * c;
        return y;
    }

    private static void Subtract(Span<Complex> w, Complex c, ReadOnlySpan<Complex> v)
    {
        for (int i = 0; i < w.Length; i++) w[i] -= c * v[i];
    }

    /// <summary>Σ_j y_j V_j.</summary>
    internal static Complex[] Combine(Complex[][] basis, Complex[] y, int n)
    {
        var x = new Complex[n];
        for (int j = 0; j < y.Length; j++)
        {
            var v = basis[j];
            var c = y[j];
            for (int i = 0; i < n; i++) x[i] += c * v[i];
        }
        return x;
    }

    /// <summary>e^{τH}e₁ for a small matrix H at any τ: from its eigen-decomposition when well-conditioned, else Padé.</summary>
    private sealed class SmallExponential
    {
        private readonly Matrix<Complex> _h;
        private readonly Complex[]? _lambda;
        private readonly Matrix<Complex>? _vectors;
        private readonly Complex[]? _c; // V⁻¹e₁

        public SmallExponential(Matrix<Complex> h)
        {
            _h = h;
            int m = h.RowCount;
            if (m == 1) { _lambda = [h[0, 0]]; _vectors = Matrix<Complex>.Build.Dense(1, 1, 1); _c = [1]; return; }
            try
            {
                var evd = h.Evd(Symmetricity.Asymmetric);
                var v = evd.EigenVectors;
                var inverse = v.Inverse();
                double cond = v.L1Norm() * inverse.L1Norm();
                if (!(cond <= 1e6)) return;
                _lambda = evd.EigenValues.ToArray();
                _vectors = v;
                _c = inverse.Column(0).ToArray();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or MathNet.Numerics.NonConvergenceException) { }
        }

        public Complex[] Apply(double tau)
        {
            int m = _h.RowCount;
            if (_vectors is null) return MatrixExponential.Exp(_h * tau).Column(0).ToArray();
            var e = new Complex[m];
            for (int j = 0; j < m; j++) e[j] = Complex.Exp(_lambda![j] * tau) * _c![j];
            var y = new Complex[m];
            for (int j = 0; j < m; j++)
                for (int i = 0; i < m; i++) y[i] += _vectors[i, j] * e[j];
            return y;
        }
    }
}

/// <summary>
/// y = A x for a dense block matrix in the cheapest exact form: when every off-diagonal entry is real (real couplings
/// and H_S: the jump terms), A = R + diag(a) with R real, stored by rows as doubles, and the complex diagonal apart;
/// otherwise the complex rows. The arrays come from <see cref="ScratchPool"/> and go back to it on disposal.
/// </summary>
internal sealed class BlockOperator : IDisposable
{
    private readonly double[]? _real; // row-major, zero diagonal
    private readonly Complex[]? _complex; // row-major, conjugated (so that a row's conjugate dot with x is (Ax)_i), zero diagonal
    private readonly Complex[] _diagonal;

    public BlockOperator(Matrix<Complex> a)
    {
        int n = a.RowCount;
        Dimension = n;
        var data = DenseKernels.Data(a); // column-major
        _diagonal = new Complex[n];
        bool real = true;
        for (long k = 0; k < data.Length && real; k++)
            if (data[k].Imaginary != 0 && k % (n + 1) != 0) real = false;
        if (real) _real = Rows<Complex, double>(data, n);
        else _complex = Rows<Complex, Complex>(data, n);
        for (int i = 0; i < n; i++) _diagonal[i] = data[i + (long)i * n];
    }

    /// <summary>The operator of a real matrix W (the Pauli matrix of the population sector).</summary>
    public BlockOperator(Matrix<double> w)
    {
        int n = w.RowCount;
        Dimension = n;
        var data = DenseKernels.Data(w); // column-major
        _diagonal = new Complex[n];
        _real = Rows<double, double>(data, n);
        for (int i = 0; i < n; i++) _diagonal[i] = data[i + (long)i * n];
    }

    // The off-diagonal entries of a column-major n × n matrix by rows (a pooled array), with a zero diagonal: the real
    // parts (TOut = double) or the conjugates (TOut = Complex: a row's conjugate dot with x is then (Ax)_i). The type tests
    // are constants of each instantiation, so the JIT keeps one branch.
    private static TOut[] Rows<TIn, TOut>(TIn[] data, int n) where TIn : unmanaged where TOut : unmanaged
    {
        var rows = ScratchPool.Rent<TOut>((long)n * n);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
            {
                var x = data[i + (long)j * n];
                rows[(long)i * n + j] = i == j ? default
                    : typeof(TOut) == typeof(Complex) ? (TOut)(object)Complex.Conjugate((Complex)(object)x)
                    : typeof(TIn) == typeof(double) ? (TOut)(object)x
                    : (TOut)(object)((Complex)(object)x).Real;
            }
        return rows;
    }

    public int Dimension { get; }

    /// <summary>Hands the arrays back to the pool (the operator must not be applied afterwards).</summary>
    public void Dispose()
    {
        if (_real is not null) ScratchPool.Return(_real);
        if (_complex is not null) ScratchPool.Return(_complex);
    }

    public void Apply(ReadOnlySpan<Complex> x, Span<Complex> y)
    {
        int n = Dimension;
        if (_real is { } r)
        {
            var xr = new double[n];
            var xi = new double[n];
            for (int i = 0; i < n; i++) { xr[i] = x[i].Real; xi[i] = x[i].Imaginary; }
            for (int i = 0; i < n; i++)
            {
                var row = r.AsSpan((int)((long)i * n), n);
                y[i] = new Complex(DenseKernels.Dot(row, xr), DenseKernels.Dot(row, xi)) + _diagonal[i] * x[i];
            }
            return;
        }
        var c = _complex!;
        for (int i = 0; i < n; i++)
        {
            var row = c.AsSpan((int)((long)i * n), n);
            y[i] = DenseKernels.ConjugateDot(row, x) + _diagonal[i] * x[i];
        }
    }
}
