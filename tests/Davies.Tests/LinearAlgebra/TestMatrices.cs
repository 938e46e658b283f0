using Davies.LinearAlgebra;

namespace Davies.Tests.LinearAlgebra;

/// <summary>Seeded random matrices and norms shared by the backend tests.</summary>
internal static class TestMatrices
{
    public static readonly int[] Sizes = [1, 2, 7, 64, 200];

    public static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static Matrix<Complex> RandomComplex(int rows, int columns, int seed)
    {
        var rng = new Random(seed);
        return Matrix<Complex>.Build.Dense(rows, columns, (_, _) => new Complex(Gaussian(rng), Gaussian(rng)));
    }

    public static Matrix<double> RandomReal(int rows, int columns, int seed)
    {
        var rng = new Random(seed);
        return Matrix<double>.Build.Dense(rows, columns, (_, _) => Gaussian(rng));
    }

    public static Matrix<Complex> RandomHermitian(int n, int seed)
    {
        var x = RandomComplex(n, n, seed);
        return (x + x.ConjugateTranspose()) / 2;
    }

    public static Matrix<double> RandomSymmetric(int n, int seed)
    {
        var x = RandomReal(n, n, seed);
        return (x + x.Transpose()) / 2;
    }

    public static Vector<Complex> RandomComplexVector(int n, int seed)
    {
        var rng = new Random(seed);
        return Vector<Complex>.Build.Dense(n, _ => new Complex(Gaussian(rng), Gaussian(rng)));
    }

    public static Vector<double> RandomRealVector(int n, int seed)
    {
        var rng = new Random(seed);
        return Vector<double>.Build.Dense(n, _ => Gaussian(rng));
    }

    /// <summary>Kronecker product a ⊗ b.</summary>
    public static Matrix<Complex> Kron(Matrix<Complex> a, Matrix<Complex> b) => a.KroneckerProduct(b);

    public static Matrix<Complex> Diag(IEnumerable<double> values) =>
        Matrix<Complex>.Build.DenseOfDiagonalArray(values.Select(v => new Complex(v, 0)).ToArray());

    public static Matrix<double> DiagReal(IEnumerable<double> values) =>
        Matrix<double>.Build.DenseOfDiagonalArray(values.ToArray());

    /// <summary>‖V†V − I‖_F.</summary>
    public static double OrthonormalityError(Matrix<Complex> v) =>
        (v.ConjugateTranspose() * v - Matrix<Complex>.Build.DenseIdentity(v.ColumnCount)).FrobeniusNorm();

    /// <summary>‖VᵀV − I‖_F.</summary>
    public static double OrthonormalityError(Matrix<double> v) =>
        (v.Transpose() * v - Matrix<double>.Build.DenseIdentity(v.ColumnCount)).FrobeniusNorm();

    public static double Scale(Matrix<Complex> a) => Math.Max(1.0, a.FrobeniusNorm());

    public static double Scale(Matrix<double> a) => Math.Max(1.0, a.FrobeniusNorm());

    /// <summary>The largest |x_i − y_i|.</summary>
    public static double MaxAbsDiff(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Assert.Equal(x.Count, y.Count);
        double max = 0;
        for (int i = 0; i < x.Count; i++) max = Math.Max(max, Math.Abs(x[i] - y[i]));
        return max;
    }

    /// <summary>
    /// The largest distance between two eigenvalue multisets after a greedy nearest-neighbour matching (the order of
    /// general eigenvalues is backend-specific).
    /// </summary>
    public static double MultisetDistance(IReadOnlyList<Complex> x, IReadOnlyList<Complex> y)
    {
        Assert.Equal(x.Count, y.Count);
        var unused = new List<Complex>(y);
        double max = 0;
        foreach (var z in x)
        {
            int best = 0;
            for (int i = 1; i < unused.Count; i++)
                if ((unused[i] - z).Magnitude < (unused[best] - z).Magnitude) best = i;
            max = Math.Max(max, (unused[best] - z).Magnitude);
            unused.RemoveAt(best);
        }
        return max;
    }
}
