using Davies.LinearAlgebra;
using System.Runtime.CompilerServices;
using Davies.Spectral;

namespace Davies.Generators;

/// <summary>
/// The per-level blocks of the generator's anticommutator and Lamb-shift parts, per bath b and level I:
/// K_{b,I} = Σ_{α of b} Σ_N G_b(ω_{IN}) A_{NI}† A_{NI} and H_LS,{b,I} likewise with S_b (ω_{IN} = Ē_I − Ē_N), read
/// from the <see cref="JumpOperators"/>. Built once per set of jump operators (thread-safe) and shared by every
/// generator of it; a spectrum at scale whose coherence sectors are all settled by bounds never needs them.
/// </summary>
internal sealed class LevelBlocks
{
    /// <summary>Levels larger than this get sparse blocks when the eigenbasis is a permuted site basis.</summary>
    internal const int SparseLevelMinimum = 64;

    // Lazy: built exactly once even when two solvers of one model ask at the same time (a table may create two entries).
    private static readonly ConditionalWeakTable<JumpOperators, Lazy<LevelBlocks>> Cache = new();

    private LevelBlocks(Matrix<Complex>[][] k, Matrix<Complex>[][] lamb)
    {
        K = k;
        Lamb = lamb;
    }

    /// <summary>K_{b,I}, indexed [bath][level] (read-only).</summary>
    public Matrix<Complex>[][] K { get; }

    /// <summary>H_LS,{b,I}, indexed [bath][level] (read-only).</summary>
    public Matrix<Complex>[][] Lamb { get; }

    /// <summary>The blocks of <paramref name="jumps"/>, built on first use and kept while the jump operators live.</summary>
    public static LevelBlocks Of(JumpOperators jumps) => Cache.GetValue(jumps, j => new Lazy<LevelBlocks>(() => Build(j))).Value;

    /// <summary>The largest total decay rate max_I ‖Σ_b K_b,I‖_F (a scale of the dissipator).</summary>
    public double DecayScale()
    {
        double max = 0;
        for (int I = 0; I < K[0].Length; I++)
        {
            var sum = K[0][I].Clone();
            for (int b = 1; b < K.Length; b++) sum += K[b][I];
            max = Math.Max(max, sum.FrobeniusNorm());
        }
        return max;
    }

    /// <summary>The largest Lamb shift max_I Σ_b ‖H_LS,b,I‖_F (0 without Lamb shift; a scale of −i[H_LS, ·]).</summary>
    public double LambScale()
    {
        double max = 0;
        for (int I = 0; I < (Lamb.Length == 0 ? 0 : Lamb[0].Length); I++)
        {
            double sum = 0;
            for (int b = 0; b < Lamb.Length; b++) sum += Lamb[b][I].FrobeniusNorm();
            max = Math.Max(max, sum);
        }
        return max;
    }

    private static LevelBlocks Build(JumpOperators jumps)
    {
        var basis = jumps.Basis;
        int nb = jumps.BathCount, L = basis.Levels.Count;
        var k = new Matrix<Complex>[nb][];
        var lamb = new Matrix<Complex>[nb][];
        for (int b = 0; b < nb; b++)
        {
            k[b] = new Matrix<Complex>[L];
            lamb[b] = new Matrix<Complex>[L];
            for (int I = 0; I < L; I++)
            {
                // large degenerate levels of a structured basis: sparse blocks (K is often diagonal there)
                int dI = basis.Levels[I].Count;
                bool sparse = dI > SparseLevelMinimum && basis.Permutation is not null;
                k[b][I] = sparse ? Matrix<Complex>.Build.Sparse(dI, dI) : Matrix<Complex>.Build.Dense(dI, dI);
                lamb[b][I] = sparse ? Matrix<Complex>.Build.Sparse(dI, dI) : Matrix<Complex>.Build.Dense(dI, dI);
            }
        }
        if (L == basis.Dimension) FillNonDegenerate(jumps, k, lamb);
        else FillDegenerate(jumps, k, lamb);
        return new LevelBlocks(k, lamb);
    }

