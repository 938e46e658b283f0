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

    /// <summary>
    /// Makes a column-major n×n matrix exactly Hermitian, A ← ½(A + A†), in 64×64 tiles (products V†SV agree with
    /// their adjoint only to rounding).
    /// </summary>
    internal static void Hermitize(double[] a, int n) =>
        Tiles(n, (i, j) =>
        {
            long ij = i + (long)j * n, ji = j + (long)i * n;
            a[ij] = a[ji] = 0.5 * (a[ij] + a[ji]);
        });

    /// <inheritdoc cref="Hermitize(double[], int)"/>
    internal static void Hermitize(Complex[] a, int n) =>
        Tiles(n, (i, j) =>
        {
            long ij = i + (long)j * n, ji = j + (long)i * n;
            if (i == j)
            {
                a[ij] = new Complex(a[ij].Real, 0);
                return;
            }
            var avg = 0.5 * (a[ij] + Complex.Conjugate(a[ji]));
            a[ij] = avg;
            a[ji] = Complex.Conjugate(avg);
        });

    // Calls f(i, j) for every i ≤ j, in 64×64 tiles, tile columns in parallel for large n.
    private static void Tiles(int n, Action<int, int> f)
    {
        const int Tile = 64;
        Parallel.For(0, (n + Tile - 1) / Tile, new ParallelOptions { MaxDegreeOfParallelism = n >= 512 ? -1 : 1 }, tj =>
        {
            int j0 = tj * Tile, j1 = Math.Min(n, j0 + Tile);
            for (int i0 = 0; i0 < j1; i0 += Tile)
                for (int j = j0; j < j1; j++)
                    for (int i = i0; i < Math.Min(Math.Min(i0 + Tile, j1), j + 1); i++) f(i, j);
        });
    }
}
