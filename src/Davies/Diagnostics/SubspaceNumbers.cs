using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>
/// Per invariant subspace P: the weight Tr[Pρ] of a block-diagonal state ρ (eigenbasis), the Gibbs weight Tr[Pρ_β]
/// and ½‖PρP/Tr[Pρ] − Pρ_βP/Tr[Pρ_β]‖₁, level by level (both are block-diagonal over levels). A restricted level block
/// whose off-diagonal entries are below 1e-14 of its largest entry is treated as diagonal (no eigensolver).
/// </summary>
internal static class SubspaceNumbers
{
    // One level of one subspace: the state and the Gibbs state restricted to it, each dense or diagonal.
    private sealed record Block(Matrix<Complex>? R, double[]? RDiagonal, Matrix<Complex>? G, double[]? GDiagonal)
    {
        public double RTrace => RDiagonal?.Sum() ?? R!.Diagonal().Sum(z => z.Real);

        public double GTrace => GDiagonal?.Sum() ?? G!.Diagonal().Sum(z => z.Real);

        public int Size => RDiagonal?.Length ?? R!.RowCount;

        public Matrix<Complex> Dense(bool gibbs) => gibbs
            ? G ?? Matrix<Complex>.Build.DenseOfDiagonalArray(GDiagonal!.Select(x => new Complex(x, 0)).ToArray())
            : R ?? Matrix<Complex>.Build.DenseOfDiagonalArray(RDiagonal!.Select(x => new Complex(x, 0)).ToArray());
    }

    public static List<(double Weight, double? GibbsWeight, double? Distance)> Of(IReadOnlyList<SubspaceData> subspaces, EigenBasis basis,
        Matrix<Complex> rho, double[]? gibbs, ILinearAlgebraBackend backend)
    {
        int d = basis.Dimension;
        var owner = new int[d];
        var position = new int[d];
        Array.Fill(owner, -1);
        for (int k = 0; k < subspaces.Count; k++)
            if (subspaces[k].Indices is { } idx)
                foreach (int m in idx) owner[m] = k;
        // per subspace and level: the members (ascending) and the state's entries between them
        var members = new Dictionary<(int K, int Level), List<int>>();
        for (int m = 0; m < d; m++)
        {
            if (owner[m] < 0) continue;
            var key = (owner[m], basis.LevelOf(m));
            if (!members.TryGetValue(key, out var list)) members[key] = list = [];
            position[m] = list.Count;
            list.Add(m);
        }
        var entries = new Dictionary<(int K, int Level), List<(int I, int J, Complex V)>>();
        foreach (var (m, n, v) in rho.EnumerateIndexed(Zeros.AllowSkip))
        {
            if (v == Complex.Zero || owner[m] < 0 || owner[m] != owner[n] || basis.LevelOf(m) != basis.LevelOf(n)) continue;
            var key = (owner[m], basis.LevelOf(m));
            if (!entries.TryGetValue(key, out var list)) entries[key] = list = [];
            list.Add((position[m], position[n], v));
        }
        var byK = members.GroupBy(e => e.Key.K).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Key.Level).ToList());
        var result = new List<(double, double?, double?)>();
        for (int k = 0; k < subspaces.Count; k++)
        {
            var blocks = new List<Block>();
            if (subspaces[k].Indices is not null)
            {
                foreach (var ((_, level), list) in byK.GetValueOrDefault(k) ?? [])
                {
                    var g = list.Select(m => gibbs?[m] ?? 0).ToArray();
                    var es = entries.GetValueOrDefault((k, level)) ?? [];
                    double maxDiag = 0, maxOff = 0;
                    foreach (var (i, j, v) in es)
                        if (i == j) maxDiag = Math.Max(maxDiag, v.Magnitude);
                        else maxOff = Math.Max(maxOff, v.Magnitude);
                    if (maxOff <= 1e-14 * maxDiag)
                    {
                        var diag = new double[list.Count];
                        foreach (var (i, j, v) in es) if (i == j) diag[i] = v.Real;
                        blocks.Add(new Block(null, diag, null, g));
                    }
                    else
                    {
                        var r = Matrix<Complex>.Build.Dense(list.Count, list.Count);
                        foreach (var (i, j, v) in es) r[i, j] += v;
                        blocks.Add(new Block(r, null, null, g));
                    }
                }
            }
            else
            {
                foreach (var (level, v) in subspaces[k].Blocks!)
                {
                    var l = basis.Levels[level];
                    var rl = rho.SubMatrix(l.Start, l.Count, l.Start, l.Count);
                    var gl = Matrix<Complex>.Build.DenseOfDiagonalArray(
                        Enumerable.Range(0, l.Count).Select(i => new Complex(gibbs?[l.Start + i] ?? 0, 0)).ToArray());
                    blocks.Add(new Block(v.ConjugateTranspose() * rl * v, null, v.ConjugateTranspose() * gl * v, null));
                }
            }
            double weight = blocks.Sum(b => b.RTrace);
            double? gw = gibbs is null ? null : blocks.Sum(b => b.GTrace);
            double? distance = null;
            if (gw is { } gwv && gwv > 0 && weight > 1e-14)
            {
                double sum = 0;
                foreach (var b in blocks)
                {
                    if (b.RDiagonal is { } rd && b.GDiagonal is { } gd)
                        for (int i = 0; i < rd.Length; i++) sum += Math.Abs(rd[i] / weight - gd[i] / gwv);
                    else
                    {
                        var diff = b.Dense(false) / weight - b.Dense(true) / gwv;
                        diff = 0.5 * (diff + diff.ConjugateTranspose());
                        var values = diff.RowCount <= 64
                            ? diff.Evd(Symmetricity.Hermitian).EigenValues.Select(z => z.Real).ToArray()
                            : backend.EigenHermitian(diff).Values;
                        sum += values.Sum(Math.Abs);
                    }
                }
                distance = 0.5 * sum;
            }
            result.Add((weight, gw, distance));
        }
        return result;
    }
}
