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
        if (a.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<Complex> dense)
        {
            var data = dense.Data;
            for (int j = 0; j < n; j++)
            {
                long col = (long)j * n;
                for (int i = 0; i < n; i++)
                {
                    if (i == j || data[i + col] == Complex.Zero) continue;
                    int ri = Find(i), rj = Find(j);
                    if (ri != rj) parent[Math.Max(ri, rj)] = Math.Min(ri, rj);
                }
            }
        }
        else
        {
            var storage = a.Storage;
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                {
                    if (i == j || storage.At(i, j) == Complex.Zero) continue;
                    int ri = Find(i), rj = Find(j);
                    if (ri != rj) parent[Math.Max(ri, rj)] = Math.Min(ri, rj);
                }
        }
        return Group(parent, Find);
    }

    /// <summary>The components of a real symmetric matrix (its lower triangle read), as <see cref="Components(Matrix{Complex})"/>.</summary>
    public static int[][] SymmetricComponents(double[] a, int n)
    {
        if (n == 1) return [[0]];
        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int x)
        {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        }
        for (int j = 0; j < n; j++)
        {
            long col = (long)j * n;
            for (int i = j + 1; i < n; i++)
            {
                if (a[i + col] == 0) continue;
                int ri = Find(i), rj = Find(j);
                if (ri != rj) parent[Math.Max(ri, rj)] = Math.Min(ri, rj);
            }
        }
        return Group(parent, Find);
    }

    private static int[][] Group(int[] parent, Func<int, int> find)
    {
        int n = parent.Length;
        var groups = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < n; i++)
        {
            int r = find(i);
            if (!groups.TryGetValue(r, out var g)) groups[r] = g = [];
            g.Add(i);
        }
        return groups.Values.Select(g => g.ToArray()).ToArray();
    }

    /// <summary>The principal submatrix A[idx, idx].</summary>
    public static Matrix<Complex> Sub(Matrix<Complex> a, int[] idx)
    {
        if (idx.Length == a.RowCount) return a;
        int k = idx.Length, n = a.RowCount;
        var data = LinearAlgebra.DenseKernels.Data(a);
        var sub = new Complex[(long)k * k];
        for (int j = 0; j < k; j++)
        {
            long col = (long)idx[j] * n, at = (long)j * k;
            for (int i = 0; i < k; i++) sub[i + at] = data[idx[i] + col];
        }
        return Matrix<Complex>.Build.Dense(k, k, sub);
    }

    /// <summary>
    /// The eigenvalues of a real symmetric matrix, component by component of its sparsity graph (a matrix that splits,
    /// e.g. the Pauli matrix of couplings that keep a parity, costs the sum of its blocks' cubes); ascending. May
    /// overwrite <paramref name="a"/> when it does not split.
    /// </summary>
    public static double[] SymmetricEigenvalues(Matrix<double> a, LinearAlgebra.ILinearAlgebraBackend backend)
    {
        int n = a.RowCount;
        var data = LinearAlgebra.DenseKernels.Data(a);
        var components = SymmetricComponents(data, n);
        if (components.Length == 1) return backend.EigenvaluesSymmetricInPlace(a);
        var values = new List<double>(n);
        foreach (var idx in components)
        {
            int k = idx.Length;
            if (k == 1)
            {
                values.Add(data[idx[0] + (long)idx[0] * n]);
                continue;
            }
            var sub = LinearAlgebra.LargeArrays.Zeroed<double>((long)k * k);
            for (int j = 0; j < k; j++)
            {
                long col = (long)idx[j] * n, at = (long)j * k;
                for (int i = 0; i < k; i++) sub[i + at] = data[idx[i] + col];
            }
            values.AddRange(backend.EigenvaluesSymmetricInPlace(Matrix<double>.Build.Dense(k, k, sub)));
        }
        values.Sort();
        return values.ToArray();
    }
}
