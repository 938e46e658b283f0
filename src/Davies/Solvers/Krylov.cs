using Davies.LinearAlgebra;
namespace Davies.Solvers;

/// <summary>
/// Krylov methods on operators given only by their action (internal numerics): restarted GMRES with a diagonal
/// (Jacobi) right preconditioner for linear systems, and Lanczos with full reorthogonalisation for the largest
/// eigenvalues of a Hermitian operator.
/// </summary>
internal static class Krylov
{
    /// <summary>An operator y = A x.</summary>
    public delegate void Operator(ReadOnlySpan<Complex> x, Span<Complex> y);

    /// <summary>The outcome of <see cref="Gmres"/>.</summary>
    /// <param name="X">The solution.</param>
    /// <param name="Converged">Whether ‖b − A x‖ ≤ tolerance × ‖b‖ was reached.</param>
    /// <param name="RelativeResidual">‖b − A x‖ / ‖b‖.</param>
    /// <param name="Iterations">Matrix–vector products used.</param>
    public readonly record struct GmresResult(Complex[] X, bool Converged, double RelativeResidual, int Iterations);

    /// <summary>
    /// Solves A x = b by GMRES(<paramref name="restart"/>) with the right preconditioner diag(<paramref name="inverseDiagonal"/>)
    /// (null: none), starting from zero, until ‖b − A x‖ ≤ <paramref name="tolerance"/> ‖b‖ or
    /// <paramref name="maxIterations"/> products. The residual is recomputed explicitly at every restart.
    /// </summary>
    public static GmresResult Gmres(Operator a, Complex[] b, Complex[]? inverseDiagonal, double tolerance, int restart = 40,
        int maxIterations = 2000, CancellationToken cancellation = default)
    {
        int n = b.Length;
        var x = new Complex[n];
        double bnorm = Norm(b);
        if (bnorm == 0) return new(x, true, 0, 0);
        var r = (Complex[])b.Clone();
        var w = new Complex[n];
        var z = new Complex[n];
        int iterations = 0;
        double rel = 1;
        while (iterations < maxIterations)
        {
            cancellation.ThrowIfCancellationRequested();
            double beta = Norm(r);
            rel = beta / bnorm;
            if (rel <= tolerance) return new(x, true, rel, iterations);
            int m = Math.Min(restart, maxIterations - iterations);
            var v = new Complex[m + 1][];
            var h = new Complex[m + 1, m];
            var cs = new Complex[m];
            var sn = new Complex[m];
            var g = new Complex[m + 1];
            v[0] = new Complex[n];
            for (int i = 0; i < n; i++) v[0][i] = r[i] / beta;
            g[0] = beta;
            int k = 0;
            for (; k < m; k++)
            {
                Precondition(v[k], inverseDiagonal, z);
                a(z, w);
                iterations++;
                for (int j = 0; j <= k; j++) // modified Gram–Schmidt, twice
                {
                    var hj = DenseKernels.ConjugateDot(v[j], w);
                    Axpy(-hj, v[j], w);
                    h[j, k] = hj;
                }
                for (int j = 0; j <= k; j++)
                {
                    var hj = DenseKernels.ConjugateDot(v[j], w);
                    Axpy(-hj, v[j], w);
                    h[j, k] += hj;
                }
                double hn = Norm(w);
                h[k + 1, k] = hn;
                v[k + 1] = new Complex[n];
                if (hn > 0) for (int i = 0; i < n; i++) v[k + 1][i] = w[i] / hn;
                for (int j = 0; j < k; j++) // previous rotations
                {
                    var t = Complex.Conjugate(cs[j]) * h[j, k] + Complex.Conjugate(sn[j]) * h[j + 1, k];
                    h[j + 1, k] = -sn[j] * h[j, k] + cs[j] * h[j + 1, k];
                    h[j, k] = t;
                }
                double den = Math.Sqrt(h[k, k].Magnitude * h[k, k].Magnitude + hn * hn);
                if (den == 0) { k++; break; }
                cs[k] = h[k, k] / den;
                sn[k] = hn / den;
                h[k, k] = den;
                h[k + 1, k] = 0;
                g[k + 1] = -sn[k] * g[k];
                g[k] = Complex.Conjugate(cs[k]) * g[k];
                if (g[k + 1].Magnitude / bnorm <= 0.1 * tolerance || hn == 0) { k++; break; }
            }
            // y from the triangular system, x += M⁻¹ V y
            var y = new Complex[k];
            for (int i = k - 1; i >= 0; i--)
            {
                var s = g[i];
                for (int j = i + 1; j < k; j++) s -= h[i, j] * y[j];
                y[i] = h[i, i] == Complex.Zero ? 0 : s / h[i, i];
            }
            Array.Clear(w);
            for (int j = 0; j < k; j++) Axpy(y[j], v[j], w);
            Precondition(w, inverseDiagonal, z);
            for (int i = 0; i < n; i++) x[i] += z[i];
            a(x, w);
            iterations++;
            for (int i = 0; i < n; i++) r[i] = b[i] - w[i];
        }
        rel = Norm(r) / bnorm;
        return new(x, rel <= tolerance, rel, iterations);
    }

