using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>
/// Thermal states, distances and expectation values (helpers shared by solvers and diagnostics). The helpers that call
/// a dense kernel take an optional backend; null means <see cref="ManagedBackend.Instance"/> (never the global
/// <see cref="LinearAlgebraProvider.Current"/>: the solvers pass the backend of their model).
/// </summary>
public static class Thermal
{
    /// <summary>The Gibbs state of H_S in its eigenbasis; at β = ∞ the uniform mixture over the ground level.</summary>
    public static Matrix<Complex> GibbsEigenbasis(EigenBasis basis, double beta) => GibbsEigenbasis(basis, beta, sparse: basis.Dimension > 256);

    /// <summary>
    /// <see cref="GibbsEigenbasis(EigenBasis, double)"/> with the storage chosen: sparse (diagonal entries only) for
    /// callers that read entries, a dense d × d array (fresh memory) otherwise.
    /// </summary>
    internal static Matrix<Complex> GibbsEigenbasis(EigenBasis basis, double beta, bool sparse)
    {
        var diag = GibbsWeights(basis, beta).Select(x => new Complex(x, 0)).ToArray();
        return sparse ? Matrix<Complex>.Build.SparseOfDiagonalArray(diag) : Matrix<Complex>.Build.DenseOfDiagonalArray(diag);
    }

    /// <summary>The Gibbs weights e^{−β(E_m − E_0)}/Z of the eigenstates (the diagonal of <see cref="GibbsEigenbasis(EigenBasis, double)"/>).</summary>
    internal static double[] GibbsWeights(EigenBasis basis, double beta)
    {
        int d = basis.Dimension;
        var p = new double[d];
        if (double.IsPositiveInfinity(beta))
        {
            var g = basis.Levels[0];
            for (int i = 0; i < g.Count; i++) p[g.Start + i] = 1.0 / g.Count;
        }
        else
        {
            double e0 = basis.Energies[0], z = 0;
            for (int i = 0; i < d; i++) z += p[i] = Math.Exp(-beta * (basis.Energies[i] - e0));
            for (int i = 0; i < d; i++) p[i] /= z;
        }
        return p;
    }

    /// <summary>½‖A − B‖₁ for Hermitian A, B.</summary>
    /// <param name="a">A Hermitian matrix.</param>
    /// <param name="b">A Hermitian matrix of the same size.</param>
    /// <param name="backend">Backend of the Hermitian eigensolver (null: <see cref="ManagedBackend.Instance"/>).</param>
    public static double TraceDistance(Matrix<Complex> a, Matrix<Complex> b, ILinearAlgebraBackend? backend = null)
    {
        var diff = a - b;
        diff = 0.5 * (diff + diff.ConjugateTranspose());
        var eig = (backend ?? ManagedBackend.Instance).EigenHermitian(diff);
        return 0.5 * eig.Values.Sum(Math.Abs);
    }

    /// <summary>½‖A − B‖₁ for Hermitian A, B that are block-diagonal over the levels of <paramref name="basis"/>.</summary>
    public static double TraceDistanceBlockDiagonal(Matrix<Complex> a, Matrix<Complex> b, EigenBasis basis)
    {
        double sum = 0;
        foreach (var l in basis.Levels)
        {
            if (l.Count == 1)
            {
                sum += Math.Abs((a[l.Start, l.Start] - b[l.Start, l.Start]).Real);
                continue;
            }
            var diff = a.SubMatrix(l.Start, l.Count, l.Start, l.Count) - b.SubMatrix(l.Start, l.Count, l.Start, l.Count);
            diff = 0.5 * (diff + diff.ConjugateTranspose());
            sum += diff.Evd(Symmetricity.Hermitian).EigenValues.Sum(z => Math.Abs(z.Real));
        }
        return 0.5 * sum;
    }

    /// <summary>
    /// Re Tr[ρ O] for ρ given in the eigenbasis and block-diagonal over levels, O in the site basis: computes O·V
    /// (sparse when O is) and only the level blocks of V†OV, O(d·Σ d_I²) after the product.
    /// </summary>
    /// <param name="rhoEigen">ρ in the eigenbasis, block-diagonal over the levels of <paramref name="basis"/>.</param>
    /// <param name="op">O in the site basis.</param>
    /// <param name="basis">The eigenbasis.</param>
    /// <param name="backend">Backend of the dense product O·V (null: <see cref="ManagedBackend.Instance"/>).</param>
    public static double ExpectationBlockDiagonal(Matrix<Complex> rhoEigen, Matrix<Complex> op, EigenBasis basis,
        ILinearAlgebraBackend? backend = null) =>
        ComplexExpectationBlockDiagonal(rhoEigen, op, basis, backend).Real;

    /// <summary>Re Tr[ρ O].</summary>
    public static double Expectation(Matrix<Complex> rho, Matrix<Complex> op)
    {
        Complex acc = 0;
        int d = rho.RowCount;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) acc += rho[i, j] * op[j, i];
        return acc.Real;
    }

    /// <summary>
    /// Tr[ρ O] (complex; O need not be Hermitian) for ρ given in the eigenbasis and block-diagonal over levels, O in
    /// the site basis; the same computation as <see cref="ExpectationBlockDiagonal"/>, whose result is its real part.
    /// </summary>
    /// <param name="rhoEigen">ρ in the eigenbasis, block-diagonal over the levels of <paramref name="basis"/>.</param>
    /// <param name="op">O in the site basis.</param>
    /// <param name="basis">The eigenbasis.</param>
    /// <param name="backend">Backend of the dense product O·V (null: <see cref="ManagedBackend.Instance"/>).</param>
    public static Complex ComplexExpectationBlockDiagonal(Matrix<Complex> rhoEigen, Matrix<Complex> op, EigenBasis basis,
        ILinearAlgebraBackend? backend = null)
    {
        if (basis.InversePermutation is { } inverse)
        {
            // eigenvector k is site-basis vector p[k]: (V†OV)[j, i] = O[p[j], p[i]], one pass over O's non-zeros
            Complex sum = 0;
            foreach (var (a, b, o) in op.EnumerateIndexed(Zeros.AllowSkip))
            {
                int j = inverse[a], i = inverse[b];
                if (basis.LevelOf(i) == basis.LevelOf(j)) sum += rhoEigen[i, j] * o;
            }
            return sum;
        }
        var v = basis.Vectors;
        var ov = op.Storage.IsDense ? (backend ?? ManagedBackend.Instance).Multiply(op, v) : op * v;
        int d = basis.Dimension;
        Complex acc = 0;
        foreach (var l in basis.Levels)
            for (int i = l.Start; i < l.Start + l.Count; i++)
                for (int j = l.Start; j < l.Start + l.Count; j++)
                {
                    var r = rhoEigen[i, j];
                    if (r == Complex.Zero) continue;
                    Complex vo = 0; // (V†OV)[j, i]
                    for (int k = 0; k < d; k++) vo += Complex.Conjugate(v[k, j]) * ov[k, i];
                    acc += r * vo;
                }
        return acc;
    }

    /// <summary>Tr[ρ O] (complex; O need not be Hermitian), ρ and O in the same basis; the real part is <see cref="Expectation"/>.</summary>
    public static Complex ComplexExpectation(Matrix<Complex> rho, Matrix<Complex> op)
    {
        Complex acc = 0;
        int d = rho.RowCount;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) acc += rho[i, j] * op[j, i];
        return acc;
    }
}
