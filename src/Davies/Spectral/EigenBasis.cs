using Davies.LinearAlgebra;

namespace Davies.Spectral;

/// <summary>A group of (numerically) degenerate eigenvalues: eigenvectors <c>Start … Start+Count−1</c>.</summary>
/// <param name="Start">Index of the first eigenvector of the level.</param>
/// <param name="Count">Degeneracy.</param>
/// <param name="Energy">The level's energy: the mean of its eigenvalues.</param>
public readonly record struct Level(int Start, int Count, double Energy);

/// <summary>
/// The eigen-decomposition H_S = V diag(E) V† with eigenvalues ascending, grouped into degenerate
/// <see cref="Levels"/> with an explicit absolute <see cref="Tolerance"/>: consecutive eigenvalues closer than the
/// tolerance belong to one level (single linkage). The default tolerance is
/// <see cref="DefaultRelativeTolerance"/> × max(|E_min|, |E_max|, E_max − E_min), scaled to the spectrum, so levels
/// split only by rounding are always one level (unlike a cutoff relative to the smallest gap).
/// Results built on it do not depend on which orthonormal basis the eigensolver picks inside a level.
/// </summary>
public sealed class EigenBasis
{
    /// <summary>Default grouping tolerance relative to the spectrum's scale: 1e-9.</summary>
    public const double DefaultRelativeTolerance = 1e-9;

    private readonly int[] _levelOf;

    private EigenBasis(double[] energies, Matrix<Complex> vectors, double tolerance)
    {
        Energies = energies;
        Vectors = vectors;
        Tolerance = tolerance;
        var levels = new List<Level>();
        _levelOf = new int[energies.Length];
        int start = 0;
        for (int i = 1; i <= energies.Length; i++)
        {
            if (i == energies.Length || energies[i] - energies[i - 1] > tolerance)
            {
                double mean = 0;
                for (int k = start; k < i; k++) mean += energies[k];
                mean /= i - start;
                for (int k = start; k < i; k++) _levelOf[k] = levels.Count;
                levels.Add(new Level(start, i - start, mean));
                start = i;
            }
        }
        Levels = levels;
    }

    /// <summary>Eigenvalues of H_S, ascending.</summary>
    public double[] Energies { get; }

    /// <summary>Orthonormal eigenvectors (columns), in the model's site basis.</summary>
    public Matrix<Complex> Vectors { get; }

    /// <summary>The absolute grouping tolerance actually used.</summary>
    public double Tolerance { get; }

    /// <summary>Degenerate levels in ascending energy.</summary>
    public IReadOnlyList<Level> Levels { get; }

    /// <summary>Dimension d.</summary>
    public int Dimension => Energies.Length;

    /// <summary>True when every level is non-degenerate.</summary>
    public bool IsNonDegenerate => Levels.Count == Energies.Length;

    /// <summary>Level index of eigenvector <paramref name="index"/>.</summary>
    public int LevelOf(int index) => _levelOf[index];

    /// <summary>The default absolute tolerance for a spectrum.</summary>
    public static double DefaultTolerance(IReadOnlyList<double> sortedEnergies)
    {
        double lo = sortedEnergies[0], hi = sortedEnergies[^1];
        double scale = Math.Max(Math.Max(Math.Abs(lo), Math.Abs(hi)), hi - lo);
        return DefaultRelativeTolerance * (scale > 0 ? scale : 1.0);
    }

    /// <summary>Diagonalises a Hermitian matrix with the current backend and groups its levels.</summary>
    /// <param name="hamiltonian">H_S (Hermitian).</param>
    /// <param name="tolerance">Absolute grouping tolerance, or null for the default.</param>
    /// <param name="backend">Backend (null: <see cref="LinearAlgebraProvider.Current"/>).</param>
    public static EigenBasis Compute(Matrix<Complex> hamiltonian, double? tolerance = null, ILinearAlgebraBackend? backend = null)
    {
        var eig = (backend ?? LinearAlgebraProvider.Current).EigenHermitian(hamiltonian);
        double tol = tolerance ?? DefaultTolerance(eig.Values);
        return new EigenBasis(eig.Values, eig.Vectors, tol);
    }

    /// <summary>Creates a basis from given eigenvalues (ascending) and eigenvectors (used by tests and by callers with a known basis).</summary>
    public static EigenBasis FromDecomposition(double[] energies, Matrix<Complex> vectors, double? tolerance = null)
        => new(energies, vectors, tolerance ?? DefaultTolerance(energies));

    /// <summary>V† A V: an operator of the site basis written in the eigenbasis.</summary>
    public Matrix<Complex> ToEigenbasis(Matrix<Complex> op, ILinearAlgebraBackend? backend = null)
    {
        var be = backend ?? LinearAlgebraProvider.Current;
        return be.AdjointMultiply(Vectors, be.Multiply(op, Vectors));
    }

    /// <summary>V A V†: an operator of the eigenbasis written in the site basis.</summary>
    public Matrix<Complex> FromEigenbasis(Matrix<Complex> op, ILinearAlgebraBackend? backend = null)
    {
        var be = backend ?? LinearAlgebraProvider.Current;
        return be.Multiply(be.Multiply(Vectors, op), Vectors.ConjugateTranspose());
    }
}
