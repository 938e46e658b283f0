
namespace Davies.LinearAlgebra;

/// <summary>
/// Eigen-decomposition of a Hermitian matrix: A = V diag(Values) V†, eigenvalues ascending, eigenvectors in the
/// columns of <see cref="Vectors"/> (orthonormal).
/// </summary>
public sealed record HermitianEigen(double[] Values, Matrix<Complex> Vectors);

/// <summary>
/// Eigen-decomposition of a real symmetric matrix: A = V diag(Values) Vᵀ, eigenvalues ascending.
/// </summary>
public sealed record SymmetricEigen(double[] Values, Matrix<double> Vectors);

/// <summary>
/// The narrow set of dense linear-algebra kernels Davies needs. Two implementations exist: the managed
/// Math.NET one (always available) and a native LAPACK/BLAS one picked at run time when the system libraries load.
/// Every method leaves its arguments unchanged.
/// </summary>
public interface ILinearAlgebraBackend
{
    /// <summary>A short name for reports ("managed", "native (OpenBLAS)", …).</summary>
    string Name { get; }

    /// <summary>Eigenvalues (ascending) and orthonormal eigenvectors of a Hermitian matrix.</summary>
    HermitianEigen EigenHermitian(Matrix<Complex> a);

    /// <summary>Eigenvalues (ascending) and orthonormal eigenvectors of a real symmetric matrix.</summary>
    SymmetricEigen EigenSymmetric(Matrix<double> a);

    /// <summary>The product A·B.</summary>
    Matrix<Complex> Multiply(Matrix<Complex> a, Matrix<Complex> b);

    /// <summary>The product A†·B.</summary>
    Matrix<Complex> AdjointMultiply(Matrix<Complex> a, Matrix<Complex> b);

    /// <summary>Solves A·x = b for a square, non-singular complex A.</summary>
    Vector<Complex> Solve(Matrix<Complex> a, Vector<Complex> b);

    /// <summary>Solves A·x = b for a square, non-singular real A.</summary>
    Vector<double> Solve(Matrix<double> a, Vector<double> b);

    /// <summary>Singular values (descending) of a complex matrix, with the left and right singular vectors.</summary>
    (double[] S, Matrix<Complex> U, Matrix<Complex> VH) Svd(Matrix<Complex> a);
}
