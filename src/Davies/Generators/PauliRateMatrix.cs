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
    public static Matrix<double> Shared(JumpOperators jumps)
    {
        // a streaming build took W in its pass (until released to make room: then it is formed again below)
        if (jumps.Streamed?.Pauli is { } streamed) return Matrix<double>.Build.Dense(jumps.Basis.Dimension, jumps.Basis.Dimension, streamed);
        return Cache.GetValue(jumps, j => new Lazy<Matrix<double>>(() => Build(j, null))).Value;
    }

    /// <summary>
    /// After the last stage of a streaming build that needs W (the spectrum's population block): drops the streamed W, so
    /// that the sector bounds' second pass over the couplings has its memory. Nothing for a kept build.
    /// </summary>
    public static void ReleaseStreamed(JumpOperators jumps) => jumps.Streamed?.ReleasePauli();

    /// <summary>W of the selected baths (all when null), a new matrix.</summary>
    public static Matrix<double> Build(JumpOperators jumps, IReadOnlyCollection<int>? baths)
    {
        if (!jumps.Basis.IsNonDegenerate) throw new InvalidOperationException("the Pauli rate matrix needs a non-degenerate spectrum");
        int d = jumps.Basis.Dimension;
        var w = LargeArrays.Zeroed<double>((long)d * d);
        if (!jumps.KeepsCouplings)
        {
            // one pass over the couplings (transformed again), each column of each coupling added once
            int P = jumps.Bohr.PositiveCount;
            jumps.ForEachCoupling((c, a) =>
            {
                if (baths is not null && !baths.Contains(jumps.Bath(c))) return;
                var rates = jumps.RateTable(jumps.Bath(c));
                Parallel.For(0, d, DenseKernels.Threads(), () => new double[d], (m, _, g) =>
                {
                    jumps.RatesOutOf(m, rates, g);
                    JumpOperators.AddColumnWeightedSquares(a, g, m, w.AsSpan((int)((long)m * d), d));
                    return g;
                }, _ => { });
            });
            Parallel.For(0, d, DenseKernels.Threads(), m =>
            {
                var col = w.AsSpan((int)((long)m * d), d);
                double out_ = 0;
                for (int n = 0; n < d; n++) out_ += col[n];
                col[m] = -out_;
            });
            return Matrix<double>.Build.Dense(d, d, w);
        }
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
