using Davies.LinearAlgebra;

namespace Davies.Solvers;

/// <summary>
/// The slowest modes of one sector (or invariant block) matrix M of the generator without all its eigenvalues: every
/// eigenvalue λ with decay −Re λ ≤ a threshold, found by Krylov–Schur (<see cref="KrylovSchur"/>) on the shift-invert
/// operator (M − σ)⁻¹ (one LU factorisation), whose largest eigenvalues μ = 1/(λ − σ) are the λ nearest σ.
/// <para>
/// With the similarity weights w of the KMS form (W = D M D⁻¹, D = diag(1/w)), every eigenvalue lies in the numerical
/// range of W: Re λ ≤ x_max and c − δ ≤ Im λ ≤ c + δ, from Gershgorin discs of the Hermitian and anti-Hermitian parts
/// of W. The shift is σ = x₀ + i c with x₀ = min(x_max, 0) + 0.05 t just right of the spectrum (t the threshold). When
/// the k eigenvalues nearest σ have been found (the k largest |μ|), every other eigenvalue is at distance ≥ r = 1/|μ_k|
/// from σ inside the strip; every eigenvalue also lies left of x₀ (Re λ ≤ x_max, and Re λ ≤ 0 for a block of a
/// generator when x_max > 0), so Re λ ≤ x₀ − √(r² − δ²): once that is below −t, all the modes slower than t are among
/// those found. Otherwise k is doubled. The search gives up (null: the caller diagonalises densely) when k has
/// reached a third of the dimension or Krylov–Schur does not converge.
/// </para>
/// </summary>
internal static class RightmostModes
{
    /// <summary>Blocks from this dimension on are searched by Krylov–Schur (smaller ones are diagonalised densely).</summary>
    internal const int KrylovMinimum = 256;

    /// <summary>Relative residual of the converged Ritz values of the shift-invert operator.</summary>
    internal const double Tolerance = 1e-11;

    /// <param name="m">The block matrix.</param>
    /// <param name="w">Positive similarity weights per row (the KMS ones make the strip narrow).</param>
    /// <param name="threshold">Find every eigenvalue with −Re λ ≤ threshold (finite, &gt; 0).</param>
    /// <param name="backend">The backend of the LU factorisation.</param>
    /// <param name="cancellation">Checked between restarts.</param>
    public static Complex[]? Find(Matrix<Complex> m, double[] w, double threshold, ILinearAlgebraBackend backend,
        CancellationToken cancellation = default)
    {
        int n = m.RowCount;
        if (!(threshold > 0) || !double.IsFinite(threshold)) return null;
        var (xmax, lo, hi) = NumericalRangeBox(m, w);
        double x0 = Math.Min(xmax, 0) + 0.05 * threshold;
        double c = 0.5 * (lo + hi), delta = 0.5 * (hi - lo);
        var sigma = new Complex(x0, c);
        var shifted = m.Clone();
        for (int i = 0; i < n; i++) shifted[i, i] -= sigma;
        LuFactorization lu;
        try { lu = LuFactorization.Of(shifted, backend); }
        catch (LinearAlgebraException) { return null; }
        shifted = null;
        Krylov.Operator apply = (x, y) =>
        {
            var b = x.ToArray();
            lu.Solve(b);
            b.CopyTo(y);
        };
        int cap = n / 3;
        for (int k = Math.Min(6, cap); k >= 1; k = k == cap ? 0 : Math.Min(2 * k, cap))
        {
            var result = KrylovSchur.LargestMagnitude(apply, n, k, Tolerance, cancellation: cancellation);
            if (!result.Converged || result.Values.Any(z => !double.IsFinite(z.Real) || !double.IsFinite(z.Imaginary))) return null;
            var lambda = result.Values.Select(mu => sigma + 1 / mu).ToArray();
            double r = 1 / result.Values[^1].Magnitude;
            if (r > delta && x0 - Math.Sqrt(r * r - delta * delta) < -threshold) return lambda;
        }
        return null;
    }

    /// <summary>
    /// Gershgorin bounds of the numerical range of W = D M D⁻¹ (W_ij = M_ij w_j / w_i): the largest real part of the
    /// Hermitian part's discs and the interval of the anti-Hermitian part's discs.
    /// </summary>
    internal static (double XMax, double ImLow, double ImHigh) NumericalRangeBox(Matrix<Complex> m, double[] w)
    {
        int n = m.RowCount;
        double xmax = double.NegativeInfinity, lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        var data = DenseKernels.Data(m);
        for (int i = 0; i < n; i++)
        {
            double rh = 0, rk = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                var wij = data[i + (long)j * n] * (w[j] / w[i]);
                var wji = data[j + (long)i * n] * (w[i] / w[j]);
                var conj = Complex.Conjugate(wji);
                rh += (wij + conj).Magnitude;
                rk += (wij - conj).Magnitude;
            }
            var d = data[i + (long)i * n];
            xmax = Math.Max(xmax, d.Real + 0.5 * rh);
            lo = Math.Min(lo, d.Imaginary - 0.5 * rk);
            hi = Math.Max(hi, d.Imaginary + 0.5 * rk);
        }
        return (xmax, lo, hi);
    }
}
