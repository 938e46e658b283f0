namespace Davies.LinearAlgebra;

/// <summary>Cache-aware loops over dense column-major arrays shared by the backends and the spectral tables.</summary>
internal static class DenseKernels
{
    /// <summary>
    /// Fills the strict upper triangle of a column-major n×n matrix from its lower triangle, c[i, j] = f(c[j, i]),
    /// in 64×64 tiles (a plain transposed loop misses the cache and TLB on every read at n ≳ 2048), tile columns in
    /// parallel for large n.
    /// </summary>
    internal static void MirrorLower<T>(T[] c, int n, Func<T, T> f)
    {
        const int Tile = 64;
        int tiles = (n + Tile - 1) / Tile;
        var options = new ParallelOptions { MaxDegreeOfParallelism = n >= 512 ? -1 : 1 };
        Parallel.For(0, tiles, options, tj =>
        {
            int j0 = tj * Tile, j1 = Math.Min(n, j0 + Tile);
            for (int i0 = 0; i0 < j1; i0 += Tile)
            {
                int i1 = Math.Min(j1, i0 + Tile);
                for (int j = j0; j < j1; j++)
                {
                    long col = (long)j * n;
                    for (int i = i0; i < Math.Min(i1, j); i++) c[col + i] = f(c[j + (long)i * n]);
                }
            }
        });
    }
}
