
namespace Davies.LinearAlgebra;

/// <summary>The managed Math.NET backend: always available, slow beyond d ≈ 512.</summary>
public sealed class ManagedBackend : ILinearAlgebraBackend
{
    /// <summary>The shared instance.</summary>
    public static ManagedBackend Instance { get; } = new();

    private ManagedBackend() { }

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
    public Matrix<double> Multiply(Matrix<double> a, Matrix<double> b) => a * b;

    /// <inheritdoc />
    public Matrix<double> TransposeMultiply(Matrix<double> a, Matrix<double> b) => a.TransposeThisAndMultiply(b);

    /// <inheritdoc />
    public Matrix<double> Gram(Matrix<double> a)
    {
        var g = a.TransposeThisAndMultiply(a);
        if (g.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<double> dense)
            DenseKernels.Hermitize(dense.Data, g.RowCount); // exactly symmetric, as the native syrk result
        return g;
    }

    /// <inheritdoc />
    public Matrix<Complex> Gram(Matrix<Complex> a)
    {
        var g = a.ConjugateTransposeThisAndMultiply(a);
        if (g.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<Complex> dense)
            DenseKernels.Hermitize(dense.Data, g.RowCount);
        return g;
    }

    /// <inheritdoc />
    public Matrix<Complex> AdjointMultiply(Matrix<Complex> a, Matrix<Complex> b) => a.ConjugateTransposeThisAndMultiply(b);

    /// <inheritdoc />
    public Vector<Complex> Solve(Matrix<Complex> a, Vector<Complex> b)
    {
        var lu = a.LU();
        if (lu.U.Diagonal().Any(z => z == Complex.Zero))
            throw new LinearAlgebraException($"Solve: the {a.RowCount}×{a.ColumnCount} complex matrix is singular.");
        return lu.Solve(b);
    }

    /// <inheritdoc />
    public Vector<double> Solve(Matrix<double> a, Vector<double> b)
    {
        var lu = a.LU();
        if (lu.U.Diagonal().Any(x => x == 0.0))
            throw new LinearAlgebraException($"Solve: the {a.RowCount}×{a.ColumnCount} real matrix is singular.");
        return lu.Solve(b);
    }

    /// <inheritdoc />
    public (double[] S, Matrix<Complex> U, Matrix<Complex> VH) Svd(Matrix<Complex> a)
    {
        var svd = a.Svd(true);
        return (svd.S.Select(z => z.Real).ToArray(), svd.U, svd.VT);
    }

    /// <inheritdoc />
    public (double[] S, Matrix<double> U, Matrix<double> VT) Svd(Matrix<double> a)
    {
        var svd = a.Svd(true);
        return (svd.S.ToArray(), svd.U, svd.VT);
    }

    /// <inheritdoc />
    public double[] EigenvaluesSymmetric(Matrix<double> a)
    {
        RequireSquare(a.RowCount, a.ColumnCount);
        var values = a.Evd(Symmetricity.Symmetric).EigenValues.Select(z => z.Real).ToArray();
        Array.Sort(values);
        return values;
    }

    /// <inheritdoc />
    /// <remarks>Math.NET works on a copy: <paramref name="a"/> is left unchanged.</remarks>
    public double[] EigenvaluesSymmetricInPlace(Matrix<double> a) => EigenvaluesSymmetric(a);

    /// <inheritdoc />
    public bool IsPositiveDefinite(Matrix<Complex> a)
    {
        RequireSquare(a.RowCount, a.ColumnCount);
        if (a.RowCount == 0) return true;
        try
        {
            var f = a.Cholesky().Factor;
            for (int i = 0; i < a.RowCount; i++)
                if (!(f[i, i].Real > 0) || !double.IsFinite(f[i, i].Real)) return false;
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public Complex[] EigenvaluesGeneral(Matrix<Complex> a) => a.Enumerate().All(z => z.Imaginary == 0)
        ? a.Map(z => z.Real).Evd(Symmetricity.Asymmetric).EigenValues.ToArray() // see EigenGeneral(Matrix<Complex>)
        : a.Evd(Symmetricity.Asymmetric).EigenValues.ToArray();

    /// <inheritdoc />
    public GeneralEigen EigenGeneral(Matrix<Complex> a)
    {
        RequireSquare(a.RowCount, a.ColumnCount);
        // A real matrix goes through the real solver: Math.NET 5.0's complex Hessenberg–Schur reduction fails with an
        // IndexOutOfRangeException on some real triangular Markov blocks (absorbing states at T = 0).
        if (a.Enumerate().All(z => z.Imaginary == 0)) return EigenGeneral(a.Map(z => z.Real));
        var evd = a.Evd(Symmetricity.Asymmetric);
        int n = a.RowCount;
        var vecs = evd.EigenVectors.Clone();
        for (int j = 0; j < n; j++)
        {
            double norm = vecs.Column(j).L2Norm();
            if (norm > 0) vecs.SetColumn(j, vecs.Column(j) / norm);
        }
        return new GeneralEigen(evd.EigenValues.ToArray(), vecs);
    }

    /// <inheritdoc />
    public GeneralEigen EigenGeneral(Matrix<double> a)
    {
        RequireSquare(a.RowCount, a.ColumnCount);
        var evd = a.Evd(Symmetricity.Asymmetric);
        int n = a.RowCount;
        var values = evd.EigenValues.ToArray();
        var packed = evd.EigenVectors;
        var vecs = Matrix<Complex>.Build.Dense(n, n);
        // Real eigenvectors are stored as is; a conjugate pair (λ, λ̄) with Im λ > 0 stores Re v and Im v in two
        // consecutive columns (the JAMA / LAPACK dgeev convention).
        for (int j = 0; j < n; j++)
        {
            if (values[j].Imaginary == 0.0 || j + 1 >= n)
            {
                for (int i = 0; i < n; i++) vecs[i, j] = packed[i, j];
                continue;
            }
            for (int i = 0; i < n; i++)
            {
                var v = new Complex(packed[i, j], packed[i, j + 1]);
                vecs[i, j] = values[j].Imaginary > 0 ? v : Complex.Conjugate(v);
                vecs[i, j + 1] = Complex.Conjugate(vecs[i, j]);
            }
            j++;
        }
        for (int j = 0; j < n; j++)
        {
            double norm = vecs.Column(j).L2Norm();
            if (norm > 0) vecs.SetColumn(j, vecs.Column(j) / norm);
        }
        return new GeneralEigen(values, vecs);
    }

    private static void RequireSquare(int rows, int columns)
    {
        if (rows != columns) throw new ArgumentException($"Matrix must be square, got {rows}×{columns}.");
    }
}
