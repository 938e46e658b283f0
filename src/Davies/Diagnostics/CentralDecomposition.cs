using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>
/// The minimal central projections of an algebra F of conserved quantities (block-diagonal over the levels of H_S)
/// on a set of eigenvectors, when they are not diagonal in the eigenbasis (e.g. the singlet and the triplet of two
/// identical qubits). F ≅ ⊕_k M(n_k) ⊗ 𝟙(m_k): a generic Hermitian Z ∈ F has as eigenspaces the minimal projections
/// Q_i of F (rank m_k), and Q_i, Q_j lie in the same central block exactly when Q_i W Q_j ≠ 0 for a generic W ∈ F.
/// Generic means random coefficients from a fixed seed (reproducible); eigenvalues of Z are grouped with a relative
/// tolerance of 1e-8, and Q_i W Q_j counts as non-zero above 1e-8 of max |W|.
/// </summary>
internal static class CentralDecomposition
{
    /// <summary>Largest number of eigenvectors split this way (beyond: the group is reported unresolved).</summary>
    internal const int Limit = 2048;

    /// <summary>The relative tolerance of the eigenvalue grouping and of the links: 1e-8.</summary>
    internal const double Tolerance = 1e-8;

    /// <summary>Seed of the generic coefficients.</summary>
    internal const int Seed = 20240613;

    /// <summary>
    /// The invariant subspaces inside the eigenvectors <paramref name="indices"/> (ascending) of the algebra spanned by
    /// <paramref name="ops"/> (supported on those eigenvectors), or null when there are more than <see cref="Limit"/>.
    /// </summary>
    public static List<SubspaceData>? Split(EigenBasis basis, int[] indices, IReadOnlyList<EigenOperator> ops, ILinearAlgebraBackend backend)
    {
        if (indices.Length > Limit) return null;
        int d = basis.Dimension;
        var rng = new Random(Seed);
        // per level: the group's eigenvectors (level-local positions)
        var byLevel = indices.GroupBy(basis.LevelOf).OrderBy(g => g.Key).Select(g => (Level: g.Key, Members: g.ToArray())).ToArray();
        var pos = new Dictionary<int, (int Block, int Local)>();
        for (int b = 0; b < byLevel.Length; b++)
            for (int i = 0; i < byLevel[b].Members.Length; i++) pos[byLevel[b].Members[i]] = (b, i);
        var z = byLevel.Select(l => Matrix<Complex>.Build.Dense(l.Members.Length, l.Members.Length)).ToArray();
        var w = byLevel.Select(l => Matrix<Complex>.Build.Dense(l.Members.Length, l.Members.Length)).ToArray();
        foreach (var op in ops)
        {
            double norm = op.Norm();
            if (norm == 0) continue;
            double a = rng.NextDouble() - 0.5, b2 = rng.NextDouble() - 0.5;
            var c = new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
            foreach (var (key, v0) in op.Entries)
            {
                int m = (int)(key % d), n = (int)(key / d);
                if (!pos.TryGetValue(m, out var pm) || !pos.TryGetValue(n, out var pn) || pm.Block != pn.Block) continue;
                var v = v0 / norm;
                // Z += a (X + X†)/2 + b (X − X†)/(2i), W += c X
                var herm = 0.5 * a * v + b2 * v / (2 * Complex.ImaginaryOne);
                z[pm.Block][pm.Local, pn.Local] += herm;
                z[pm.Block][pn.Local, pm.Local] += Complex.Conjugate(herm);
                w[pm.Block][pm.Local, pn.Local] += c * v;
            }
        }
        // eigenspaces of Z over all levels, grouped by eigenvalue
        var values = new List<(double Value, int Block, int Column)>();
        var vectors = new Matrix<Complex>[byLevel.Length];
        double scale = 0;
        for (int b = 0; b < byLevel.Length; b++)
        {
            var h = 0.5 * (z[b] + z[b].ConjugateTranspose());
            var eig = h.RowCount <= 64 ? Managed(h) : backend.EigenHermitian(h);
            vectors[b] = eig.Vectors;
            for (int i = 0; i < eig.Values.Length; i++)
            {
                values.Add((eig.Values[i], b, i));
                scale = Math.Max(scale, Math.Abs(eig.Values[i]));
            }
        }
        values.Sort((x, y) => x.Value.CompareTo(y.Value));
        double tol = Tolerance * Math.Max(scale, 1e-300);
        var cluster = byLevel.Select(l => new int[l.Members.Length]).ToArray();
        int clusters = 0;
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0 && values[i].Value - values[i - 1].Value > tol) clusters++;
            cluster[values[i].Block][values[i].Column] = clusters;
        }
        clusters++;
        // link clusters through W
        var sets = new Generators.DisjointSets(clusters);
        double wMax = w.Select(x => x.Enumerate().Select(v => v.Magnitude).DefaultIfEmpty(0).Max()).DefaultIfEmpty(0).Max();
        for (int b = 0; b < byLevel.Length; b++)
        {
            var t = vectors[b].ConjugateTranspose() * w[b] * vectors[b];
            for (int j = 0; j < t.ColumnCount; j++)
                for (int i = 0; i < t.RowCount; i++)
                    if (t[i, j].Magnitude > Tolerance * Math.Max(wMax, 1e-300)) sets.Union(cluster[b][i], cluster[b][j]);
        }
        // central blocks
        var blockOfCluster = new Dictionary<int, int>();
        var clusterCount = new List<HashSet<int>>();
        var result = new List<(List<(int Level, List<int> Columns)> Parts, int Lowest)>();
        for (int b = 0; b < byLevel.Length; b++)
            for (int i = 0; i < byLevel[b].Members.Length; i++)
            {
                int root = sets.Find(cluster[b][i]);
                if (!blockOfCluster.TryGetValue(root, out int k))
                {
                    k = result.Count;
                    blockOfCluster[root] = k;
                    result.Add(([], byLevel[b].Level));
                    clusterCount.Add([]);
                }
                clusterCount[k].Add(cluster[b][i]);
                var parts = result[k].Parts;
                if (parts.Count == 0 || parts[^1].Level != byLevel[b].Level) parts.Add((byLevel[b].Level, []));
                parts[^1].Columns.Add(i);
            }
        var subspaces = new List<SubspaceData>();
        for (int k = 0; k < result.Count; k++)
        {
            var blocks = new List<(int, Matrix<Complex>)>();
            int dim = 0;
            foreach (var (level, columns) in result[k].Parts)
            {
                int b = Array.FindIndex(byLevel, l => l.Level == level);
                var lv = basis.Levels[level];
                var v = Matrix<Complex>.Build.Dense(lv.Count, columns.Count);
                for (int c = 0; c < columns.Count; c++)
                    for (int i = 0; i < byLevel[b].Members.Length; i++)
                        v[byLevel[b].Members[i] - lv.Start, c] = vectors[b][i, columns[c]];
                blocks.Add((level, v));
                dim += columns.Count;
            }
            long n = clusterCount[k].Count;
            subspaces.Add(new SubspaceData(null, blocks.ToArray(), dim, n * n, true, result[k].Lowest));
        }
        return subspaces;
    }

    private static HermitianEigen Managed(Matrix<Complex> h)
    {
        var evd = h.Evd(Symmetricity.Hermitian);
        var values = evd.EigenValues.Select(x => x.Real).ToArray();
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var v = Matrix<Complex>.Build.Dense(h.RowCount, h.RowCount, (i, j) => evd.EigenVectors[i, order[j]]);
        return new HermitianEigen(order.Select(i => values[i]).ToArray(), v);
    }
}
