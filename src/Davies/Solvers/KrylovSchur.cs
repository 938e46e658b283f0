using Davies.LinearAlgebra;
namespace Davies.Solvers;

/// <summary>
/// The eigenvalues of largest magnitude of a general (non-Hermitian) operator given only by its action, by the
/// Krylov–Schur method (G. W. Stewart, SIAM J. Matrix Anal. Appl. 23, 601 (2001)): an Arnoldi factorisation
/// A V_m = V_m H_m + f e_mᵀ with full (twice classical Gram–Schmidt) reorthogonalisation is grown to m vectors; the
/// Ritz pairs (θ, V_m y) of H_m are tested by their residuals |f|·|e_mᵀ y|; unless the wanted ones have converged, the
/// factorisation is truncated to the k wanted Ritz values: with Z an orthonormal basis of the wanted eigenvectors of
/// H_m (an invariant subspace of H_m, so H_m Z = Z T), V_k ← V_m Z and H_k ← T = Z†H_m Z, and the relation
/// A V_k = V_k T + f (e_mᵀ Z) is extended again by Arnoldi from f. (Stewart's method reorders a Schur form; the
/// orthonormalised eigenvectors span the same invariant subspace, which is all the restart needs.)
/// </summary>
internal static class KrylovSchur
{
    /// <summary>The outcome: Ritz values by decreasing magnitude, their relative residuals, convergence, products used.</summary>
    public readonly record struct Result(Complex[] Values, double[] Residuals, bool Converged, int Products);

    /// <summary>
    /// The <paramref name="count"/> eigenvalues of largest magnitude of <paramref name="a"/> (dimension
    /// <paramref name="n"/>), converged when each Ritz residual is ≤ <paramref name="tolerance"/> × |θ|.
    /// </summary>
    public static Result LargestMagnitude(Krylov.Operator a, int n, int count, double tolerance, int seed = 12345,
        int maxRestarts = 300, CancellationToken cancellation = default)
    {
        count = Math.Clamp(count, 1, n);
        int m = Math.Min(n, Math.Max(2 * count + 12, 24));
        if (m == n)
        {
            // the whole space: one Arnoldi pass is exact
            maxRestarts = 0;
        }
        var v = new Complex[m + 1][];
        var h = new Complex[m + 1, m];
        var rng = new Random(seed);
        v[0] = RandomUnit(rng, n, v, 0);
        int k = 0, products = 0;
        var w = new Complex[n];
        Complex[] theta = [];
        double[] residuals = [];
        for (int restart = 0; ; restart++)
        {
            cancellation.ThrowIfCancellationRequested();
            for (int j = k; j < m; j++)
            {
                a(v[j], w);
                products++;
                var coefficients = Orthogonalize(v, j + 1, w);
                for (int i = 0; i <= j; i++) h[i, j] += coefficients[i];
                double beta = Krylov.Norm(w);
                double scale = 0;
                for (int i = 0; i <= j; i++) scale += coefficients[i].Magnitude;
                if (beta <= 1e-13 * Math.Max(scale, double.Epsilon))
                {
                    // an invariant subspace: continue with a fresh direction (the Ritz values found so far are exact)
                    h[j + 1, j] = 0;
                    v[j + 1] = j + 1 < n ? RandomUnit(rng, n, v, j + 1) : new Complex[n];
                }
                else
                {
                    h[j + 1, j] = beta;
                    var next = v[j + 1] ?? new Complex[n];
                    for (int i = 0; i < n; i++) next[i] = w[i] / beta;
                    v[j + 1] = next;
                }
            }
            // Ritz values of H_m, by decreasing magnitude
            var hm = Matrix<Complex>.Build.Dense(m, m, (i, j) => h[i, j]);
            var evd = hm.Evd(Symmetricity.Asymmetric);
            var order = Enumerable.Range(0, m).OrderByDescending(i => evd.EigenValues[i].Magnitude).ToArray();
            double fnorm = h[m, m - 1].Magnitude;
            theta = order.Select(i => evd.EigenValues[i]).ToArray();
            residuals = new double[m];
            var y = evd.EigenVectors;
            for (int r = 0; r < m; r++)
            {
                int i = order[r];
                double norm = y.Column(i).L2Norm();
                residuals[r] = fnorm * y[m - 1, i].Magnitude / Math.Max(norm, double.Epsilon) / Math.Max(theta[r].Magnitude, double.MinValue);
            }
            bool converged = true;
            for (int r = 0; r < count; r++) converged &= residuals[r] <= tolerance;
            if (converged || restart >= maxRestarts)
                return new Result(theta.Take(count).ToArray(), residuals.Take(count).ToArray(), converged, products);

            // keep the k wanted Ritz vectors (more than count: the restart keeps their neighbours converging too)
            k = Math.Min(m - 2, Math.Max(count, (m + count) / 2));
            var z = OrthonormalColumns(Matrix<Complex>.Build.Dense(m, k, (i, c) => y[i, order[c]]));
            if (z is null) // the wanted eigenvectors of H_m are (numerically) dependent: give up, the caller falls back
                return new Result(theta.Take(count).ToArray(), residuals.Take(count).ToArray(), false, products);
            // V_k ← V_m Z; the last vector of the old basis is the new (k+1)-th
            var newV = new Complex[k][];
            for (int c = 0; c < k; c++)
            {
                var x = new Complex[n];
                for (int i = 0; i < m; i++)
                {
                    var zc = z[i, c];
                    if (zc == Complex.Zero) continue;
                    var vi = v[i];
                    for (int t = 0; t < n; t++) x[t] += zc * vi[t];
                }
                newV[c] = x;
            }
            var t2 = z.ConjugateTranspose() * hm * z;
            var last = v[m];
            var f = h[m, m - 1];
            Array.Clear(h);
            for (int c = 0; c < k; c++) v[c] = newV[c];
            v[k] = last;
            for (int i = k + 1; i <= m; i++) v[i] = null!;
            for (int i = 0; i < k; i++)
                for (int c = 0; c < k; c++) h[i, c] = t2[i, c];
            for (int c = 0; c < k; c++) h[k, c] = f * z[m - 1, c];
        }
    }

