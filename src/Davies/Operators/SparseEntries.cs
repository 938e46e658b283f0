using MathNet.Numerics.LinearAlgebra.Storage;

namespace Davies.Operators;

/// <summary>
/// A sparse (compressed-row) matrix from a list of its entries, the same matrix as Math.NET's
/// <c>Matrix.Build.SparseOfIndexed</c> (zeros dropped, each row's entries in ascending column order), without its
/// per-row lists of boxed tuples (a list and a tuple per entry: most of the garbage of reading a small model file,
/// docs/benchmarks.md "Whole-process time, third pass").
/// </summary>
internal static class SparseEntries
{
    /// <summary>
    /// The d × d matrix with the given entries. Entries must name distinct positions; a repeated position is handed to
    /// Math.NET's <c>SparseOfIndexed</c> unchanged (same result, or same exception, as before).
    /// </summary>
    public static Matrix<Complex> Matrix(int d, List<(int Row, int Column, Complex Value)> entries)
    {
        // counting sort by row (stable), then each row's few entries by column
        var rowPointers = new int[d + 1];
        int count = 0;
        foreach (var (r, c, v) in entries)
        {
            if ((uint)r >= (uint)d || (uint)c >= (uint)d) return Fallback(d, entries); // Math.NET names the bad index
            if (v == Complex.Zero) continue;
            rowPointers[r + 1]++;
            count++;
        }
        for (int r = 0; r < d; r++) rowPointers[r + 1] += rowPointers[r];
        var columns = new int[count];
        var values = new Complex[count];
        var next = new int[d];
        Array.Copy(rowPointers, next, d);
        foreach (var (r, c, v) in entries)
        {
            if (v == Complex.Zero) continue;
            int k = next[r]++;
            columns[k] = c;
            values[k] = v;
        }
        for (int r = 0; r < d; r++)
        {
            int start = rowPointers[r], end = rowPointers[r + 1];
            for (int k = start + 1; k < end; k++)
            {
                int c = columns[k];
                var v = values[k];
                int m = k - 1;
                while (m >= start && columns[m] > c)
                {
                    columns[m + 1] = columns[m];
                    values[m + 1] = values[m];
                    m--;
                }
                if (m >= start && columns[m] == c) return Fallback(d, entries); // a repeated position
                columns[m + 1] = c;
                values[m + 1] = v;
            }
        }
        var storage = SparseCompressedRowMatrixStorage<Complex>.OfCompressedSparseRowFormat(d, d, count, rowPointers, columns, values);
        return Matrix<Complex>.Build.Sparse(storage);
    }

    private static Matrix<Complex> Fallback(int d, List<(int Row, int Column, Complex Value)> entries) =>
        Matrix<Complex>.Build.SparseOfIndexed(d, d, entries.Select(e => Tuple.Create(e.Row, e.Column, e.Value)));
}
