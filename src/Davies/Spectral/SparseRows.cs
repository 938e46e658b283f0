namespace Davies.Spectral;

/// <summary>The stored entries of a matrix in compressed rows (Math.NET's own arrays for a sparse matrix, no copy).</summary>
internal sealed class SparseRows
{
    private SparseRows(int n, int[] rowStart, int[] columns, Complex[] values)
    {
        Dimension = n;
        RowStart = rowStart;
        Columns = columns;
        Values = values;
    }

    public int Dimension { get; }

    public int[] RowStart { get; }

    public int[] Columns { get; }

    public Complex[] Values { get; }

    public static SparseRows Of(Matrix<Complex> m)
    {
        int n = m.RowCount;
        if (m.Storage is MathNet.Numerics.LinearAlgebra.Storage.SparseCompressedRowMatrixStorage<Complex> sparse)
            return new SparseRows(n, sparse.RowPointers, sparse.ColumnIndices, sparse.Values);
        var start = new int[n + 1];
        var columns = new List<int>();
        var values = new List<Complex>();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m.ColumnCount; j++)
            {
                var z = m[i, j];
                if (z == Complex.Zero) continue;
                columns.Add(j);
                values.Add(z);
            }
            start[i + 1] = columns.Count;
        }
        return new SparseRows(n, start, columns.ToArray(), values.ToArray());
    }
}