    /// <summary>
    /// The <paramref name="count"/> largest eigenvalues of a Hermitian operator by Lanczos with full reorthogonalisation,
    /// grown until the largest <paramref name="count"/> Ritz values have residuals ≤ <paramref name="tolerance"/> × scale
    /// (or the space is exhausted). Returns the Ritz values, descending, and whether they converged. A single start vector
    /// (seeded) sees one copy of each eigenvalue: multiplicities are not resolved.
    /// </summary>
    public static (double[] Values, bool Converged) LanczosLargest(Operator a, int n, int count, double tolerance,
        int maxVectors = 300, int seed = 12345, CancellationToken cancellation = default)
    {
        int cap = Math.Min(maxVectors, n);
        var q = new List<Complex[]>();
        var alpha = new List<double>();
        var beta = new List<double>();
        var rng = new Random(seed);
        var v = new Complex[n];
        for (int i = 0; i < n; i++) v[i] = new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
        Scale(v, 1 / Norm(v));
        var w = new Complex[n];
        double scale = 0;
        double[] ritz = [];
        bool converged = false;
        for (int k = 0; k < cap; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            q.Add(v);
            a(v, w);
            double ak = DenseKernels.ConjugateDot(v, w).Real;
            alpha.Add(ak);
            for (int pass = 0; pass < 2; pass++)
                foreach (var qj in q) Axpy(-DenseKernels.ConjugateDot(qj, w), qj, w);
            double bk = Norm(w);
            scale = Math.Max(scale, Math.Abs(ak) + bk);
            bool last = k == cap - 1 || bk <= 1e-14 * Math.Max(scale, double.Epsilon);
            if ((k + 1) % 10 == 0 || last || k + 1 >= count && k < 40)
            {
                var (values, lastRow) = TridiagonalEigen(alpha, beta);
                int take = Math.Min(count, values.Length);
                ritz = values.Take(take).ToArray();
                converged = true;
                for (int i = 0; i < take; i++)
                    if (Math.Abs(bk * lastRow[i]) > tolerance * Math.Max(scale, double.Epsilon)) converged = false;
                if (last) return (ritz, converged || bk <= 1e-14 * Math.Max(scale, double.Epsilon));
                if (converged && take == count) return (ritz, true);
            }
            beta.Add(bk);
            v = new Complex[n];
            for (int i = 0; i < n; i++) v[i] = w[i] / bk;
        }
        return (ritz, converged);
    }

    // Eigenvalues (descending) of the symmetric tridiagonal matrix and the last component of each eigenvector.
    private static (double[] Values, double[] LastRow) TridiagonalEigen(List<double> alpha, List<double> beta)
    {
        int k = alpha.Count;
        var t = Matrix<double>.Build.Dense(k, k);
        for (int i = 0; i < k; i++)
        {
            t[i, i] = alpha[i];
            if (i + 1 < k)
            {
                t[i, i + 1] = beta[i];
                t[i + 1, i] = beta[i];
            }
        }
        var evd = t.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, k).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        return (order.Select(i => evd.EigenValues[i].Real).ToArray(), order.Select(i => evd.EigenVectors[k - 1, i]).ToArray());
    }

    private static void Precondition(Complex[] v, Complex[]? inverseDiagonal, Complex[] z)
    {
        if (inverseDiagonal is null) Array.Copy(v, z, v.Length);
        else for (int i = 0; i < v.Length; i++) z[i] = inverseDiagonal[i] * v[i];
    }

    internal static double Norm(ReadOnlySpan<Complex> x)
    {
        double s = 0;
        foreach (var z in x) s += z.Real * z.Real + z.Imaginary * z.Imaginary;
        return Math.Sqrt(s);
    }

    private static void Axpy(Complex a, Complex[] x, Complex[] y)
    {
        for (int i = 0; i < x.Length; i++) y[i] += a * x[i];
    }

    private static void Scale(Complex[] x, double a)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= a;
    }
}
