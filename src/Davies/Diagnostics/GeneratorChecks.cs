using Davies.Generators;
using Davies.Solvers;
using Davies.Spectral;

namespace Davies.Diagnostics;

/// <summary>The outcome of one check of a generator.</summary>
/// <param name="Name">Short name ("kms", "kossakowski_psd", "gibbs_stationary").</param>
/// <param name="Passed">Whether the check holds within its tolerance.</param>
/// <param name="Value">The measured quantity (see <paramref name="Detail"/>).</param>
/// <param name="Detail">What was measured, in words.</param>
public sealed record GeneratorCheck(string Name, bool Passed, double Value, string Detail);

/// <summary>
/// Checks of the physical consistency of a Davies generator: complete positivity (the Kossakowski matrices are
/// positive semidefinite), KMS detailed balance of the rates, and stationarity of the Gibbs state when all baths
/// share one temperature.
/// </summary>
public static class GeneratorChecks
{
    /// <summary>
    /// The smallest eigenvalue over all baths and Bohr frequencies ω of the Kossakowski matrix γ_αβ(ω). Each coupling
    /// of a bath couples to its own independent mode, so γ(ω) = diag(G_b(ω)) and this is the smallest rate used.
    /// Complete positivity ⇔ ≥ 0.
    /// </summary>
    public static double KossakowskiMinEigenvalue(EnergyBasisModel model)
    {
        double min = double.PositiveInfinity;
        for (int c = 0; c < model.Jumps.Count; c++)
            foreach (int id in model.Bohr.AllIds())
            {
                double g = model.Jumps.Rate(model.Jumps.Bath(c), id);
                if (!double.IsNaN(g)) min = Math.Min(min, g);
            }
        return min;
    }

    /// <summary>max over baths and positive Bohr frequencies of |G(−ω) − e^{−βω} G(ω)| / max(G(ω), tiny).</summary>
    public static double KmsViolation(EnergyBasisModel model)
    {
        double worst = 0;
        for (int b = 0; b < model.OpenSystem.Baths.Count; b++)
        {
            double beta = model.OpenSystem.Baths[b].Beta;
            for (int k = 1; k <= model.Bohr.PositiveCount; k++)
            {
                double w = model.Bohr.Value(k), gp = model.Jumps.Rate(b, k), gm = model.Jumps.Rate(b, -k);
                double expected = double.IsPositiveInfinity(beta) ? 0 : Math.Exp(-beta * w) * gp;
                worst = Math.Max(worst, Math.Abs(gm - expected) / Math.Max(gp, double.Epsilon));
            }
        }
        return worst;
    }

    /// <summary>
    /// ‖L(ρ_β)‖₂ / r for the Gibbs state of the common temperature (NaN when temperatures differ), where r is the
    /// largest total decay rate max_I ‖K_I‖ (so the value is relative to the generator's scale).
    /// </summary>
    public static double GibbsResidual(DaviesGenerator generator)
    {
        var model = generator.Model.OpenSystem;
        if (!model.IsSingleTemperature) return double.NaN;
        var gibbs = Thermal.GibbsEigenbasis(generator.Model.Basis, model.Baths[0].Beta, sparse: true); // read entry by entry
        var x = generator.PopulationSpace.FromEigenbasis(gibbs);
        var y = generator.ApplyPopulationSector(x);
        return y.L2Norm() / Math.Max(generator.DecayScale(), double.Epsilon);
    }

    /// <summary>Runs every check.</summary>
    public static IReadOnlyList<GeneratorCheck> Run(DaviesGenerator generator)
    {
        var dm = generator.Model;
        var list = new List<GeneratorCheck>();
        double k = KossakowskiMinEigenvalue(dm);
        list.Add(new("kossakowski_psd", k >= 0, k, "smallest eigenvalue of the Kossakowski matrices (complete positivity ⇔ ≥ 0)"));
        double kms = KmsViolation(dm);
        list.Add(new("kms", kms <= 1e-10, kms, "largest relative violation of G(−ω) = e^{−βω} G(ω)"));
        if (dm.OpenSystem.IsSingleTemperature)
        {
            double g = GibbsResidual(generator);
            list.Add(new("gibbs_stationary", g <= 1e-12, g, "‖L(ρ_β)‖ / (largest decay rate) on the ν = 0 sector"));
        }
        return list;
    }
}
