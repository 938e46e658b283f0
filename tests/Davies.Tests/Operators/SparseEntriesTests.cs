using Davies.Models;
using Davies.Operators;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace Davies.Tests.Operators;

/// <summary>
/// <see cref="SparseEntries"/> builds the same compressed-row storage as Math.NET's SparseOfIndexed (zeros dropped,
/// columns ascending in each row), array for array, and hands a repeated position to Math.NET unchanged.
/// </summary>
public class SparseEntriesTests
{
    private static List<(int Row, int Column, Complex Value)> RandomEntries(int d, int count, int seed, double zeroFraction)
    {
        var rng = new Random(seed);
        var taken = new HashSet<(int, int)>();
        var list = new List<(int, int, Complex)>();
        while (list.Count < count)
        {
            int r = rng.Next(d), c = rng.Next(d);
            if (!taken.Add((r, c))) continue;
            var v = rng.NextDouble() < zeroFraction ? Complex.Zero : new Complex(rng.NextDouble() - 0.5, rng.NextDouble() < 0.5 ? 0 : rng.NextDouble());
            list.Add((r, c, v));
        }
        return list;
    }

    private static SparseCompressedRowMatrixStorage<Complex> Csr(Matrix<Complex> m) =>
        Assert.IsType<SparseCompressedRowMatrixStorage<Complex>>(m.Storage);

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(8, 20, 2)]
    [InlineData(64, 500, 3)]
    [InlineData(300, 3000, 4)]
    public void Matrix_HasMathNetsStorage_ArrayForArray(int d, int count, int seed)
    {
        var entries = RandomEntries(d, Math.Min(count, d * d), seed, zeroFraction: 0.1);
        var expected = Csr(Matrix<Complex>.Build.SparseOfIndexed(d, d, entries.Select(e => Tuple.Create(e.Row, e.Column, e.Value))));
        var actual = Csr(SparseEntries.Matrix(d, entries));
        Assert.Equal(expected.ValueCount, actual.ValueCount);
        Assert.Equal(expected.RowPointers, actual.RowPointers);
        Assert.Equal(expected.ColumnIndices.Take(expected.ValueCount), actual.ColumnIndices.Take(actual.ValueCount));
        Assert.Equal(expected.Values.Take(expected.ValueCount), actual.Values.Take(actual.ValueCount));
    }

    [Fact]
    public void Matrix_OfAPauliString_EqualsItsDenseProduct()
    {
        var space = new Spaces.HilbertSpace([2, 2, 2, 2]);
        var dense = OperatorParser.Parse("X0 Y1 Z3", space);
        var sparse = SparseEntries.Matrix(space.Dimension, OperatorParser.Entries("X0 Y1 Z3", space));
        Assert.False(sparse.Storage.IsDense);
        for (int i = 0; i < space.Dimension; i++)
            for (int j = 0; j < space.Dimension; j++)
                Assert.True(dense[i, j] == sparse[i, j], $"[{i}, {j}]: {dense[i, j]} vs {sparse[i, j]}");
    }

    [Fact]
    public void Matrix_WithARepeatedPosition_BehavesAsMathNet()
    {
        var entries = new List<(int Row, int Column, Complex Value)> { (0, 1, 1), (1, 0, 2), (0, 1, 3) };
        Exception? mathNetError = null;
        Matrix<Complex>? expected = null;
        try { expected = Matrix<Complex>.Build.SparseOfIndexed(2, 2, entries.Select(e => Tuple.Create(e.Row, e.Column, e.Value))); }
        catch (Exception e) { mathNetError = e; }
        if (mathNetError is not null)
            Assert.Throws(mathNetError.GetType(), () => SparseEntries.Matrix(2, entries));
        else
            Assert.Equal(expected!, SparseEntries.Matrix(2, entries));
    }

    [Theory]
    [InlineData(5, 11)]
    [InlineData(40, 12)]
    [InlineData(130, 13)]
    public void HermitianDefect_OfSparseStorage_EqualsTheDenseDefect(int d, int seed)
    {
        // a Hermitian part plus a few entries whose mirror is missing or differs
        var entries = RandomEntries(d, 3 * d, seed, zeroFraction: 0.05);
        var all = new Dictionary<(int, int), Complex>();
        foreach (var (r, c, v) in entries)
        {
            all[(r, c)] = v;
            all[(c, r)] = r == c ? new Complex(v.Real, 0) : Complex.Conjugate(v);
        }
        var rng = new Random(seed);
        for (int k = 0; k < 3; k++) all[(rng.Next(d), rng.Next(d))] = new Complex(rng.NextDouble(), rng.NextDouble());
        var list = all.Select(e => (e.Key.Item1, e.Key.Item2, e.Value)).ToList();
        var sparse = SparseEntries.Matrix(d, list);
        var dense = Matrix<Complex>.Build.DenseOfMatrix(sparse);
        double expected = OpenSystemModel.HermitianDefect(dense);
        Assert.True(expected > 0);
        Assert.Equal(expected, OpenSystemModel.HermitianDefect(sparse));
        var hermitian = SparseEntries.Matrix(d, entries.SelectMany(e => e.Row == e.Column
            ? new[] { (e.Row, e.Column, new Complex(e.Value.Real, 0)) }
            : new[] { e, (e.Column, e.Row, Complex.Conjugate(e.Value)) }).GroupBy(e => (e.Item1, e.Item2)).Select(g => g.Last()).ToList());
        Assert.Equal(OpenSystemModel.HermitianDefect(Matrix<Complex>.Build.DenseOfMatrix(hermitian)), OpenSystemModel.HermitianDefect(hermitian));
    }
}
