
namespace Davies.LinearAlgebra;

/// <summary>The managed Math.NET backend: always available, slow beyond d ≈ 512.</summary>
public sealed class ManagedBackend : ILinearAlgebraBackend
{
    /// <summary>The shared instance.</summary>
    public static ManagedBackend Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "managed (Math.NET)";

    /// <inheritdoc />
    public HermitianEigen EigenHermitian(Matrix<Complex> a)
    {
        var evd = a.Evd(Symmetricity.Hermitian);
        int n = a.RowCount;
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = evd.EigenValues[i].Real;
        var order = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        var sorted = order.Select(i => values[i]).ToArray();
        var vecs = Matrix<Complex>.Build.Dense(n, n);
        for (int j = 0; j < n; j++) vecs.SetColumn(j, evd.EigenVectors.Column(order[j]));
        return new HermitianEigen(sorted, vecs);
    }

    /// <inheritdoc />
    public SymmetricEigen EigenSymmetric(Matrix<double> a)
    {
        var evd = a.Evd(Symmetricity.Symmetric);
        int n = a.RowCount;
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = evd.EigenValues[i].Real;
        var order = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        var vecs = Matrix<double>.Build.Dense(n, n);
        for (int j = 0; j < n; j++) vecs.SetColumn(j, evd.EigenVectors.Column(order[j]));
        return new SymmetricEigen(order.Select(i => values[i]).ToArray(), vecs);
    }

    /// <inheritdoc />
    public Matrix<Complex> Multiply(Matrix<Complex> a, Matrix<Complex> b) => a * b;

    /// <inheritdoc />
    public Matrix<Complex> AdjointMultiply(Matrix<Complex> a, Matrix<Complex> b) => a.ConjugateTransposeThisAndMultiply(b);

    /// <inheritdoc />
    public Vector<Complex> Solve(Matrix<Complex> a, Vector<Complex> b) => a.LU().Solve(b);

    /// <inheritdoc />
    public Vector<double> Solve(Matrix<double> a, Vector<double> b) => a.LU().Solve(b);

    /// <inheritdoc />
    public (double[] S, Matrix<Complex> U, Matrix<Complex> VH) Svd(Matrix<Complex> a)
    {
        var svd = a.Svd(true);
        return (svd.S.Select(z => z.Real).ToArray(), svd.U, svd.VT);
    }
}
