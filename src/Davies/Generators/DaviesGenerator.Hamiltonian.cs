using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Generators;

/// <summary>The coherent part of the generator: the Lamb-shift Hamiltonian H_LS and the spectrum of H_S + H_LS.</summary>
public sealed partial class DaviesGenerator
{
    /// <summary>The Lamb-shift Hamiltonian H_LS in the eigenbasis (block-diagonal over levels).</summary>
    public Matrix<Complex> LambShiftHamiltonian()
    {
        int d = Basis.Dimension;
        var m = Matrix<Complex>.Build.Dense(d, d);
        for (int I = 0; I < Basis.Levels.Count; I++)
        {
            var l = Basis.Levels[I];
            for (int b = 0; b < Blocks.Lamb.Length; b++)
                m.SetSubMatrix(l.Start, l.Start, m.SubMatrix(l.Start, l.Count, l.Start, l.Count) + Blocks.Lamb[b][I]);
        }
        return m;
    }

    /// <summary>Eigenvalues of H_S + H_LS, ascending (equal to the energies without Lamb shift).</summary>
    public double[] ShiftedEnergies()
    {
        var result = ShiftedEnergiesByLevel().SelectMany(x => x).ToList();
        result.Sort();
        return result.ToArray();
    }

    /// <summary>
    /// Eigenvalues of H_S + H_LS inside each level of H_S, ascending (H_LS commutes with H_S: block-diagonal over levels).
    /// Each level is split into the connected components of the non-zeros of its H_LS block (read once, sparse or dense),
    /// so a diagonal H_LS costs O(d_I) and only coupled components are diagonalised. Computed once per generator.
    /// </summary>
    internal double[][] ShiftedEnergiesByLevel() => _shifted ??= ComputeShiftedEnergiesByLevel();

    private double[][]? _shifted;

    private double[][] ComputeShiftedEnergiesByLevel()
    {
        var result = new double[Basis.Levels.Count][];
        for (int I = 0; I < Basis.Levels.Count; I++)
        {
            var l = Basis.Levels[I];
            if (l.Count == 1)
            {
                double e = Basis.Energies[l.Start];
                for (int b = 0; b < Blocks.Lamb.Length; b++) e += Blocks.Lamb[b][I][0, 0].Real;
                result[I] = [e];
                continue;
            }
            if (Blocks.Lamb.Any(x => x[I].Storage.IsDense))
            {
                result[I] = DenseLevel(I);
                continue;
            }
            var entries = new Dictionary<(int, int), Complex>();
            for (int i = 0; i < l.Count; i++) entries[(i, i)] = Basis.Energies[l.Start + i];
            for (int b = 0; b < Blocks.Lamb.Length; b++)
                foreach (var (i, j, v) in Blocks.Lamb[b][I].EnumerateIndexed(Zeros.AllowSkip))
                    if (v != Complex.Zero) entries[(i, j)] = entries.TryGetValue((i, j), out var old) ? old + v : v;
            var sets = new DisjointSets(l.Count);
            foreach (var (i, j) in entries.Keys) if (i != j) sets.Union(i, j);
            var members = new Dictionary<int, List<int>>();
            for (int i = 0; i < l.Count; i++)
            {
                int root = sets.Find(i);
                if (!members.TryGetValue(root, out var list)) members[root] = list = [];
                list.Add(i);
            }
            var level = new List<double>(l.Count);
            var byComponent = entries.GroupBy(e => sets.Find(e.Key.Item1)).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var (root, comp) in members)
            {
                if (comp.Count == 1)
                {
                    level.Add(entries[(comp[0], comp[0])].Real);
                    continue;
                }
                var local = new Dictionary<int, int>();
                for (int k = 0; k < comp.Count; k++) local[comp[k]] = k;
                var h = Matrix<Complex>.Build.Dense(comp.Count, comp.Count);
                foreach (var ((i, j), v) in byComponent[root]) h[local[i], local[j]] += v;
                h = 0.5 * (h + h.ConjugateTranspose());
                level.AddRange(h.RowCount <= 64
                    ? h.Evd(Symmetricity.Hermitian).EigenValues.Select(z => z.Real)
                    : Model.Backend.EigenHermitian(h).Values);
            }
            level.Sort();
            result[I] = level.ToArray();
        }
        return result;
    }

    // A level whose H_LS blocks are dense: block by block of the sparsity graph of the dense matrix.
    private double[] DenseLevel(int I)
    {
        var l = Basis.Levels[I];
        var h = Matrix<Complex>.Build.Dense(l.Count, l.Count);
        for (int i = 0; i < l.Count; i++) h[i, i] = Basis.Energies[l.Start + i];
        for (int b = 0; b < Blocks.Lamb.Length; b++) h += Blocks.Lamb[b][I];
        var level = new List<double>(l.Count);
        h = 0.5 * (h + h.ConjugateTranspose());
        foreach (var comp in Solvers.BlockSplitting.Components(h))
        {
            if (comp.Length == 1) level.Add(h[comp[0], comp[0]].Real);
            else
            {
                var sub = Solvers.BlockSplitting.Sub(h, comp);
                level.AddRange(sub.RowCount <= 64
                    ? sub.Evd(Symmetricity.Hermitian).EigenValues.Select(z => z.Real)
                    : Model.Backend.EigenHermitian(sub).Values);
            }
        }
        level.Sort();
        return level.ToArray();
    }
}