    // w ← w − V V†w twice (classical Gram–Schmidt with one reorthogonalisation); returns V†w summed over both passes.
    private static Complex[] Orthogonalize(Complex[][] v, int count, Complex[] w)
    {
        var total = new Complex[count];
        for (int pass = 0; pass < 2; pass++)
        {
            var c = new Complex[count];
            Parallel.For(0, count, DenseKernels.Threads(w.Length >= 4096), i => c[i] = DenseKernels.ConjugateDot(v[i], w));
            for (int i = 0; i < count; i++)
            {
                var vi = v[i];
                var ci = c[i];
                for (int t = 0; t < w.Length; t++) w[t] -= ci * vi[t];
                total[i] += ci;
            }
        }
        return total;
    }

    private static Complex[] RandomUnit(Random rng, int n, Complex[][] basis, int count)
    {
        var x = new Complex[n];
        for (int i = 0; i < n; i++) x[i] = new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
        if (count > 0) Orthogonalize(basis, count, x);
        double norm = Krylov.Norm(x);
        for (int i = 0; i < n; i++) x[i] /= norm;
        return x;
    }

    // Modified Gram–Schmidt, twice, on the columns; null when they are (numerically) dependent.
    private static Matrix<Complex>? OrthonormalColumns(Matrix<Complex> z)
    {
        int m = z.RowCount, k = z.ColumnCount;
        var q = z.Clone();
        for (int c = 0; c < k; c++)
            for (int pass = 0; pass < 2; pass++)
            {
                for (int p = 0; p < c; p++)
                {
                    Complex dot = 0;
                    for (int i = 0; i < m; i++) dot += Complex.Conjugate(q[i, p]) * q[i, c];
                    for (int i = 0; i < m; i++) q[i, c] -= dot * q[i, p];
                }
                double norm = q.Column(c).L2Norm();
                if (!(norm > 1e-10)) return null;
                for (int i = 0; i < m; i++) q[i, c] /= norm;
            }
        return q;
    }
}
