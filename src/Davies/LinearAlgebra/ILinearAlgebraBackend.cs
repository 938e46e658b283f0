
namespace Davies.LinearAlgebra;

/// <summary>
/// Eigen-decomposition of a Hermitian matrix: A = V diag(Values) V†, eigenvalues ascending, eigenvectors in the
/// columns of <see cref="Vectors"/> (orthonormal).
/// </summary>
/// <param name="Values">The eigenvalues, ascending.</param>
/// <param name="Vectors">The orthonormal eigenvectors, one per column, in the order of <paramref name="Values"/>.</param>
public sealed record HermitianEigen(double[] Values, Matrix<Complex> Vectors);

/// <summary>
/// Eigen-decomposition of a real symmetric matrix: A = V diag(Values) Vᵀ, eigenvalues ascending.
/// </summary>
/// <param name="Values">The eigenvalues, ascending.</param>
/// <param name="Vectors">The orthonormal real eigenvectors, one per column, in the order of <paramref name="Values"/>.</param>
public sealed record SymmetricEigen(double[] Values, Matrix<double> Vectors);

/// <summary>
/// Eigen-decomposition of a general (not necessarily normal) square matrix: A·v_j = Values[j]·v_j, with the right
/// eigenvectors v_j in the columns of <see cref="Vectors"/>, each of unit Euclidean norm. The order of the eigenvalues
/// is unspecified (it may differ between backends); the eigenvectors are not orthogonal in general.
/// </summary>
/// <param name="Values">The eigenvalues, in no particular order.</param>
/// <param name="Vectors">The right eigenvectors of unit norm, one per column, in the order of <paramref name="Values"/>.</param>
public sealed record GeneralEigen(Complex[] Values, Matrix<Complex> Vectors);

/// <summary>
/// The narrow set of dense linear-algebra kernels Davies needs. Two implementations exist: the managed
/// Math.NET one (always available) and a native LAPACK/BLAS one picked at run time when the system libraries load.
/// Every method leaves its arguments unchanged, except <see cref="EigenvaluesSymmetricInPlace"/>, which may overwrite its one.
/// </summary>
public interface ILinearAlgebraBackend
{
    /// <summary>A short name for reports ("managed", "native (OpenBLAS)", …).</summary>
    string Name { get; }

    /// <summary>Eigenvalues (ascending) and orthonormal eigenvectors of a Hermitian matrix.</summary>
    HermitianEigen EigenHermitian(Matrix<Complex> a);

    /// <summary>Eigenvalues (ascending) and orthonormal eigenvectors of a real symmetric matrix.</summary>
    SymmetricEigen EigenSymmetric(Matrix<double> a);

    /// <summary>Eigenvalues only (ascending) of a real symmetric matrix: no eigenvectors, about three times cheaper.</summary>
    double[] EigenvaluesSymmetric(Matrix<double> a);

    /// <summary>
    /// <see cref="EigenvaluesSymmetric"/> that may overwrite the dense matrix <paramref name="a"/>: a backend whose
    /// eigensolver works in place (LAPACK) uses its storage as the work matrix instead of a d×d copy, and leaves
    /// <paramref name="a"/> unspecified. For a caller's temporary (e.g. the KMS-symmetrised Pauli matrix). The default
    /// implementation is <see cref="EigenvaluesSymmetric"/> (<paramref name="a"/> unchanged).
    /// </summary>
    double[] EigenvaluesSymmetricInPlace(Matrix<double> a) => EigenvaluesSymmetric(a);

    /// <summary>
    /// Whether the Hermitian matrix A (lower triangle read) is positive definite: its Cholesky factorisation succeeds.
    /// </summary>
    bool IsPositiveDefinite(Matrix<Complex> a);

    /// <summary>The product A·B.</summary>
    Matrix<Complex> Multiply(Matrix<Complex> a, Matrix<Complex> b);

    /// <summary>The real product A·B.</summary>
    Matrix<double> Multiply(Matrix<double> a, Matrix<double> b);

    /// <summary>The real product Aᵀ·B.</summary>
    Matrix<double> TransposeMultiply(Matrix<double> a, Matrix<double> b);

    /// <summary>The Gram matrix AᵀA of a real matrix (symmetric rank-k update; both triangles filled).</summary>
    Matrix<double> Gram(Matrix<double> a);

    /// <summary>The Gram matrix A†A of a complex matrix (Hermitian rank-k update; both triangles filled).</summary>
    Matrix<Complex> Gram(Matrix<Complex> a);

    /// <summary>The product A†·B.</summary>
    Matrix<Complex> AdjointMultiply(Matrix<Complex> a, Matrix<Complex> b);

    /// <summary>Solves A·x = b for a square, non-singular complex A.</summary>
    Vector<Complex> Solve(Matrix<Complex> a, Vector<Complex> b);

    /// <summary>Solves A·x = b for a square, non-singular real A.</summary>
    Vector<double> Solve(Matrix<double> a, Vector<double> b);

    /// <summary>Singular values (descending) of a complex matrix, with the left and right singular vectors.</summary>
    (double[] S, Matrix<Complex> U, Matrix<Complex> VH) Svd(Matrix<Complex> a);

    /// <summary>
    /// Singular values (descending) of a real m×n matrix, with the full left (m×m) and right (n×n, transposed) singular
    /// vectors: A = U·Σ·VT.
    /// </summary>
    (double[] S, Matrix<double> U, Matrix<double> VT) Svd(Matrix<double> a);

    /// <summary>
    /// Eigenvalues and unit-norm right eigenvectors of a general square complex matrix (LAPACK zgeev semantics).
    /// </summary>
    GeneralEigen EigenGeneral(Matrix<Complex> a);

    /// <summary>Eigenvalues only of a general complex matrix (no eigenvectors: about three times cheaper).</summary>
    Complex[] EigenvaluesGeneral(Matrix<Complex> a);

    /// <summary>
    /// Eigenvalues and unit-norm right eigenvectors of a general square real matrix (LAPACK dgeev semantics); complex
    /// eigenvalues come in conjugate pairs with conjugate eigenvectors.
    /// </summary>
    GeneralEigen EigenGeneral(Matrix<double> a);
}
