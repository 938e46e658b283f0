using Davies.Models;
using Davies.Solvers;

namespace Davies.Tests.Physics;

/// <summary>
/// The steady state of the structured solver (ν = 0 sector / Pauli matrix) against the null vector of a dense d²×d²
/// Davies Liouvillian built here from the textbook formulas with Math.NET only: no library code is shared (not the
/// eigenbasis, the level or Bohr-frequency grouping, the jump operators, the vectorisation nor the solver); the rates
/// are the test's own <see cref="TestRates"/>.
/// </summary>
public class IndependentLiouvillianTests
{
    private const double GroupingTolerance = 1e-8;

    /// <summary>
    /// L(ρ) = −i[H + H_LS, ρ] + Σ_b Σ_α Σ_ω G_b(ω) (S_α(ω) ρ S_α(ω)† − ½{S_α(ω)†S_α(ω), ρ}),
    /// S_α(ω) = Σ_{E_m − E_n = ω} Π_n S_α Π_m, H_LS = Σ_b Σ_α Σ_ω S_b(ω) S_α(ω)†S_α(ω), as a matrix acting on
    /// column-stacked vec(ρ)[i + j·d] = ρ[i, j] (vec(AXB) = (Bᵀ ⊗ A) vec X). With <paramref name="only"/>, just
    /// that bath's dissipator D_b.
    /// </summary>
    internal static Matrix<Complex> DaviesLiouvillian(OpenSystemModel model, Bath? only = null)
    {
        var h = model.Hamiltonian;
        int d = h.RowCount;
        var evd = h.Evd(Symmetricity.Hermitian);
        var levels = new List<(double Energy, Matrix<Complex> Projector)>();
        for (int i = 0; i < d; i++)
        {
            double e = evd.EigenValues[i].Real;
            var v = evd.EigenVectors.Column(i);
            var p = v.OuterProduct(v.Conjugate());
            int k = levels.FindIndex(l => Math.Abs(l.Energy - e) < GroupingTolerance);
            if (k < 0) levels.Add((e, p));
            else levels[k] = (levels[k].Energy, levels[k].Projector + p);
        }
        var omegas = new List<double>();
        foreach (var m in levels)
            foreach (var n in levels)
                if (!omegas.Any(w => Math.Abs(w - (m.Energy - n.Energy)) < GroupingTolerance)) omegas.Add(m.Energy - n.Energy);

        var id = Matrix<Complex>.Build.DenseIdentity(d);
        var hTotal = h.Clone();
        var diss = Matrix<Complex>.Build.Dense(d * d, d * d);
        foreach (var bath in only is null ? model.Baths : [only])
            foreach (var s in bath.Couplings)
                foreach (double w in omegas)
                {
                    var sw = Matrix<Complex>.Build.Dense(d, d);
                    foreach (var m in levels)
                        foreach (var n in levels)
                            if (Math.Abs(m.Energy - n.Energy - w) < GroupingTolerance) sw += n.Projector * s * m.Projector;
                    if (sw.FrobeniusNorm() < 1e-12) continue;
                    var k = sw.ConjugateTranspose() * sw;
                    if (model.Options.LambShift && only is null) hTotal += bath.Rates.LambShift(w) * k;
                    double g = bath.Rates.Rate(w);
                    diss += g * (sw.Conjugate().KroneckerProduct(sw)
                                 - 0.5 * id.KroneckerProduct(k) - 0.5 * k.Transpose().KroneckerProduct(id));
                }
        if (only is not null) return diss;
        return -Complex.ImaginaryOne * (id.KroneckerProduct(hTotal) - hTotal.Transpose().KroneckerProduct(id)) + diss;
    }

    public static TheoryData<int, string, int> Cases() => new()
    {
        { 61, "nondegenerate", 1 }, { 62, "nondegenerate", 2 }, { 63, "levels", 1 }, { 64, "levels", 2 },
        { 65, "gaps", 1 }, { 66, "gaps", 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SteadyState_EqualsNullVectorOfIndependentlyBuiltLiouvillian(int seed, string kind, int temperatures)
    {
        var spectrum = kind == "levels" ? TestModels.DegenerateLevels : kind == "gaps" ? TestModels.DegenerateGaps : TestModels.NonDegenerate;
        double[] betas = temperatures == 1 ? [0.9, 0.9] : [0.4, 2.5];
        var model = TestModels.Random(seed, spectrum, betas, couplingsPerBath: 2);
        int d = model.Dimension;
        var l = DaviesLiouvillian(model);

        var svd = l.Svd(true);
        Assert.True(svd.S[d * d - 2].Magnitude > 1e-6 * svd.S[0].Magnitude, "the kernel is one-dimensional");
        var kernel = svd.VT.Row(d * d - 1).Conjugate();
        var rho = Matrix<Complex>.Build.Dense(d, d, (i, j) => kernel[i + j * d]);
        rho /= rho.Trace();

        var ss = SteadyState.Solve(model);
        Assert.True(ss.Unique);
        // a state: unit trace, Hermitian, positive semidefinite
        Assert.Equal(1.0, ss.DensityMatrix.Trace().Real, 12);
        Assert.Equal(0.0, ss.DensityMatrix.Trace().Imaginary, 12);
        Assert.True((ss.DensityMatrix - ss.DensityMatrix.ConjugateTranspose()).FrobeniusNorm() < 1e-13, "Hermitian");
        Assert.True(ss.DensityMatrix.Evd(Symmetricity.Hermitian).EigenValues.Min(z => z.Real) > -1e-13, "positive semidefinite");
        double diff = (rho - ss.DensityMatrix).FrobeniusNorm();
        Assert.True(diff < 1e-10, $"‖ρ_dense − ρ_ss‖ = {diff}");
        var residual = l * Vector<Complex>.Build.Dense(d * d, k => ss.DensityMatrix[k % d, k / d]);
        Assert.True(residual.L2Norm() < 1e-11, $"‖L ρ_ss‖ = {residual.L2Norm()}");
        // The heat currents J_b = Tr[H_S D_b(ρ)] from the same independent construction, bath by bath.
        foreach (var bath in model.Baths)
        {
            var y = DaviesLiouvillian(model, bath) * Vector<Complex>.Build.Dense(d * d, k => ss.DensityMatrix[k % d, k / d]);
            var dy = Matrix<Complex>.Build.Dense(d, d, (i, j) => y[i + j * d]);
            Assert.Equal((model.Hamiltonian * dy).Trace().Real, ss.HeatCurrents[bath.Name], 11);
        }
    }
}
