using Davies.Generators;
using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Thermodynamics;

/// <summary>
/// Heat currents J_b = Tr[H_S D_b(ρ)] into the system from each bath b, for a ν = 0 state (the steady state, or the
/// ν = 0 part of any state: coherences between levels carry no energy) given in the generator's
/// <see cref="DaviesGenerator.PopulationSpace"/> coordinates. The Lamb-shift part of D_b commutes with H_S and drops
/// out. Read from the <see cref="JumpOperators"/>: each jump of bath b from level J to level I carries Ē_I − Ē_J.
/// </summary>
internal static class HeatCurrents
{
    /// <summary>The heat currents of all baths, indexed by bath.</summary>
    public static double[] All(DaviesGenerator generator, Vector<Complex> x) =>
        generator.Model.Basis.IsNonDegenerate
            ? FromPopulations(generator, x, null)
            : Enumerable.Range(0, generator.Model.Jumps.BathCount).Select(b => Of(generator, b, x)).ToArray();

    /// <summary>The heat current J_b of bath <paramref name="bath"/>.</summary>
    public static double Of(DaviesGenerator generator, int bath, Vector<Complex> x)
    {
        if (generator.Model.Basis.IsNonDegenerate) return FromPopulations(generator, x, [bath])[bath];
        // Tr[(D_b ρ)_I] = Σ_α Σ_J G(ω_IJ) Tr[A_IJ ρ_J A_IJ†] − Tr[K_{b,I} ρ_I]; the ω = 0 term and its K part cancel in
        // the trace, and gain into level I with loss from level J carry the energy Ē_I − Ē_J. Row i of A is column i
        // conjugated, so Tr[A_IJ ρ_J A_IJ†] = Σ_{i ∈ I} Σ_{j, j′ ∈ J} conj(A[j, i]) ρ_jj′ A[j′, i] is read from the exact
        // non-zeros of each column i: O(Σ_i nnz(column i)²).
        var jumps = generator.Model.Jumps;
        var basis = jumps.Basis;
        var space = generator.PopulationSpace;
        var levels = basis.Levels;
        int d = basis.Dimension;
        var xs = x.AsArray() ?? x.ToArray();
        var sparse = jumps.Sparse;
        double j = 0;
        for (int c = 0; c < jumps.Count; c++)
        {
            if (jumps.Bath(c) != bath) continue;
            for (int i = 0; i < d; i++)
            {
                int I = basis.LevelOf(i);
                var rows = sparse.Rows(c, i);
                var vals = sparse.Values(c, i);
                for (int r0 = 0; r0 < rows.Length;)
                {
                    int J = basis.LevelOf(rows[r0]), r1 = r0 + 1;
                    while (r1 < rows.Length && basis.LevelOf(rows[r1]) == J) r1++;
                    if (J != I)
                    {
                        double g = jumps.Rate(bath, jumps.Bohr.Id(I, J));
                        if (g != 0)
                        {
                            int sJ = levels[J].Start;
                            Complex tr = 0;
                            for (int p = r0; p < r1; p++)
                                for (int q = r0; q < r1; q++)
                                    tr += Complex.Conjugate(vals[p]) * xs[space.Index(J, rows[p] - sJ, rows[q] - sJ)] * vals[q];
                            j += g * tr.Real * (levels[I].Energy - levels[J].Energy);
                        }
                    }
                    r0 = r1;
                }
            }
        }
        return j;
    }

    // Non-degenerate H_S, from the populations only: J_b = Σ_{c of b} Σ_m p_m Σ_{n≠m} G_b(ω_nm) |A_nm|² (E_n − E_m), for
    // the selected baths (all when null), indexed by bath. Per column m, G(ω_nm)(E_n − E_m) is gathered once per rate
    // table and each coupling's contiguous column is read once.
    private static double[] FromPopulations(DaviesGenerator generator, Vector<Complex> x, IReadOnlyCollection<int>? baths)
    {
        var jumps = generator.Model.Jumps;
        var space = generator.PopulationSpace;
        int d = jumps.Basis.Dimension, nb = jumps.BathCount;
        var e = jumps.Basis.Energies;
        var xs = x.AsArray() ?? x.ToArray();
        var groups = jumps.ByRateTable(baths);
        // Each level's contributions in its own slots, summed in level order afterwards: the result does not depend on
        // how the loop is split between threads (a sweep's points are reproducible bit for bit).
        var perLevel = new double[(long)d * nb];
        if (jumps.Streamed is { HasColumnSums: true } streamed)
        {
            // the streaming build's Q_α[m] = Σ_n G(ω_nm)(E_n − E_m)|A_nm|², added in the same order
            for (int m = 0; m < d; m++)
            {
                double pm = xs[space.Index(m, 0, 0)].Real;
                if (pm == 0) continue;
                foreach (var (_, _, cs) in groups)
                    foreach (int c in cs) perLevel[(long)m * nb + jumps.Bath(c)] += pm * streamed.Heat[c]![m];
            }
        }
        else Parallel.For(0, d, DenseKernels.ParallelOver(d), () => new double[d], (m, _, g) =>
        {
            double pm = xs[space.Index(m, 0, 0)].Real;
            if (pm == 0) return g;
            foreach (var (rates, _, cs) in groups)
            {
                jumps.RatesOutOf(m, rates, g);
                for (int n = 0; n < d; n++) g[n] *= e[n] - e[m];
                foreach (int c in cs) perLevel[(long)m * nb + jumps.Bath(c)] += pm * jumps.ColumnWeightedSquares(g, c, m);
            }
            return g;
        }, _ => { });
        var total = new double[nb];
        for (int m = 0; m < d; m++)
            for (int b = 0; b < nb; b++) total[b] += perLevel[(long)m * nb + b];
        return total;
    }
}
