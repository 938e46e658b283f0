using Davies.Generators;
using Davies.LinearAlgebra;

namespace Davies.Solvers.Pruning;

/// <summary>
/// Rigorous bounds on the decay rates of one dense Bohr-sector matrix M, used by <see cref="Spectrum"/> to skip a
/// sector that cannot hold one of the reported modes. With the diagonal similarity S = diag((p_m p_n)^{1/4}) over the
/// sector's elements (m, n) (p positive weights, the KMS ones make the bounds tight), every eigenvalue of M lies in
/// the numerical range of S M S⁻¹, so Re λ ≤ λ_max(H) with H its Hermitian part. Under KMS detailed balance S makes
/// the dissipative part Hermitian (the Hamiltonian and Lamb-shift parts are anti-Hermitian).
/// </summary>
internal static class DenseSectorBounds
{
    // Small sectors: their eigenvalues cost no more than the Cholesky test.
    private const int CholeskyMinimum = 8;

    // Below this size the Cholesky test runs in managed code (a LAPACK call costs more than the factorisation).
    private const int NativeCholeskyMinimum = 64;

    /// <summary>
    /// A rigorous lower bound on the decay rate −Re λ of every eigenvalue of a sector matrix M: λ_max(H) bounded by
    /// Gershgorin on the Hermitian part H of S M S⁻¹.
    /// </summary>
    internal static double DecayLowerBound(Matrix<Complex> m, BohrSector sector, double[] p) =>
        GershgorinDecay(WeightedHermitianPart(m, sector, p));

    /// <summary>
    /// Whether the weighted numerical range of the sector matrix lies left of Re z = <paramref name="bound"/>, i.e.
    /// λ_max(H) &lt; bound for the Hermitian part H of S M S⁻¹ (same weights as <see cref="DecayLowerBound"/>): then
    /// every eigenvalue has Re λ &lt; bound. Decided by a Cholesky factorisation of bound·1 − H (positive definite iff
    /// λ_max(H) &lt; bound), O(k³/3), far cheaper than the eigenvalues; used when Gershgorin is not sharp enough.
    /// </summary>
    /// <param name="m">The sector matrix.</param>
    /// <param name="sector">Its Bohr sector (the elements (m, n) of its rows).</param>
    /// <param name="p">Positive weights per eigenvector.</param>
    /// <param name="bound">The abscissa.</param>
    /// <param name="backend">Backend of the Cholesky factorisation of sectors of 64 elements or more.</param>
    internal static bool NumericalRangeBelow(Matrix<Complex> m, BohrSector sector, double[] p, double bound,
        ILinearAlgebraBackend backend) =>
        m.RowCount >= CholeskyMinimum && HermitianBelow(WeightedHermitianPart(m, sector, p), bound, backend);

    /// <summary>
    /// Whether every eigenvalue of the sector matrix provably decays faster than <paramref name="threshold"/>: the
    /// Gershgorin bound (<see cref="DecayLowerBound"/>) exceeds it, or, when it does not and the sector is not tiny,
    /// the numerical range lies left of −<paramref name="safeThreshold"/> (<see cref="NumericalRangeBelow"/>). The
    /// weighted Hermitian part is formed once for both tests.
    /// </summary>
    /// <param name="m">The sector matrix.</param>
    /// <param name="sector">Its Bohr sector.</param>
    /// <param name="p">Positive weights per eigenvector.</param>
    /// <param name="threshold">The decay rate to exceed.</param>
    /// <param name="safeThreshold"><paramref name="threshold"/> plus a rounding margin, for the Cholesky test.</param>
    /// <param name="backend">Backend of the Cholesky factorisation of sectors of 64 elements or more.</param>
    internal static bool DecaysFasterThan(Matrix<Complex> m, BohrSector sector, double[] p, double threshold,
        double safeThreshold, ILinearAlgebraBackend backend) =>
        DecaysFasterThan(m, ElementWeights(sector, p), threshold, safeThreshold, backend);

    /// <summary>
    /// <see cref="DecaysFasterThan(Matrix{Complex}, BohrSector, double[], double, double, ILinearAlgebraBackend)"/>
    /// for a matrix whose rows have the similarity weights <paramref name="w"/> (<see cref="ElementWeights"/>, or a
    /// subset of them for an invariant block of a sector).
    /// </summary>
    internal static bool DecaysFasterThan(Matrix<Complex> m, double[] w, double threshold, double safeThreshold,
        ILinearAlgebraBackend backend)
    {
        var h = WeightedHermitianPart(m, w);
        try
        {
            return GershgorinDecay(h) > threshold || (h.RowCount >= CholeskyMinimum && HermitianBelow(h, -safeThreshold, backend));
        }
        finally
        {
            ScratchPool.Return(DenseKernels.Data(h));
        }
    }

