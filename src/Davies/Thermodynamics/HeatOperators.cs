using System.Runtime.CompilerServices;
using Davies.Spectral;

namespace Davies.Thermodynamics;

/// <summary>
/// The heat-current operators of the Davies generator: J_b(ρ) = Tr[H_S D_b(ρ)] = −Tr[Ω_b ρ] for every state ρ, with
/// Ω_b = −D_b†(H_S) = Σ_{α of b} Σ_ω ω G_b(ω) S_α(ω)†S_α(ω) (S_α(ω) H_S = (H_S + ω) S_α(ω) lowers the energy by ω; the
/// Lamb shift commutes with H_S and drops out). Ω_b commutes with H_S, so it is block-diagonal over the levels:
/// Ω_{b,I} = Σ_{α of b} Σ_N (Ē_I − Ē_N) G_b(Ē_I − Ē_N) A_{NI}†A_{NI}, the same blocks as the generator's
/// K_{b,I} = Σ G_b A†A with every jump weighted by the energy it carries away. Only the ν = 0 part of ρ (populations and
/// coherences inside levels) enters. Built once per set of jump operators (thread-safe).
/// </summary>
internal sealed class HeatOperators
{
    private static readonly ConditionalWeakTable<JumpOperators, Lazy<HeatOperators>> Cache = new();

    private HeatOperators(JumpOperators jumps, Matrix<Complex>[][] omega)
    {
        Jumps = jumps;
        Omega = omega;
    }

    /// <summary>The jump operators the blocks were built from.</summary>
    public JumpOperators Jumps { get; }

    /// <summary>Ω_{b,I}, indexed [bath][level] (read-only; 1×1 for a non-degenerate H_S).</summary>
    public Matrix<Complex>[][] Omega { get; }

    /// <summary>The heat operators of <paramref name="jumps"/>, built on first use and kept while the jump operators live.</summary>
    public static HeatOperators Of(JumpOperators jumps) => Cache.GetValue(jumps, j => new Lazy<HeatOperators>(() => Build(j))).Value;

    /// <summary>J_b = −Σ_I Tr[Ω_{b,I} ρ_I] for a state ρ given in the eigenbasis (only its level blocks are read).</summary>
    public double Current(int bath, Matrix<Complex> rhoEigen)
    {
        var levels = Jumps.Basis.Levels;
        double j = 0;
        for (int I = 0; I < levels.Count; I++)
        {
            var w = Omega[bath][I];
            int s = levels[I].Start, n = levels[I].Count;
            for (int a = 0; a < n; a++)
                for (int c = 0; c < n; c++)
                {
                    var x = w[a, c];
                    if (x != Complex.Zero) j -= (x * rhoEigen[s + c, s + a]).Real;
                }
        }
        return j;
    }

    private static HeatOperators Build(JumpOperators jumps)
    {
        var basis = jumps.Basis;
        int nb = jumps.BathCount, L = basis.Levels.Count;
        var omega = new Matrix<Complex>[nb][];
        for (int b = 0; b < nb; b++)
        {
            omega[b] = new Matrix<Complex>[L];
            for (int I = 0; I < L; I++)
            {
                int dI = basis.Levels[I].Count;
                omega[b][I] = dI > Generators.LevelBlocks.SparseLevelMinimum && basis.Permutation is not null
                    ? Matrix<Complex>.Build.Sparse(dI, dI)
                    : Matrix<Complex>.Build.Dense(dI, dI);
            }
        }
        if (L == basis.Dimension) FillNonDegenerate(jumps, omega);
        else FillDegenerate(jumps, omega);
        return new HeatOperators(jumps, omega);
    }

    // Non-degenerate: Ω_{b,I} = Σ_N G_b(E_I − E_N)(E_I − E_N)|A_NI|², one column of A per level; the ω = 0 term carries no
    // energy. Rates out of level I are gathered once per rate table and shared by its couplings.
    private static void FillNonDegenerate(JumpOperators jumps, Matrix<Complex>[][] omega)
    {
        int d = jumps.Basis.Dimension;
        var e = jumps.Basis.Energies;
        var groups = jumps.ByRateTable(null);
        if (jumps.Streamed is { HasColumnSums: true } streamed)
        {
            // the streaming build's Q_α[I] = Σ_N G(E_I − E_N)(E_N − E_I)|A_NI|² = −Ω contribution (exact negation)
            for (int I = 0; I < d; I++)
                foreach (var (_, _, cs) in groups)
                    foreach (int c in cs) omega[jumps.Bath(c)][I][0, 0] += -streamed.Heat[c]![I];
            return;
        }
        Parallel.For(0, d, LinearAlgebra.DenseKernels.ParallelOver(d), () => new double[d], (I, _, g) =>
        {
            foreach (var (rates, _, cs) in groups)
            {
                jumps.RatesOutOf(I, rates, g);
                for (int n = 0; n < d; n++) g[n] *= e[I] - e[n];
                foreach (int c in cs) omega[jumps.Bath(c)][I][0, 0] += jumps.ColumnWeightedSquares(g, c, I);
            }
            return g;
        }, _ => { });
    }

    // Degenerate: the generator's level-pair accumulation with the weight G_b(ω) ω, ω = Ē_I − Ē_N.
    private static void FillDegenerate(JumpOperators jumps, Matrix<Complex>[][] omega)
    {
        var levels = jumps.Basis.Levels;
        Generators.LevelBlocks.AccumulateDegenerate(jumps, [omega], (b, id, I, N, w) =>
            w[0] = I == N ? 0 : jumps.Rate(b, id) * (levels[I].Energy - levels[N].Energy));
    }
}
