namespace Davies.Solvers;

/// <summary>
/// Splits a square matrix into the connected components of its sparsity graph (i ~ j when A[i, j] ≠ 0 or
/// A[j, i] ≠ 0, exact zeros): after a simultaneous permutation the matrix is block-diagonal over the components, so
/// each can be diagonalised or exponentiated on its own. A Bohr sector is often reducible further this way when the
/// eigenbasis is sparse (e.g. a Hamiltonian diagonal in the site basis, where extra conserved quantities such as the
/// "difference" of the two sides of a coherence show up as exact zeros).
/// </summary>
internal static class BlockSplitting
{
    /// <summary>The components, each a sorted array of indices; components ordered by their smallest index.</summary>
    public static int[][] Components(Matrix<Complex> a)
    {
        int n = a.RowCount;
        if (n == 1) return [[0]];
        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int x)
        {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        }
        var storage = a.Storage;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
            {
                if (i == j || storage.At(i, j) == Complex.Zero) continue;
                int ri = Find(i), rj = Find(j);
                if (ri != rj) parent[Math.Max(ri, rj)] = Math.Min(ri, rj);
            }
        var groups = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < n; i++)
        {
            int r = Find(i);
            if (!groups.TryGetValue(r, out var g)) groups[r] = g = [];
            g.Add(i);
        }
        return groups.Values.Select(g => g.ToArray()).ToArray();
    }

    /// <summary>The principal submatrix A[idx, idx].</summary>
    public static Matrix<Complex> Sub(Matrix<Complex> a, int[] idx)
    {
        if (idx.Length == a.RowCount) return a;
        return Matrix<Complex>.Build.Dense(idx.Length, idx.Length, (i, j) => a[idx[i], idx[j]]);
    }
}