    /// <summary>The similarity weights (p_m p_n)^{1/4} of the sector's elements (m, n) (all ones when one underflows).</summary>
    internal static double[] ElementWeights(BohrSector sector, double[] p)
    {
        var w = new double[sector.Dimension];
        for (int i = 0; i < w.Length; i++)
        {
            var (row, col) = sector.Element(i);
            w[i] = Math.Pow(p[row] * p[col], 0.25);
        }
        if (w.Any(x => x == 0 || !double.IsFinite(x))) Array.Fill(w, 1.0);
        return w;
    }

    /// <summary>
    /// H = ½(S M S⁻¹ + (S M S⁻¹)†) with S = diag((p_m p_n)^{1/4}) over the sector's elements (m, n) (all ones when a
    /// weight underflows); the weights of <see cref="DecayLowerBound"/> and <see cref="NumericalRangeBelow"/>.
    /// </summary>
    private static Matrix<Complex> WeightedHermitianPart(Matrix<Complex> m, BohrSector sector, double[] p) =>
        WeightedHermitianPart(m, ElementWeights(sector, p));

    private static Matrix<Complex> WeightedHermitianPart(Matrix<Complex> m, double[] w)
    {
        int k = m.RowCount;
        var a = DenseKernels.Data(m);
        var h = ScratchPool.Rent<Complex>((long)k * k); // every entry is written below
        // tiles of 64×64: [i, j] and [j, i] of both arrays stay in cache
        DenseKernels.LowerTriangleTiles(k, (i, j) =>
        {
            long ij = i + (long)j * k, ji = j + (long)i * k;
            var x = 0.5 * (a[ij] * (w[j] / w[i]) + Complex.Conjugate(a[ji]) * (w[i] / w[j]));
            h[ij] = x;
            h[ji] = Complex.Conjugate(x);
        });
        for (int i = 0; i < k; i++) h[i + (long)i * k] = new Complex(h[i + (long)i * k].Real, 0);
        return Matrix<Complex>.Build.Dense(k, k, h);
    }

    // Gershgorin on the Hermitian part: −Re λ ≥ min_i (−H_ii − Σ_{j≠i} |H_ij|) (column sums: H is Hermitian).
    private static double GershgorinDecay(Matrix<Complex> h)
    {
        int k = h.RowCount;
        var a = DenseKernels.Data(h);
        double bound = double.PositiveInfinity;
        for (int j = 0; j < k; j++)
        {
            long col = (long)j * k;
            double r = -a[j + col].Real;
            for (int i = 0; i < k; i++)
                if (i != j) r -= a[i + col].Magnitude;
            bound = Math.Min(bound, r);
        }
        return bound;
    }

    // λ_max(h) < bound, by a Cholesky factorisation of bound·1 − h.
    private static bool HermitianBelow(Matrix<Complex> h, double bound, ILinearAlgebraBackend backend)
    {
        int k = h.RowCount;
        var data = DenseKernels.Data(h);
        double scale = 0;
        bool real = true;
        foreach (var z in data)
        {
            scale = Math.Max(scale, z.Magnitude);
            real &= z.Imaginary == 0;
        }
        // A rounding margin: a Cholesky that succeeds proves positive definiteness only up to ~k·u·‖A‖.
        double margin = 1e-12 * k * Math.Max(scale, Math.Abs(bound));
        if (real)
        {
            // real couplings: the weighted Hermitian part is real symmetric (a quarter of the complex factorisation)
            var r = ScratchPool.Rent<double>(data.LongLength); // every entry is written below
            try
            {
                for (long t = 0; t < data.Length; t++) r[t] = -data[t].Real;
                for (int i = 0; i < k; i++) r[i + (long)i * k] += bound - margin;
                return RealCholesky.Succeeds(r, k, backend);
            }
            finally
            {
                ScratchPool.Return(r);
            }
        }
        var a = ScratchPool.Rent<Complex>(data.LongLength);
        try
        {
            for (long t = 0; t < data.Length; t++) a[t] = -data[t];
            for (int i = 0; i < k; i++) a[i + (long)i * k] += bound - margin;
            return (k < NativeCholeskyMinimum ? ManagedBackend.Instance : backend).IsPositiveDefinite(Matrix<Complex>.Build.Dense(k, k, a));
        }
        finally
        {
            ScratchPool.Return(a);
        }
    }
}