    // Non-degenerate: 1×1 blocks, K_I = Σ_N G(ω_IN) |A_NI|² (H_LS likewise), one column of A per level. Per level and
    // rate table, G and S out of level I are gathered once and shared by every coupling of that table; the ω = 0 term
    // (whose rate may be unset) is added only where the coupling's diagonal block is non-negligible.
    private static void FillNonDegenerate(JumpOperators jumps, Matrix<Complex>[][] kBlocks, Matrix<Complex>[][] lambBlocks)
    {
        int d = jumps.Basis.Dimension;
        var groups = jumps.ByRateTable(null);
        int P = jumps.Bohr.PositiveCount;
        if (jumps.Streamed is { HasColumnSums: true } streamed)
        {
            // the streaming build's column sums, added in the same order (by rate table, then coupling)
            Parallel.For(0, d, DenseKernels.ParallelOver(d), I =>
            {
                foreach (var (rates, lamb, cs) in groups)
                    foreach (int c in cs)
                    {
                        double kd = streamed.Decay[c]![I], hd = streamed.Lamb[c]![I];
                        if (jumps.HasBlock(c, I, I))
                        {
                            var z = streamed.Diagonal[c]![I];
                            double x = z.Real * z.Real + z.Imaginary * z.Imaginary;
                            kd += rates[P] * x;
                            hd += lamb[P] * x;
                        }
                        int b = jumps.Bath(c);
                        kBlocks[b][I][0, 0] += kd;
                        lambBlocks[b][I][0, 0] += hd;
                    }
            });
            return;
        }
        Parallel.For(0, d, DenseKernels.ParallelOver(d), () => (G: new double[d], S: new double[d]), (I, _, buf) =>
        {
            foreach (var (rates, lamb, cs) in groups)
            {
                jumps.RatesOutOf(I, rates, buf.G);
                jumps.RatesOutOf(I, lamb, buf.S);
                foreach (int c in cs)
                {
                    double kd = jumps.ColumnWeightedSquares(buf.G, c, I), hd = jumps.ColumnWeightedSquares(buf.S, c, I);
                    if (jumps.HasBlock(c, I, I))
                    {
                        double x = jumps.Matrix(c).Norm2(I + I * d);
                        kd += rates[P] * x;
                        hd += lamb[P] * x;
                    }
                    int b = jumps.Bath(c);
                    kBlocks[b][I][0, 0] += kd;
                    lambBlocks[b][I][0, 0] += hd;
                }
            }
            return buf;
        }, _ => { });
    }

    // Degenerate: K_{b,I} and H_LS,{b,I} from the shared level-pair accumulation (weights G_b(ω) and S_b(ω)).
    private static void FillDegenerate(JumpOperators jumps, Matrix<Complex>[][] kBlocks, Matrix<Complex>[][] lambBlocks) =>
        AccumulateDegenerate(jumps, [kBlocks, lambBlocks], (b, id, _, _, w) =>
        {
            w[0] = jumps.Rate(b, id);
            w[1] = jumps.LambShift(b, id);
        });

    /// <summary>The weights of one level pair: (bath, Bohr id of ω = Ē_I − Ē_N, level I, level N, weights to fill).</summary>
    internal delegate void PairWeights(int bath, int id, int levelI, int levelN, Span<double> weights);

    /// <summary>
    /// For a degenerate H_S: targets[k][b][I] += Σ_{α of b} Σ_N w_k(b, ω_IN, I, N) A_NI†A_NI for every weight k, with
    /// (A_NI†A_NI)[i, j] = Σ_{n ∈ N} A[i, n] conj(A[j, n]) (A is Hermitian) read from the exact non-zeros of each column n:
    /// O(Σ_n nnz(column n)²) per coupling, the dense amount of work only for dense columns. The generator's K and H_LS
    /// blocks and the heat operators (<see cref="Thermodynamics.HeatOperators"/>) are this sum with different weights.
    /// </summary>
    internal static void AccumulateDegenerate(JumpOperators jumps, Matrix<Complex>[][][] targets, PairWeights weights)
    {
        var basis = jumps.Basis;
        var levels = basis.Levels;
        int d = basis.Dimension;
        var sparse = jumps.Sparse;
        int[] levelOf = Enumerable.Range(0, d).Select(basis.LevelOf).ToArray();
        Span<double> w = stackalloc double[targets.Length];
        for (int c = 0; c < jumps.Count; c++)
        {
            int b = jumps.Bath(c);
            for (int n = 0; n < d; n++)
            {
                int N = levelOf[n];
                var rows = sparse.Rows(c, n);
                var vals = sparse.Values(c, n);
                for (int r0 = 0; r0 < rows.Length;)
                {
                    int I = levelOf[rows[r0]], r1 = r0 + 1;
                    while (r1 < rows.Length && levelOf[rows[r1]] == I) r1++;
                    weights(b, jumps.Bohr.Id(N, I), I, N, w);
                    int s0 = levels[I].Start;
                    for (int t = 0; t < targets.Length; t++)
                    {
                        if (w[t] == 0) continue;
                        var m = targets[t][b][I];
                        for (int x = r0; x < r1; x++)
                            for (int y = r0; y < r1; y++)
                                m[rows[x] - s0, rows[y] - s0] += w[t] * (vals[x] * Complex.Conjugate(vals[y]));
                    }
                    r0 = r1;
                }
            }
        }
    }
}
