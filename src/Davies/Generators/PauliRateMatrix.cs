using System.Runtime.CompilerServices;
using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Generators;

/// <summary>
/// The classical Pauli rate matrix of a non-degenerate H_S: dp/dt = W p on the d populations, with
/// W[n, m] = Σ_α G_b(E_m − E_n) |⟨n|S_α|m⟩|² for n ≠ m and columns summing to zero — the population block of the
/// Davies generator, built from the <see cref="JumpOperators"/>.
/// </summary>
internal static class PauliRateMatrix
{
    // Lazy: built exactly once even when two solvers of one model ask at the same time (a table may create two entries).
    private static readonly ConditionalWeakTable<JumpOperators, Lazy<Matrix<double>>> Cache = new();

    /// <summary>W of all baths, built once per set of jump operators and shared (read-only: callers must not modify it).</summary>
    public static Matrix<double> Shared(JumpOperators jumps) =>
        Cache.GetValue(jumps, j => new Lazy<Matrix<double>>(() => Build(j, null))).Value;

    /// <summary>W of the selected baths (all when null), a new matrix.</summary>
    public static Matrix<double> Build(JumpOperators jumps, IReadOnlyCollection<int>? baths)
    {
        if (!jumps.Basis.IsNonDegenerate) throw new InvalidOperationException("the Pauli rate matrix needs a non-degenerate spectrum");
        int d = jumps.Basis.Dimension;
        var w = LargeArrays.Zeroed<double>((long)d * d);
        var groups = jumps.ByRateTable(baths);
        // Column m of W: the rates out of level m gathered once per rate table, then |A_c[n, m]|² of each coupling read
        // down its contiguous column; negligible blocks are stored as zeros.
        Parallel.For(0, d, DenseKernels.ParallelOver(d), () => new double[d], (m, _, g) =>
        {
            var col = w.AsSpan((int)((long)m * d), d);
            foreach (var (rates, _, cs) in groups)
            {
                jumps.RatesOutOf(m, rates, g);
                foreach (int c in cs) jumps.AddColumnWeightedSquares(g, c, m, col);
            }
            double out_ = 0;
            for (int n = 0; n < d; n++) out_ += col[n]; // col[m] is still 0 (no ω = 0 term)
            col[m] = -out_;
            return g;
        }, _ => { });
        return Matrix<double>.Build.Dense(d, d, w);
    }
}
