using Davies.LinearAlgebra;
using Davies.Spectral;

namespace Davies.Solvers;

/// <summary>
/// Operators and initial states written in the eigenbasis for <see cref="BlockTrajectories"/>, by the cheapest exact
/// route: a Hermitian operator by the model's own coupling transform (symmetry blocks, single-site and permutation
/// paths: <see cref="CouplingTransform"/>), a pure initial state |ψ⟩⟨ψ| as φφ† with φ = V†ψ (O(d²) instead of two
/// d×d×d products), anything else by V†OV.
/// </summary>
internal static class EigenbasisOperators
{
    /// <summary>V†OV (column-major: [n + m·d] = ⟨n|O|m⟩ in the eigenbasis).</summary>
    public static CouplingMatrix Operator(EnergyBasisModel dm, Matrix<Complex> op, ILinearAlgebraBackend backend) =>
        IsHermitian(op)
            ? CouplingTransform.ToEigenbasis(op, dm.Basis, dm.OpenSystem.Space, backend)
            : CouplingMatrix.Of(dm.Basis.ToEigenbasis(op, backend));

    /// <summary>(m, n) → ⟨m|ρ₀|n⟩ in the eigenbasis.</summary>
    public static Func<int, int, Complex> State(EnergyBasisModel dm, Matrix<Complex> rho0, ILinearAlgebraBackend backend)
    {
        if (PureState(rho0) is { } psi)
        {
            var phi = Project(dm.Basis, psi);
            return (m, n) => phi[m] * Complex.Conjugate(phi[n]);
        }
        var a = Operator(dm, rho0, backend);
        int d = a.Dimension;
        return a.RealData is { } re ? (m, n) => re[m + (long)n * d] : (m, n) => a.ComplexData![m + (long)n * d];
    }

    /// <summary>ψ when ρ = ψψ† to rounding (max |ρ_ij − ψ_i ψ̄_j| ≤ 1e-14), else null.</summary>
    internal static Complex[]? PureState(Matrix<Complex> rho)
    {
        int d = rho.RowCount, k = 0;
        for (int i = 1; i < d; i++)
            if (rho[i, i].Real > rho[k, k].Real) k = i;
        double pk = rho[k, k].Real;
        if (!(pk > 0)) return null;
        var psi = new Complex[d];
        for (int i = 0; i < d; i++) psi[i] = rho[i, k] / Math.Sqrt(pk);
        if (rho.Storage.IsDense)
        {
            var data = LinearAlgebra.DenseKernels.Data(rho);
            for (int j = 0; j < d; j++)
            {
                var cj = Complex.Conjugate(psi[j]);
                for (int i = 0; i < d; i++)
                    if ((data[i + (long)j * d] - psi[i] * cj).Magnitude > 1e-14) return null;
            }
            return psi;
        }
        foreach (var (i, j, z) in rho.EnumerateIndexed(Zeros.AllowSkip))
            if ((z - psi[i] * Complex.Conjugate(psi[j])).Magnitude > 1e-14) return null;
        // entries the sparse storage leaves out must vanish in ψψ† too: ψ's support squared is within ρ's non-zeros
        int support = psi.Count(z => z != Complex.Zero);
        return (long)support * support <= rho.EnumerateIndexed(Zeros.AllowSkip).Count() ? psi : null;
    }

    // φ = V†ψ (real eigenvectors: the real and imaginary parts of ψ apart).
    private static Complex[] Project(EigenBasis basis, Complex[] psi)
    {
        if (basis.RealVectors is { } rv)
        {
            var re = rv.TransposeThisAndMultiply(Vector<double>.Build.Dense(psi.Select(z => z.Real).ToArray()));
            var im = psi.Any(z => z.Imaginary != 0)
                ? rv.TransposeThisAndMultiply(Vector<double>.Build.Dense(psi.Select(z => z.Imaginary).ToArray()))
                : Vector<double>.Build.Dense(psi.Length);
            return Enumerable.Range(0, psi.Length).Select(i => new Complex(re[i], im[i])).ToArray();
        }
        return basis.Vectors.ConjugateTransposeThisAndMultiply(Vector<Complex>.Build.Dense(psi)).ToArray();
    }

    // Hermitian to 1e-14 of the largest entry: the coupling transform makes its result exactly Hermitian, which must
    // not change an operator beyond rounding (the model's own check, OpenSystemModel.IsHermitian, allows 1e-10).
    private static bool IsHermitian(Matrix<Complex> op) =>
        Models.OpenSystemModel.HermitianDefect(op) <= 1e-14 * Models.OpenSystemModel.LargestMagnitude(op);
}
